import { fold, upcast, type DomainEvent, type EventMetadata, type PreparedCommand } from '@app/domain';
import { WrongExpectedRevision, type EventStore } from './event-store';
import { newEventId, uuidV5 } from './uuid';

export interface CommandResult {
  streamId: string;
  revision: number;
  position: string;
  /** False when an idempotent retry returned the first result. */
  appended: boolean;
}

export class ConcurrencyConflict extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedRevision: number | 'no_stream' | 'any',
    readonly actualRevision: number,
    readonly attempts: number,
  ) {
    super(
      `Stream ${streamId} changed concurrently: expected revision ${expectedRevision}, found ${actualRevision}` +
        (attempts > 1 ? ` (after ${attempts} attempts)` : ''),
    );
    this.name = 'ConcurrencyConflict';
  }
}

export interface HandleOptions {
  metadata: EventMetadata;
  /** Re-read and re-decide this many times when another writer got there first. */
  maxAttempts?: number;
}

/**
 * Read the stream, fold it, decide, append with the revision that was read. With an explicit
 * expectedRevision a concurrent change is the caller's conflict; without one the command is
 * decided again on the new state, a bounded number of times.
 */
export async function handleCommand(store: EventStore, prepared: PreparedCommand, options: HandleOptions): Promise<CommandResult> {
  const { streamId, decider, command, expectedRevision, idempotencyKey } = prepared;
  const maxAttempts = options.maxAttempts ?? 10;
  const eventId = (index: number) =>
    idempotencyKey === undefined ? newEventId() : uuidV5(`${streamId}\u0000${idempotencyKey}\u0000${index}`);

  for (let attempt = 1; ; attempt++) {
    const history = await store.readStream(streamId);
    const current = history.length === 0 ? -1 : history[history.length - 1].revision;

    if (idempotencyKey !== undefined) {
      const firstId = eventId(0);
      const earlier = history.filter((event) => event.id === firstId || event.metadata.idempotencyKey === idempotencyKey);
      if (earlier.length > 0) {
        const last = earlier[earlier.length - 1];
        return { streamId, revision: last.revision, position: last.position, appended: false };
      }
    }
    if (expectedRevision !== undefined && expectedRevision !== current) {
      throw new ConcurrencyConflict(streamId, expectedRevision, current, attempt);
    }

    const state = fold(decider, history.map((event) => upcast(event) as unknown as DomainEvent));
    const decided: DomainEvent[] = decider.decide(command, state);
    const metadata: EventMetadata = {
      schemaVersion: 1,
      ...options.metadata,
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    };
    const events = decided.map((event, index) => ({ id: eventId(index), type: event.type, data: { ...event.data }, metadata }));
    try {
      const result = await store.append(streamId, events, { expectedRevision: current === -1 ? 'no_stream' : current });
      if (result.appended > 0) return { streamId, revision: result.nextRevision, position: result.position, appended: true };
      // A concurrent retry of the same idempotent command stored these events first: answer
      // with where they are, not with the stream's current revision.
      const lastId = events[events.length - 1].id;
      const stored = (await store.readStream(streamId, { fromRevision: current + 1 })).find((event) => event.id === lastId);
      if (!stored) throw new Error(`Event ${lastId} was reported as a duplicate but is not in ${streamId}`);
      return { streamId, revision: stored.revision, position: stored.position, appended: false };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevision)) throw error;
      if (expectedRevision !== undefined || attempt >= maxAttempts) {
        throw new ConcurrencyConflict(streamId, expectedRevision ?? current, error.actual, attempt);
      }
      // Writers that collided would collide again in lock-step: spread them out a little.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}
