import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { isEventType, type RecordedEvent } from '@app/domain';
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
