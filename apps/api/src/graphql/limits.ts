import {
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { isRole, ROLE_EXTENSION, type Role } from '../auth/roles';
import { apiError } from './errors';

export interface QueryLimits {
  maxQueryDepth: number;
  maxQueryCost: number;
  maxAliases: number;
}

export interface OperationAnalysis {
  operation: OperationDefinitionNode;
  depth: number;
  cost: number;
  aliases: number;
  /** Every selected field that declares a role, and every root field (undeclared root fields require admin). */
  requirements: { field: string; role: Role; declared: boolean }[];
  introspection: boolean;
}

/** Page-size arguments: a field's children count this many times. Lists without one count DEFAULT_LIST_SIZE times. */
const SIZE_ARGUMENTS = ['first', 'last', 'limit', 'maxRows'];
const DEFAULT_LIST_SIZE = 10;
/** Connection wrappers: the size was already counted on the connection field. */
const CONNECTION_LISTS = new Set(['edges', 'nodes']);

const tooComplex = (message: string, details: Record<string, unknown>) => apiError('TOO_COMPLEX', message, details);

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  return undefined;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * One walk over the operation that will run (fragments expanded): depth, aliases, cost and the roles
 * its fields declare. Stops with TOO_COMPLEX as soon as a limit is passed, so a fragment bomb cannot
 * make the walk itself expensive. Introspection fields (__schema, __type) are not counted.
 */
export function analyzeOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
  limits: QueryLimits,
): OperationAnalysis | null {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return null;
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const vars = variables ?? {};
  const analysis: OperationAnalysis = { operation, depth: 0, cost: 0, aliases: 0, requirements: [], introspection: false };

  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, depth: number, multiplier: number, root: boolean) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const typeName = fragment.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parentType;
        if (type && isCompositeType(type)) walk(fragment.selectionSet, type, depth, multiplier, root);
        continue;
      }
      const name = selection.name.value;
      if (selection.alias) {
        analysis.aliases += 1;
        if (analysis.aliases > limits.maxAliases) {
          throw tooComplex(`Too many aliases: more than ${limits.maxAliases} (MAX_ALIASES)`, { limit: 'aliases', max: limits.maxAliases });
        }
      }
      if (name.startsWith('__')) {
        if (name === '__schema' || name === '__type') analysis.introspection = true;
        continue;
      }
      const field: GraphQLField<unknown, unknown> | undefined = 'getFields' in parentType ? parentType.getFields()[name] : undefined;
      if (!field) continue;
      const declared = field.extensions?.[ROLE_EXTENSION];
      if (isRole(declared)) analysis.requirements.push({ field: `${parentType.name}.${name}`, role: declared, declared: true });
      else if (root) analysis.requirements.push({ field: `${parentType.name}.${name}`, role: 'admin', declared: false });

      const fieldDepth = depth + 1;
      if (fieldDepth > analysis.depth) analysis.depth = fieldDepth;
      if (fieldDepth > limits.maxQueryDepth) {
        throw tooComplex(`Query too deep: ${parentType.name}.${name} is at depth ${fieldDepth}, the limit is ${limits.maxQueryDepth} (MAX_QUERY_DEPTH)`, {
          limit: 'depth',
          max: limits.maxQueryDepth,
        });
      }
      analysis.cost += multiplier;
      if (analysis.cost > limits.maxQueryCost) {
        throw tooComplex(`Query too costly: its estimated cost passes ${limits.maxQueryCost} (MAX_QUERY_COST); ask for smaller pages or fewer fields`, {
          limit: 'cost',
          max: limits.maxQueryCost,
        });
      }
      if (!selection.selectionSet) continue;
      let size = 1;
      const sizeArgument = selection.arguments?.find((a) => SIZE_ARGUMENTS.includes(a.name.value));
      const defaultSize = field.args.find((a) => SIZE_ARGUMENTS.includes(a.name))?.defaultValue;
      const given = sizeArgument ? valueOf(sizeArgument.value, vars) : defaultSize;
      if (typeof given === 'number' && Number.isFinite(given) && given > 0) size = given;
      else if (isList(field.type) && !CONNECTION_LISTS.has(name)) size = DEFAULT_LIST_SIZE;
      const named = getNamedType(field.type);
      if (isCompositeType(named)) walk(selection.selectionSet, named, fieldDepth, multiplier * size, false);
    }
  };
  walk(operation.selectionSet, rootType, 0, 1, true);
  return analysis;
}
