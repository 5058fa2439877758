/**
 * What analysts may call from the sandbox. Everything else namespaced (apoc.load.*, apoc.export.*,
 * apoc.import.*, apoc.periodic.*, apoc.cypher.*, apoc.trigger.*, apoc.util.sleep, dbms.*, db.create*, ...)
 * is refused, whatever the server allows: the local Neo4j runs with apoc.* unrestricted.
 * Names are compared lower-cased.
 */
export const ALLOWED_PROCEDURES: ReadonlySet<string> = new Set(
  [
    'db.labels',
    'db.relationshipTypes',
    'db.propertyKeys',
    'db.schema.visualization',
    'db.schema.nodeTypeProperties',
    'db.schema.relTypeProperties',
    'apoc.meta.stats',
    'apoc.meta.schema',
    'apoc.meta.data',
    'apoc.path.expand',
    'apoc.path.expandConfig',
    'apoc.path.subgraphNodes',
    'apoc.path.subgraphAll',
    'apoc.path.spanningTree',
    'apoc.algo.dijkstra',
    'apoc.algo.aStar',
    'apoc.algo.allSimplePaths',
    'apoc.neighbors.tohop',
    'apoc.neighbors.byhop',
    'apoc.neighbors.athop',
  ].map((name) => name.toLowerCase()),
);

/** Namespaced functions: pure computations over values, nodes and paths. Unqualified (built-in) functions are all allowed. */
const ALLOWED_FUNCTION_PREFIXES = [
  'apoc.coll.',
  'apoc.text.',
  'apoc.map.',
  'apoc.date.',
  'apoc.temporal.',
  'apoc.convert.',
  'apoc.agg.',
  'apoc.math.',
  'apoc.number.',
  'apoc.node.',
  'apoc.nodes.',
  'apoc.rel.',
  'apoc.label.',
  'apoc.any.',
  'apoc.meta.cypher.',
  'apoc.path.',
  'apoc.scoring.',
  'apoc.hashing.',
  'date.',
  'datetime.',
  'localdatetime.',
  'time.',
  'localtime.',
  'duration.',
  'point.',
  'vector.similarity.',
];
const ALLOWED_FUNCTIONS = new Set(['apoc.json.path', 'db.nameFromElementId'].map((name) => name.toLowerCase()));

export const isAllowedProcedure = (name: string) => ALLOWED_PROCEDURES.has(name.toLowerCase());

export function isAllowedFunction(name: string): boolean {
  const lower = name.toLowerCase();
  if (!lower.includes('.')) return true;
  return ALLOWED_FUNCTIONS.has(lower) || ALLOWED_FUNCTION_PREFIXES.some((prefix) => lower.startsWith(prefix) && lower.length > prefix.length);
}
