import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode, type ValueNode } from 'graphql';
import { apiError } from '../graphql/errors';

/** Arguments of the generated layer that set a page size (connections: first; lists: limit). */
const PAGE_ARGUMENTS = new Set(['first', 'limit']);

function intValue(node: ValueNode, variables: Record<string, unknown>): number | undefined {
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const value = variables[node.name.value];
    return typeof value === 'number' ? value : undefined;
  }
  return undefined;
}

/**
 * Refuses, before any Cypher runs, a `first` or `limit` above VIEWS_MAX_PAGE_SIZE anywhere in the
 * selection of a generated root field (root lists, connections and nested relationship fields).
 * BAD_USER_INPUT naming the argument's path and the rule.
 */
export function assertPageSizes(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'variableValues'>, maxPageSize: number): void {
  const seen = new Set<string>();
  const walk = (nodes: readonly FieldNode[] | undefined, selectionSet: SelectionSetNode | undefined, path: string): void => {
    for (const field of nodes ?? []) {
      const here = path ? `${path}.${field.alias?.value ?? field.name.value}` : (field.alias?.value ?? field.name.value);
      for (const argument of field.arguments ?? []) {
        if (!PAGE_ARGUMENTS.has(argument.name.value)) continue;
        const value = intValue(argument.value, info.variableValues);
        if (value !== undefined && value > maxPageSize) {
          const name = `${here}(${argument.name.value})`;
          throw apiError('BAD_USER_INPUT', `${argument.name.value} of ${here} is ${value}; the maximum page size is ${maxPageSize} (VIEWS_MAX_PAGE_SIZE)`, {
            fieldErrors: [{ field: argument.name.value, path: name, rule: 'maxPageSize', message: `${argument.name.value} must be at most ${maxPageSize}` }],
          });
        }
      }
      walk(undefined, field.selectionSet, here);
    }
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) walk([selection], undefined, path);
      else if (selection.kind === Kind.INLINE_FRAGMENT) walk(undefined, selection.selectionSet, path);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        walk(undefined, info.fragments[selection.name.value]?.selectionSet, path);
      }
    }
  };
  walk(info.fieldNodes, undefined, '');
}
