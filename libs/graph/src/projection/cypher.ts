/**
 * Building blocks of the projection statements. Every statement runs as
 * `UNWIND $events AS e CALL (e) { <body> }`: the body runs once per event, in log order, and each
 * run sees what the previous ones wrote, so a batch has the effect of projecting its events one by one.
 * Labels, relationship types and property names are fixed text from this file and the handlers;
 * every value comes from the `$events` parameter.
 */

/** Business time of the event being projected. */
export const AT = 'datetime(e.data.occurredAt)';

/** MERGE a node by id, marking it a placeholder when this creates it. */
export const ref = (variable: string, label: string, idExpr: string) =>
  `MERGE (${variable}:${label} {id: ${idExpr}}) ON CREATE SET ${variable}.placeholder = true`;

/** Runs `body` for an optional id, binding it as `x`. */
export const optional = (idExpr: string, body: string) =>
  `FOREACH (x IN CASE WHEN ${idExpr} IS NULL THEN [] ELSE [${idExpr}] END | ${body})`;

/** A unit subquery: runs `body` for the current row without changing the number of rows. */
export const effect = (imports: string, body: string) => `CALL (${imports}) { ${body} }`;

/** The smallest non-null value of a list expression (null when there is none). */
export const minOf = (listExpr: string) =>
  `reduce(m = null, v IN ${listExpr} | CASE WHEN v IS NULL THEN m WHEN m IS NULL OR v < m THEN v ELSE m END)`;

export interface Chain {
  /** The relationship just merged (created by this event, or found again on a replay). */
  rel: string;
  /** Variables kept besides `rel`: those the patterns and the closers use, and what follows needs. */
  scope: string;
  /** The other relationships of the same chain, bound as `x`, e.g. `(:Team)-[x:OWNS]->(s)`. */
  siblings: string;
  since?: string;
  until?: string;
  /** Times that end any relationship of the chain, or this one, when at or after its start. */
  closers?: string[];
  /** Lists of such times, e.g. `coalesce(t.detachedAt, [])`. */
  closerLists?: string[];
  /**
   * Whether the new relationship takes over an end that its predecessor received from an event that
   * left no other trace (a removal): only sound when every end of the chain applies to all of it.
   */
  inheritEnd?: boolean;
}

/**
 * Inserts `rel` into its temporal chain by business time: ordered by (since, revision), each
 * relationship ends at the latest at the next one's start and at every closer after its own start.
 * Ends only ever move earlier (`until = min(...)`), so projecting the chain's events in any order,
 * or twice, gives the same intervals.
 */
export function insertIntoChain(chain: Chain): string {
  const { rel, scope, siblings } = chain;
  const since = chain.since ?? 'since';
  const until = chain.until ?? 'until';
  const before = `(x.${since} < ${rel}.${since} OR (x.${since} = ${rel}.${since} AND x.revision < ${rel}.revision))`;
  const after = `(x.${since} > ${rel}.${since} OR (x.${since} = ${rel}.${since} AND x.revision > ${rel}.revision))`;
  const inherited = chain.inheritEnd ? [`CASE WHEN head(previous).${until} > ${rel}.${since} THEN head(previous).${until} END`] : [];
  // A closer list holds the times of events of the chain's own stream (a team's detachments): one at
  // the very instant the relationship starts came earlier in the stream, since a stream is projected
  // in order, so it ends only what started strictly before it (a later event at the same instant wins).
  const lists = (chain.closerLists ?? []).map((list) => `[closer_ IN ${list} WHERE closer_ > ${rel}.${chain.since ?? 'since'}]`);
  const ends = [`[${(chain.closers ?? []).join(', ')}]`, ...lists].join(' + ');
  return `
    WITH ${rel}, ${scope},
      COLLECT { MATCH ${siblings} WHERE x <> ${rel} AND ${before} RETURN x ORDER BY x.${since} DESC, x.revision DESC LIMIT 1 } AS previous,
      COLLECT { MATCH ${siblings} WHERE x <> ${rel} AND ${after} RETURN x.${since} ORDER BY x.${since}, x.revision LIMIT 1 } AS nextStart,
      ${ends} AS ends
    WITH ${rel}, ${scope}, previous,
      ${minOf(`[${[`${rel}.${until}`, 'head(nextStart)', ...inherited].join(', ')}] + [closer_ IN ends WHERE closer_ >= ${rel}.${since}]`)} AS end
    SET ${rel}.${until} = end
    FOREACH (p IN previous | SET p.${until} = ${minOf(`[p.${until}, ${rel}.${since}]`)})`;
}

/**
 * An event that ends a chain at `time` (a removal, a dissolution): every relationship of the
 * pattern (bound as `x`) that started at or before `time` ends at the latest then. Earlier ones
 * already end before the next start, so only the one holding at `time` changes.
 */
export function closeAt(
  imports: string,
  pattern: string,
  time: string,
  condition = 'true',
  props: { since?: string; until?: string } = {},
): string {
  const since = props.since ?? 'since';
  const until = props.until ?? 'until';
  return effect(
    imports,
    `MATCH ${pattern} WHERE ${condition} AND x.${since} <= ${time}
     SET x.${until} = ${minOf(`[x.${until}, ${time}]`)}`,
  );
}

/** Adds a time to a list property once, so a replay changes nothing. */
export const addTime = (target: string, time: string) =>
  `SET ${target} = CASE WHEN ${time} IN coalesce(${target}, []) THEN ${target} ELSE coalesce(${target}, []) + [${time}] END`;
