import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { categoryOf, type EventMetadata, type NewEvent, type RecordedEvent } from '@app/domain';
import {
  WrongExpectedRevision,
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
}

/**
 * The embedded log: one SQLite file in WAL mode with synchronous=FULL, so an append that returned
 * is on disk. The global position is the table's AUTOINCREMENT key: strictly increasing, never reused.
 * Writers are serialized by SQLite's write lock, so positions are visible in commit order.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly statements;
  private readonly id: string;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    readonly path: string,
    private readonly options: SqliteEventStoreOptions = {},
  ) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    this.db.exec(SCHEMA);
    this.db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('log_id', ?)`).run(randomUUID());
    this.id = (this.db.prepare(`SELECT value FROM meta WHERE key = 'log_id'`).get() as { value: string }).value;
    this.appended.setMaxListeners(0);
    this.statements = {
      streamRevision: this.db.prepare(`SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?`),
      existing: this.db
        .prepare(`SELECT position, revision FROM events WHERE stream_id = ? AND event_id = ?`)
        .safeIntegers(true),
      insert: this.db
        .prepare(
          `INSERT INTO events (stream_id, category, revision, event_id, type, data, metadata, recorded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING position`,
        )
        .safeIntegers(true),
      readStream: this.db
        .prepare(`SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`)
        .safeIntegers(true),
      readAll: this.db.prepare(`SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?`).safeIntegers(true),
      head: this.db.prepare(`SELECT COALESCE(MAX(position), 0) AS position FROM events`).safeIntegers(true),
    };
  }

  async logId(): Promise<string> {
    return this.id;
  }

  async append(
    streamId: string,
    events: NewEvent<string>[],
    options: { expectedRevision?: ExpectedRevision } = {},
  ): Promise<AppendResult> {
    const result = this.appendSync(streamId, events, options.expectedRevision ?? 'any');
    if (result.appended > 0) this.appended.emit('append', result.position);
    return result;
  }

  /** One IMMEDIATE transaction for all writes, so one fsync; each write runs as a savepoint inside it. */
  async appendMany(writes: readonly AppendWrite[]): Promise<AppendResult[]> {
    const run = this.db.transaction(() =>
      writes.map((write) => this.appendSync(write.streamId, write.events, write.expectedRevision ?? 'any')),
    );
    const results = run.immediate();
    const last = results.filter((result) => result.appended > 0).at(-1);
    if (last) this.appended.emit('append', last.position);
    return results;
  }

  private appendSync(streamId: string, events: NewEvent<string>[], expected: ExpectedRevision): AppendResult {
    const run = this.db.transaction((): AppendResult => {
      const { revision } = this.statements.streamRevision.get(streamId) as { revision: number | null };
      const current = revision ?? -1;
      const seen = new Set<string>();
      let lastDuplicate: bigint | null = null;
      const fresh = events.filter((event) => {
        if (seen.has(event.id)) return false;
        seen.add(event.id);
        const existing = this.statements.existing.get(streamId, event.id) as { position: bigint } | undefined;
        if (existing) lastDuplicate = existing.position;
        return !existing;
      });
      if (fresh.length === 0) {
        // A retried append: every event is already stored, so it succeeds without a revision check.
        return { streamId, nextRevision: current, position: (lastDuplicate ?? 0n).toString(), appended: 0 };
      }
      if (expected === 'no_stream' ? current !== -1 : expected !== 'any' && expected !== current) {
        throw new WrongExpectedRevision(streamId, expected, current);
      }
      const recordedAt = new Date().toISOString();
      const category = categoryOf(streamId);
      let position = 0n;
      fresh.forEach((event, i) => {
        const row = this.statements.insert.get(
          streamId,
          category,
          current + 1 + i,
          event.id,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata ?? {}),
          recordedAt,
        ) as { position: bigint };
        position = row.position;
      });
      return { streamId, nextRevision: current + fresh.length, position: position.toString(), appended: fresh.length };
    });
    // IMMEDIATE takes the write lock up front, so the revision read and the insert are one step.
    return run.immediate();
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
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.db.close();
  }
}
