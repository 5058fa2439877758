import { Neo4jGraphQL } from '@neo4j/graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  isSpecifiedScalarType,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLNamedType,
} from 'graphql';
import type { Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import { ROLE_EXTENSION } from '../auth/roles';
import { assertPageSizes } from './page-size';
import { viewTypeDefs } from './type-defs';

export interface ViewsOptions {
  driver: Driver;
  database?: string;
  maxPageSize: number;
  logger: Logger;
}

/** Role needed for every generated root field (auth/roles.ts: analysts may build custom views). */
export const VIEWS_ROLE = 'analyst';
/** Prefix of every type of the generated layer. */
export const VIEW_PREFIX = 'View';

/**
 * The generic read layer: @neo4j/graphql over the `View*` type definitions, read-only (no mutations,
 * no subscriptions), with its generic helper types renamed so the merge cannot collide with the
 * hand-written schema: scalars, enums and inputs get the `View` prefix (DateTime -> ViewDateTime,
 * SortDirection -> ViewSortDirection, StringScalarFilters -> ViewStringScalarFilters...). Its generic
 * output types (PageInfo, Count, *AggregateSelection) keep their names because the generated
 * resolvers look them up by name; mergeViewsSchema refuses to start if one ever clashes.
 */
export async function buildViewsSchema(options: ViewsOptions): Promise<GraphQLSchema> {
  const neo = new Neo4jGraphQL({
    typeDefs: viewTypeDefs(options.maxPageSize),
    driver: options.driver,
    features: {
      excludeDeprecatedFields: {
        mutationOperations: true,
        aggregationFilters: true,
        aggregationFiltersOutsideConnection: true,
        relationshipFilters: true,
        attributeFilters: true,
      },
    },
  });
  const generated = await neo.getSchema();
  const rename = (name: string) => (name.startsWith(VIEW_PREFIX) ? name : `${VIEW_PREFIX}${name}`);
  const renamed = mapSchema(generated, {
    [MapperKind.SCALAR_TYPE]: (type) => (isSpecifiedScalarType(type) ? type : new GraphQLScalarType({ ...type.toConfig(), name: rename(type.name) })),
    [MapperKind.ENUM_TYPE]: (type) => new GraphQLEnumType({ ...type.toConfig(), name: rename(type.name) }),
    [MapperKind.INPUT_OBJECT_TYPE]: (type) => new GraphQLInputObjectType({ ...type.toConfig(), name: rename(type.name) }),
  });
  const database = options.database;
  const query = renamed.getQueryType();
  if (!query) throw new Error('custom views: @neo4j/graphql generated no Query type');
  const fields: GraphQLFieldConfigMap<unknown, Record<string, unknown>> = {};
  for (const [name, field] of Object.entries(query.toConfig().fields)) {
    const resolve = field.resolve;
    if (!resolve) throw new Error(`custom views: generated field Query.${name} has no resolver`);
    const wrapped: GraphQLFieldConfig<unknown, Record<string, unknown>> = {
      ...field,
      extensions: { ...field.extensions, [ROLE_EXTENSION]: VIEWS_ROLE },
      resolve: (source, args, context, info) => {
        assertPageSizes(info, options.maxPageSize);
        // @neo4j/graphql reads the session configuration (database) from the context.
        if (database) context.sessionConfig = { ...(context.sessionConfig as object | undefined), database };
        return resolve(source, args, context, info);
      },
    };
    fields[name] = wrapped;
  }
  const renamedConfig = renamed.toConfig();
  const views = new GraphQLSchema({
    ...renamedConfig,
    query: new GraphQLObjectType({ ...query.toConfig(), fields }),
    types: renamedConfig.types.filter((t) => t !== query),
  });
  options.logger.info({ rootFields: Object.keys(fields).length, types: Object.keys(views.getTypeMap()).length }, 'custom views schema built');
  return views;
}

const isOwnType = (type: GraphQLNamedType) => !type.name.startsWith('__') && !isSpecifiedScalarType(type);

/**
 * Merges the generated layer into the Nest code-first schema: its Query fields join the root Query,
 * its types join the type map. Any clash of a type or root field name is refused at start-up, naming it.
 */
export function mergeViewsSchema(built: GraphQLSchema, views: GraphQLSchema): GraphQLSchema {
  const builtQuery = built.getQueryType();
  const viewsQuery = views.getQueryType();
  if (!builtQuery || !viewsQuery) throw new Error('custom views: both schemas need a Query type');
  const builtTypes = built.getTypeMap();
  const clashes = Object.values(views.getTypeMap())
    .filter((t) => isOwnType(t) && t !== viewsQuery && builtTypes[t.name] !== undefined)
    .map((t) => t.name);
  const builtFields = builtQuery.toConfig().fields;
  const viewFields = viewsQuery.toConfig().fields;
  clashes.push(...Object.keys(viewFields).filter((f) => builtFields[f] !== undefined).map((f) => `Query.${f}`));
  if (clashes.length > 0) throw new Error(`custom views: names clash with the hand-written schema: ${clashes.join(', ')}`);

  const query = new GraphQLObjectType({ ...builtQuery.toConfig(), fields: { ...builtFields, ...viewFields } });
  const config = built.toConfig();
  const viewTypes = Object.values(views.getTypeMap()).filter((t) => isOwnType(t) && t !== viewsQuery);
  return new GraphQLSchema({
    ...config,
    query,
    types: [...config.types.filter((t) => t !== builtQuery), ...viewTypes],
  });
}
