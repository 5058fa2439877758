import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { EVENT_TYPES, isEventType, type EventType, type RecordedEvent } from '@app/domain';
import { oncePerDatabase } from '../once-per-database';
import { toNeo4jInt } from '../values';
import { derivedStatement } from './derived';
import { projectionStatement } from './handlers';

/**
 * Splits a batch into runs of one type (one UNWIND statement each), as few as stream order allows:
 * each event joins the first run of its type at or after the run holding the previous event of its
 * stream, at that run's end. Every stream keeps its order; events of different streams may pass
 * each other, which the projection allows (its result does not depend on the order of streams:
 * graph-properties.int-spec.ts). A batch of 1,000 interleaved incident events is a few dozen
 * statements instead of one or two per event.
 */
export function runsOfType<E extends Pick<RecordedEvent, 'type' | 'streamId'>>(events: readonly E[]): E[][] {
  const runs: E[][] = [];
  const runsOf = new Map<string, number[]>();
  const lastRunOfStream = new Map<string, number>();
  for (const event of events) {
    const after = lastRunOfStream.get(event.streamId) ?? 0;
    const ofType = runsOf.get(event.type) ?? [];
    let index = ofType.find((i) => i >= after);
    if (index === undefined) {
      index = runs.length;
      runs.push([]);
      ofType.push(index);
      runsOf.set(event.type, ofType);
    }
    runs[index].push(event);
    lastRunOfStream.set(event.streamId, index);
  }
  return runs;
}

export class UnknownEventType extends Error {
  constructor(readonly event: Pick<RecordedEvent, 'type' | 'position' | 'streamId'>) {
    super(`No projection for event type ${event.type} (position ${event.position}, stream ${event.streamId})`);
    this.name = 'UnknownEventType';
  }
}

/**
 * How a batch's statements are planned. `catch-up` (a full batch: the log is ahead) lets Neo4j
 * replan a statement whose plan went stale as the graph grew, so that a long catch-up runs on plans
 * fit for the graph it builds. `live` (a partial batch: the projector is at the head of the log)
 * keeps the cached plan (`CYPHER replan=skip`): replanning a derived statement takes 0.2-1 s, paid
 * inside the write of the events waiting for it, and it was the tail of the append-to-read lag
 * (bench/RESULTS.md). Both texts share Neo4j's plan cache, and refreshPlans replans the statements
 * of live batches off the write path.
 */
export type PlanMode = 'catch-up' | 'live';

/** The text a statement is sent as in a mode (the statement itself is the definition's, unchanged). */
export function planned(statement: string, mode: PlanMode): string {
  return mode === 'live' ? `CYPHER replan=skip ${statement}` : statement;
}

/** The statements a batch of these event types runs (projection, then derived), in order. */
export function statementsOf(types: Iterable<string>): string[] {
  return [...new Set(types)].filter(isEventType).flatMap((type) => [projectionStatement(type), derivedStatement(type)].filter((s): s is string => s !== null));
}

/**
 * Writes already-upcast events in one transaction (the caller's). Every statement is sent at once:
 * Neo4j runs them in order within the transaction, and their round trips overlap (Bolt pipelining)
 * instead of adding up. The caller may send more (the checkpoint) before awaiting this.
 */
export function applyEvents(tx: ManagedTransaction, events: readonly RecordedEvent[], mode: PlanMode = 'catch-up'): Promise<void> {
  const runs = runsOfType(events);
  const unknown = runs.find((run) => !isEventType(run[0].type));
  if (unknown) return Promise.reject(new UnknownEventType(unknown[0]));
  const sent = runs.flatMap((run) => {
    const type = run[0].type as EventType;
    const params = {
      events: run.map((event) => ({
        id: event.id,
        data: event.data,
        revision: neo4j.int(event.revision),
        position: toNeo4jInt(event.position),
      })),
    };
    // The analyses' derived facts that these events may change (./derived.ts), right after.
    const derived = derivedStatement(type);
    return [tx.run(planned(projectionStatement(type), mode), params), ...(derived ? [tx.run(planned(derived, mode), params)] : [])];
  });
  return Promise.all(sent).then(() => undefined);
}

/**
 * Has Neo4j plan every projection statement once, as live batches send it (each run with no
 * events: nothing is written). Planning the larger statements takes seconds on a busy machine;
 * done at start, it does not delay the first events of each type. Once per driver and database in
 * a process.
 */
export const warmUpProjection = oncePerDatabase(async (driver: Driver, database?: string): Promise<void> => {
  const session = driver.session({ database });
  try {
    for (const statement of statementsOf(EVENT_TYPES)) await session.executeWrite((tx) => tx.run(planned(statement, 'live'), { events: [] }));
  } finally {
    await session.close();
  }
});

/**
 * Replans these statements for the graph as it is now (`CYPHER replan=force`, run with no events:
 * nothing is written), in a session of its own: the new plans replace the cached ones that live
 * batches keep using. Returns how long it took.
 */
export async function refreshPlans(driver: Driver, statements: readonly string[], database?: string): Promise<number> {
  const started = Date.now();
  const session = driver.session({ database });
  try {
    for (const statement of statements) await session.executeWrite((tx) => tx.run(`CYPHER replan=force ${statement}`, { events: [] }));
  } finally {
    await session.close();
  }
  return Date.now() - started;
}
