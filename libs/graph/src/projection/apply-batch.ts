import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import { EVENT_TYPES, isEventType, type RecordedEvent } from '@app/domain';
import { oncePerDatabase } from '../once-per-database';
import { toNeo4jInt } from '../values';
import { derivedStatement } from './derived';
import { projectionStatement } from './handlers';

/** Splits a batch into runs of consecutive events of one type: one UNWIND each, order kept. */
export function runsOfType(events: readonly RecordedEvent[]): RecordedEvent[][] {
  const runs: RecordedEvent[][] = [];
  for (const event of events) {
    const last = runs[runs.length - 1];
    if (last && last[0].type === event.type) last.push(event);
    else runs.push([event]);
  }
  return runs;
}

export class UnknownEventType extends Error {
  constructor(readonly event: Pick<RecordedEvent, 'type' | 'position' | 'streamId'>) {
    super(`No projection for event type ${event.type} (position ${event.position}, stream ${event.streamId})`);
    this.name = 'UnknownEventType';
  }
}

/** Writes already-upcast events in one transaction (the caller's). */
export async function applyEvents(tx: ManagedTransaction, events: readonly RecordedEvent[]): Promise<void> {
  for (const run of runsOfType(events)) {
    const type = run[0].type;
    if (!isEventType(type)) throw new UnknownEventType(run[0]);
    const params = run.map((event) => ({
      id: event.id,
      data: event.data,
      revision: neo4j.int(event.revision),
      position: toNeo4jInt(event.position),
    }));
    await tx.run(projectionStatement(type), { events: params });
    // The analyses' derived facts that these events may change (./derived.ts), in the same transaction.
    const derived = derivedStatement(type);
    if (derived) await tx.run(derived, { events: params });
  }
}

/**
 * Has Neo4j plan every projection statement once (each run with no events: nothing is written).
 * Planning the larger statements takes seconds on a busy machine; done at start, it does not delay
 * the first events of each type. Once per driver and database in a process.
 */
export const warmUpProjection = oncePerDatabase(async (driver: Driver, database?: string): Promise<void> => {
  const statements = EVENT_TYPES.flatMap((type) => [projectionStatement(type), derivedStatement(type)]).filter((s): s is string => s !== null);
  const session = driver.session({ database });
  try {
    for (const statement of statements) await session.executeWrite((tx) => tx.run(statement, { events: [] }));
  } finally {
    await session.close();
  }
});
