import type Database from 'better-sqlite3';
import { checkExpectedRevision, withoutStored, WrongExpectedRevision, type AppendResult, type ExpectedRevision } from '../event-store';

/**
 * The log's writing side, on one connection (the writer thread's: sqlite-writer.worker.ts). It
 * imports no path alias and nothing but types from the domain, so the worker can load it as is.
 */

/** One stream's write as the writer gets it: category and JSON already made by the caller. */
export interface PreparedWrite {
  streamId: string;
  category: string;
  expectedRevision: ExpectedRevision;
  events: { id: string; type: string; data: string; metadata: string }[];
}

/** One append or appendMany call: all its writes commit together or not at all. */
export interface WriteCall {
  id: number;
  writes: PreparedWrite[];
  events: number;
}

/** An error as it crosses the thread: enough to rebuild the same class on the other side. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
  streamId?: string;
  expected?: ExpectedRevision;
  actual?: number;
}

export type CallOutcome = { id: number; results: AppendResult[] } | { id: number; error: WireError };

/** What one group commit settles: every call's outcome, or one error for all when nothing committed. */
export type GroupOutcome = { committed: true; calls: CallOutcome[] } | { committed: false; ids: number[]; error: WireError };

export function toWire(error: unknown): WireError {
  if (error instanceof WrongExpectedRevision) {
    return { name: error.name, message: error.message, streamId: error.streamId, expected: error.expected, actual: error.actual };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  const code = (e as { code?: unknown }).code;
  return { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) };
}

export function fromWire(wire: WireError): Error {
  if (wire.name === 'WrongExpectedRevision' && wire.streamId !== undefined && wire.expected !== undefined && wire.actual !== undefined) {
    return new WrongExpectedRevision(wire.streamId, wire.expected, wire.actual);
  }
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.code) Object.assign(error, { code: wire.code });
  return error;
}

export const WRITER_PRAGMAS = ['journal_mode = WAL', 'synchronous = FULL', 'temp_store = MEMORY'];

/**
 * Group commit on one connection. A group is first written as one plain IMMEDIATE transaction (the
 * calls almost never fail, and a savepoint per call costs two statements); if a call fails, nothing
 * of the group is committed and it is written again with each call in its own savepoint, so that
 * only the failing calls fail, and later calls see the earlier ones as if they ran one by one.
 */
export class GroupWriter {
  private readonly statements;
  private readonly writeAll: (writes: readonly PreparedWrite[]) => AppendResult[];
  private readonly commitPlain: Database.Transaction<(group: readonly WriteCall[]) => CallOutcome[]>;
  private readonly commitIsolated: Database.Transaction<(group: readonly WriteCall[]) => CallOutcome[]>;

  constructor(private readonly db: Database.Database) {
    this.statements = {
      streamRevision: db.prepare(`SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?`),
      /** The ones of a JSON array of event ids that the stream already holds: one statement per write. */
      existing: db.prepare(`SELECT event_id, position FROM events WHERE stream_id = ? AND event_id IN (SELECT value FROM json_each(?))`).safeIntegers(true),
      // safeIntegers: run() returns lastInsertRowid, the position, as a bigint.
      insert: db
        .prepare(
          `INSERT INTO events (stream_id, category, revision, event_id, type, data, metadata, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .safeIntegers(true),
    };
    // better-sqlite3 nests a transaction as a savepoint.
    this.writeAll = db.transaction((writes: readonly PreparedWrite[]) => writes.map((write) => this.writeStream(write)));
    this.commitPlain = db.transaction((group: readonly WriteCall[]) => group.map((call) => ({ id: call.id, results: call.writes.map((write) => this.writeStream(write)) })));
    this.commitIsolated = db.transaction((group: readonly WriteCall[]) =>
      group.map((call): CallOutcome => {
        try {
          return { id: call.id, results: this.writeAll(call.writes) };
        } catch (error) {
          // Only this call's savepoint was rolled back, unless SQLite ended the whole transaction
          // (an I/O error, a full disk): then the group fails as one.
          if (!this.db.inTransaction) throw error;
          return { id: call.id, error: toWire(error) };
        }
      }),
    );
  }

  /** Commits one group; every outcome holds only after its COMMIT. */
  commit(group: readonly WriteCall[]): GroupOutcome {
    try {
      // IMMEDIATE takes the write lock up front, so the revision reads and the inserts are one step.
      return { committed: true, calls: this.commitPlain.immediate(group) };
    } catch (error) {
      if (group.length === 1) {
        // Alone, the call has its answer (nothing was committed).
        return { committed: false, ids: [group[0].id], error: toWire(error) };
      }
      try {
        return { committed: true, calls: this.commitIsolated.immediate(group) };
      } catch (final) {
        // BEGIN or COMMIT failed, or SQLite aborted the transaction: nothing of the group is committed.
        return { committed: false, ids: group.map((call) => call.id), error: toWire(final) };
      }
    }
  }

  /** One stream's write, inside the caller's transaction. */
  private writeStream({ streamId, category, events, expectedRevision }: PreparedWrite): AppendResult {
    const { revision } = this.statements.streamRevision.get(streamId) as { revision: number | null };
    const current = revision ?? -1;
    // A new stream holds no id yet: no lookup.
    const stored = current === -1 ? new Map<string, bigint>() : this.storedIds(streamId, events);
    const { fresh, lastDuplicate } = withoutStored(events, (event) => event.id, stored);
    if (fresh.length === 0) {
      // A retried append: every event is already stored, so it succeeds without a revision check.
      return { streamId, nextRevision: current, position: (lastDuplicate ?? 0n).toString(), appended: 0 };
    }
    checkExpectedRevision(streamId, expectedRevision, current);
    const recordedAt = new Date().toISOString();
    let position = 0n;
    fresh.forEach((event, i) => {
      const { lastInsertRowid } = this.statements.insert.run(streamId, category, current + 1 + i, event.id, event.type, event.data, event.metadata, recordedAt);
      position = BigInt(lastInsertRowid);
    });
    return { streamId, nextRevision: current + fresh.length, position: position.toString(), appended: fresh.length };
  }

  /** Positions of the events that the stream already holds, by id. */
  private storedIds(streamId: string, events: readonly { id: string }[]): Map<string, bigint> {
    const rows = this.statements.existing.all(streamId, JSON.stringify(events.map((event) => event.id))) as { event_id: string; position: bigint }[];
    return new Map(rows.map((row) => [row.event_id, row.position]));
  }
}
