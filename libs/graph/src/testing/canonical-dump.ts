import type { Driver } from 'neo4j-driver';
import { toPlain } from '../values';

/** Labels keyed by `id` and by `key` (`<incidentId>/<childId>`): every key starts with an entity id. */
const BY_ID = ['Person', 'Team', 'Service', 'Incident'] as const;
const BY_KEY = ['ActionItem', 'TimelineNote', 'ContributingFactor', 'Review'] as const;

export interface DumpOptions {
  /** Every node whose id (or key) starts with this prefix, plus the time zones its people are in. */
  prefix: string;
  /** Property names left out, e.g. `eventId` when the two graphs came from re-created events. */
  omit?: readonly string[];
  database?: string;
}

export interface CanonicalDump {
  nodes: string[];
  relationships: string[];
}

/**
 * A deterministic, sorted text form of one test's subgraph, so that two graphs built from the same
 * events compare equal with `toEqual`. The prefix is written as `<prefix>` in every string, so
 * graphs built in two id spaces (two prefixes) compare too. Properties are sorted by name; times
 * are ISO-8601 with the offset they were given in; a relationship is written with its end nodes'
 * keys and all its properties, and duplicates are kept (a duplicate is a bug the dump must show).
 */
export async function canonicalDump(driver: Driver, options: DumpOptions): Promise<CanonicalDump> {
  const { prefix, database } = options;
  const omit = new Set(options.omit ?? []);
  const selection = [
    ...BY_ID.map((label) => `MATCH (n:${label}) WHERE n.id STARTS WITH $prefix RETURN n`),
    ...BY_KEY.map((label) => `MATCH (n:${label}) WHERE n.key STARTS WITH $prefix RETURN n`),
    'MATCH (p:Person)-[:IN_TIME_ZONE]->(n:TimeZone) WHERE p.id STARTS WITH $prefix RETURN DISTINCT n',
  ].join(' UNION ');
  const query = `
    CALL () { ${selection} }
    WITH collect(n) AS nodes
    UNWIND nodes AS n
    OPTIONAL MATCH (n)-[r]->(m) WHERE m IN nodes
    RETURN labels(n) AS labels, properties(n) AS props,
           collect(CASE WHEN r IS NULL THEN NULL ELSE {type: type(r), props: properties(r), to: m} END) AS out`;
  const result = await driver.executeQuery(query, { prefix }, { database, routing: 'READ' });

  const text = (value: unknown): string => JSON.stringify(normalize(toPlain(value), prefix, omit));
  const keyOf = (labels: string[], props: Record<string, unknown>): string => {
    const label = [...labels].sort().join(':');
    const key = props.id ?? props.key ?? props.name;
    return `${label}:${String(key).split(prefix).join('<prefix>')}`;
  };
  const nodes: string[] = [];
  const relationships: string[] = [];
  for (const record of result.records) {
    const labels = record.get('labels') as string[];
    const props = record.get('props') as Record<string, unknown>;
    const from = keyOf(labels, props);
    nodes.push(`(${from} ${text(props)})`);
    for (const rel of record.get('out') as { type: string; props: Record<string, unknown>; to: { labels: string[]; properties: Record<string, unknown> } }[]) {
      relationships.push(`(${from})-[${rel.type} ${text(rel.props)}]->(${keyOf(rel.to.labels, rel.to.properties)})`);
    }
  }
  return { nodes: nodes.sort(), relationships: relationships.sort() };
}

/** Sorted keys, omitted names dropped, the prefix replaced in every string. */
function normalize(value: unknown, prefix: string, omit: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return value.split(prefix).join('<prefix>');
  if (Array.isArray(value)) return value.map((item) => normalize(item, prefix, omit));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !omit.has(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, item]) => [key, normalize(item, prefix, omit)]));
  }
  return value;
}
