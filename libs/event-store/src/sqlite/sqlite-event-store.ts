import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { categoryOf, type EventMetadata, type NewEvent, type RecordedEvent } from '@app/domain';
import {
  checkExpectedRevision,
  expectedRevisionHolds,
  withoutStored,
  type AppendResult,
  type AppendWrite,
  type BatchHandler,
  type EventFilter,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
} from '../event-store';
import { pollingSubscription } from '../polling-subscription';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  stream_id   TEXT    NOT NULL,
  category    TEXT    NOT NULL,
  revision    INTEGER NOT NULL,
  event_id    TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  data        TEXT    NOT NULL,
  metadata    TEXT    NOT NULL,
  recorded_at TEXT    NOT NULL,
  UNIQUE (stream_id, revision),
  UNIQUE (stream_id, event_id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

interface Row {
  position: bigint;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

function toRecorded(row: Row): RecordedEvent {
  return {
    id: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: Number(row.revision),
    position: row.position.toString(),
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    recordedAt: row.recorded_at,
  };
}

export interface SqliteEventStoreOptions {
  /** How often a subscription looks for appends made by other processes. */
  pollMs?: number;
  /** How long a writer waits for another process's write lock. */
  busyTimeoutMs?: number;
  /** Most events committed in one group transaction (default 10,000); a larger single append is its own group. */
  maxGroupEvents?: number;
}

/** Counters of the group commit, for tests and benchmarks. */
export interface GroupCommitStats {
  /** Group transactions committed (one fsync each). */
  commits: number;
  /** Calls to append or appendMany settled by those commits (resolved or rejected). */
  appends: number;
}

/** An append or appendMany waiting for the next group commit. */
interface PendingAppend {
  writes: readonly AppendWrite[];
  events: number;
  resolve(results: AppendResult[]): void;
  reject(error: unknown): void;
}

type Outcome = { results: AppendResult[] } | { error: unknown };

/**
 * Thrown on the first try of a group when an insert hits UNIQUE (stream_id, event_id): an id that
 * was not looked up is stored already. The group is rolled back and written again with lookups.
 */
class StoredIdFound extends Error {
  constructor(readonly streamId: string) {
    super(`an event id of ${streamId} is stored already`);
  }
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';

/**
 * The embedded log: one SQLite file in WAL mode with synchronous=FULL, so an append that returned
 * is on disk. The global position is the table's AUTOINCREMENT key: strictly increasing, never reused.
 * Writers are serialized by SQLite's write lock, so positions are visible in commit order.
 *
 * Group commit: append and appendMany queue their writes; the queue is drained on the next turn of
 * the event loop, so the appends made meanwhile by concurrent callers of this instance are committed
 * together, in queue order, in one IMMEDIATE transaction (one fsync), at most maxGroupEvents events
 * per group and one group per turn. The group is first written as one plain transaction; if a call
 * fails (wrong expected revision, unserializable data) it is rolled back and written again with each
 * call in its own savepoint, so that a failing call is rolled back alone and rejects alone, and later
 * calls of the group see the earlier ones, exactly as if they had run one after the other.
 * Idempotency: the first try does not look up the ids of an append whose expected revision holds;
 * the UNIQUE (stream_id, event_id) index finds a stored one, and the group is then written again
 * with every call's ids looked up (a retry answers with the original position). A retry whose
 * expected revision no longer holds (the usual one: the stream has moved on) is looked up at once.
 * Every promise settles after the COMMIT, never before. Other processes (and other instances) on
 * the same file are still serialized by SQLite's write lock and busy timeout.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly statements;
  private readonly id: string;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();
  private readonly queue: PendingAppend[] = [];
  private commitScheduled = false;
  private readonly maxGroupEvents: number;
  private readonly counters: GroupCommitStats = { commits: 0, appends: 0 };
  /** One call's writes in a savepoint (better-sqlite3 nests a transaction as a savepoint), ids looked up. */
  private readonly writeAll: (writes: readonly AppendWrite[]) => AppendResult[];
  /**
   * One group, first try: BEGIN IMMEDIATE, every call's writes, COMMIT; any failure rolls back all.
   * Ids are left to the unique index (no lookup): a stored one rolls the group back with StoredIdFound.
   */
  private readonly commitPlain: Database.Transaction<(group: readonly PendingAppend[]) => Outcome[]>;
  /** One group, after a failure: BEGIN IMMEDIATE, every call in its own savepoint with its ids looked up, COMMIT. */
  private readonly commitIsolated: Database.Transaction<(group: readonly PendingAppend[]) => Outcome[]>;

  constructor(
    readonly path: string,
    private readonly options: SqliteEventStoreOptions = {},
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    // A savepoint keeps the pages it changes in a statement journal; in memory, not in a temp file.
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    this.db.exec(SCHEMA);
    this.db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('log_id', ?)`).run(randomUUID());
    this.id = (this.db.prepare(`SELECT value FROM meta WHERE key = 'log_id'`).get() as { value: string }).value;
    this.appended.setMaxListeners(0);
    this.statements = {
      streamRevision: this.db.prepare(`SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?`),
      /** The ones of a JSON array of event ids that the stream already holds: one statement per append. */
      existing: this.db
        .prepare(`SELECT event_id, position FROM events WHERE stream_id = ? AND event_id IN (SELECT value FROM json_each(?))`)
        .safeIntegers(true),
      // safeIntegers: run() returns lastInsertRowid, the position, as a bigint.
      insert: this.db
        .prepare(
          `INSERT INTO events (stream_id, category, revision, event_id, type, data, metadata, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .safeIntegers(true),
      readStream: this.db
        .prepare(`SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`)
        .safeIntegers(true),
      readAll: this.db.prepare(`SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?`).safeIntegers(true),
      head: this.db.prepare(`SELECT COALESCE(MAX(position), 0) AS position FROM events`).safeIntegers(true),
    };
    this.maxGroupEvents = options.maxGroupEvents ?? 10_000;
    this.writeAll = this.db.transaction((writes: readonly AppendWrite[]) => writes.map((write) => this.writeStream(write, true)));
    this.commitPlain = this.db.transaction((group: readonly PendingAppend[]) =>
      group.map((pending): Outcome => ({ results: pending.writes.map((write) => this.writeStream(write, false)) })),
    );
    this.commitIsolated = this.db.transaction((group: readonly PendingAppend[]) =>
      group.map((pending): Outcome => {
        try {
          return { results: this.writeAll(pending.writes) };
        } catch (error) {
          // Only this call's savepoint was rolled back, unless SQLite ended the whole transaction
          // (an I/O error, a full disk): then the group fails as one.
          if (!this.db.inTransaction) throw error;
          return { error };
        }
      }),
    );
  }

  /** How many group commits this instance made, and how many appends they settled. */
  groupCommitStats(): GroupCommitStats {
    return { ...this.counters };
  }

  async logId(): Promise<string> {
    return this.id;
  }

  async append(
    streamId: string,
    events: NewEvent<string>[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const [result] = await this.enqueue([{ streamId, events, expectedRevision: options.expectedRevision }]);
    return result;
  }

  /** All writes in one savepoint of a group commit: they commit together or not at all. */
  async appendMany(writes: readonly AppendWrite[]): Promise<AppendResult[]> {
    return this.enqueue(writes);
  }

  private enqueue(writes: readonly AppendWrite[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new Error(`SqliteEventStore ${this.path} is closed`));
    return new Promise((resolve, reject) => {
      const events = writes.reduce((sum, write) => sum + write.events.length, 0);
      this.queue.push({ writes, events, resolve, reject });
      this.scheduleCommit();
    });
  }

  /** On the next turn, not now: the callers running in this turn join the same group. */
  private scheduleCommit(): void {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    setImmediate(() => {
      this.commitScheduled = false;
      this.commitNextGroup();
      // One group per turn: between two groups, their callers and the I/O of the process run.
      if (this.queue.length > 0) this.scheduleCommit();
    });
  }

  /** Commits the head of the queue; every promise of the group settles after the COMMIT that decided it. */
  private commitNextGroup(): void {
    if (this.queue.length === 0) return;
    const group = this.takeGroup();
    let outcomes: Outcome[];
    try {
      // IMMEDIATE takes the write lock up front, so the revision reads and the inserts are one step.
      // Optimistic: no savepoints (two statements per call saved), as the calls almost never fail.
      outcomes = this.commitPlain.immediate(group);
    } catch (error) {
      // Nothing of the group was committed. Alone, the call has its answer (unless it hit a stored id
      // that was not looked up); in a group, the group is written again with a savepoint per call and
      // its ids looked up, so that only the failing calls fail and retries find their events.
      try {
        if (group.length === 1 && !(error instanceof StoredIdFound)) throw error;
        outcomes = this.commitIsolated.immediate(group);
      } catch (final) {
        // BEGIN or COMMIT failed, or SQLite aborted the transaction: nothing of the group is committed.
        for (const pending of group) pending.reject(final);
        return;
      }
    }
    this.counters.commits += 1;
    this.counters.appends += group.length;
    let last: string | undefined;
    group.forEach((pending, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) return pending.reject(outcome.error);
      for (const result of outcome.results) if (result.appended > 0) last = result.position;
      pending.resolve(outcome.results);
    });
    if (last !== undefined) this.appended.emit('append', last);
  }

  /** The head of the queue up to maxGroupEvents (at least one call, however large). */
  private takeGroup(): PendingAppend[] {
    let events = this.queue[0].events;
    let count = 1;
    while (count < this.queue.length && events + this.queue[count].events <= this.maxGroupEvents) {
      events += this.queue[count].events;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  /**
   * One stream's write, inside the caller's transaction. Without `lookup`, the ids of a write whose
   * expected revision holds are not looked up: an insert of a stored one throws StoredIdFound.
   */
  private writeStream({ streamId, events, expectedRevision: expected = 'any' }: AppendWrite, lookup: boolean): AppendResult {
    const { revision } = this.statements.streamRevision.get(streamId) as { revision: number | null };
    const current = revision ?? -1;
    // A new stream holds no id yet; on the first try, the unique index stands in for the lookup.
    const trustIndex = current === -1 || (!lookup && expectedRevisionHolds(expected, current));
    const stored = trustIndex ? new Map<string, bigint>() : this.storedIds(streamId, events);
    const { fresh, lastDuplicate } = withoutStored(events, (event) => event.id, stored);
    if (fresh.length === 0) {
      // A retried append: every event is already stored, so it succeeds without a revision check.
      return { streamId, nextRevision: current, position: (lastDuplicate ?? 0n).toString(), appended: 0 };
    }
    checkExpectedRevision(streamId, expected, current);
    const recordedAt = new Date().toISOString();
    const category = categoryOf(streamId);
    let position = 0n;
    fresh.forEach((event, i) => {
      let inserted: Database.RunResult;
      try {
        inserted = this.statements.insert.run(
          streamId,
          category,
          current + 1 + i,
          event.id,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata ?? {}),
          recordedAt,
        );
      } catch (error) {
        // The revision is read under the write lock, so only an id can collide: one not looked up.
        if (trustIndex && current !== -1 && isUniqueViolation(error)) throw new StoredIdFound(streamId);
        throw error;
      }
      position = BigInt(inserted.lastInsertRowid);
    });
    return { streamId, nextRevision: current + fresh.length, position: position.toString(), appended: fresh.length };
  }

  /** Positions of the events of `events` that the stream already holds, by id. */
  private storedIds(streamId: string, events: readonly NewEvent<string>[]): Map<string, bigint> {
    const rows = this.statements.existing.all(streamId, JSON.stringify(events.map((event) => event.id))) as { event_id: string; position: bigint }[];
    return new Map(rows.map((row) => [row.event_id, row.position]));
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const rows = this.statements.readStream.all(streamId, options.fromRevision ?? 0, options.maxCount ?? -1) as Row[];
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return (await this.readAfter(options.fromPosition ?? '0', options.maxCount ?? 1000, options.filter)).events;
  }

  /** Reads up to `maxCount` matching events after `position`; `scannedTo` is the last position looked at. */
  async readAfter(position: string, maxCount: number, filter?: EventFilter): Promise<{ events: RecordedEvent[]; scannedTo: string }> {
    if (!filter || (!filter.types?.length && !filter.streamIds?.length && !filter.categories?.length)) {
      const rows = this.statements.readAll.all(BigInt(position), maxCount) as Row[];
      const events = rows.map(toRecorded);
      return { events, scannedTo: events.length ? events[events.length - 1].position : position };
    }
    const clauses = ['position > ?'];
    const params: unknown[] = [BigInt(position)];
    for (const [column, values] of [
      ['type', filter.types],
      ['stream_id', filter.streamIds],
      ['category', filter.categories],
    ] as const) {
      if (values?.length) {
        clauses.push(`${column} IN (${values.map(() => '?').join(', ')})`);
        params.push(...values);
      }
    }
    const query = this.db
      .prepare(`SELECT * FROM events WHERE ${clauses.join(' AND ')} ORDER BY position LIMIT ?`)
      .safeIntegers(true);
    // One read transaction: the matches and the head come from the same snapshot.
    const { rows, head } = this.db.transaction(() => ({
      rows: query.all(...params, maxCount) as Row[],
      head: (this.statements.head.get() as { position: bigint }).position,
    }))();
    const events = rows.map(toRecorded);
    // Fewer matches than asked for means everything up to the head was scanned.
    const scannedTo = events.length === maxCount ? BigInt(events[events.length - 1].position) : head;
    return { events, scannedTo: (scannedTo > BigInt(position) ? scannedTo : BigInt(position)).toString() };
  }

  subscribe(options: SubscribeOptions, handler: BatchHandler): Subscription {
    const subscription = pollingSubscription(
      {
        readAfter: (position, maxCount, filter) => this.readAfter(position, maxCount, filter),
        waitForChange: (_after, timeoutMs, signal) => this.waitForAppend(timeoutMs, signal),
      },
      { ...options, pollMs: this.options.pollMs },
      handler,
    );
    this.subscriptions.add(subscription);
    void subscription.done.finally(() => this.subscriptions.delete(subscription)).catch(() => undefined);
    return subscription;
  }

  private waitForAppend(timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.appended.off('append', finish);
        signal.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.appended.on('append', finish);
      signal.addEventListener('abort', finish);
    });
  }

  async headPosition(): Promise<string> {
    return (this.statements.head.get() as { position: bigint }).position.toString();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends already queued are committed (and acknowledged) before the file is closed.
    while (this.queue.length > 0) this.commitNextGroup();
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.db.close();
  }
}
