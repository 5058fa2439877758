import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { categoryOf, type EventMetadata, type NewEvent, type RecordedEvent } from '@app/domain';
import {
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
import { fromWire, WRITER_PRAGMAS, type GroupOutcome, type PreparedWrite, type WriteCall } from './sqlite-writer';

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

/** An append or appendMany sent to the writer thread, waiting for the commit that settles it. */
interface PendingAppend {
  resolve(results: AppendResult[]): void;
  reject(error: unknown): void;
}

/**
 * The embedded log: one SQLite file in WAL mode with synchronous=FULL, so an append that returned
 * is on disk. The global position is the table's AUTOINCREMENT key: strictly increasing, never reused.
 * Writers are serialized by SQLite's write lock, so positions are visible in commit order.
 *
 * Writes run on a thread of their own (sqlite-writer.worker.ts) with its own connection, so that a
 * commit's fsync never blocks this process's event loop (requests, the embedded projector); reads
 * stay on this thread's connection, which WAL lets read while the writer commits.
 *
 * Group commit: append and appendMany send their writes to the writer thread; the calls that arrive
 * while it commits are committed together, in arrival order, in one IMMEDIATE transaction (one
 * fsync), at most maxGroupEvents events per group and one group per turn. The group is first
 * written as one plain transaction; if a call fails (wrong expected revision) it is rolled back and
 * written again with each call in its own savepoint, so that a failing call is rolled back alone and
 * rejects alone, and later calls of the group see the earlier ones, exactly as if they had run one
 * after the other. Every promise settles after the COMMIT, never before. Other processes (and other
 * instances) on the same file are still serialized by SQLite's write lock and busy timeout.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly appended = new EventEmitter();
  private readonly statements;
  private readonly id: string;
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();
  private readonly writer: Worker;
  private readonly pending = new Map<number, PendingAppend>();
  private nextCall = 1;
  private readonly outbox: WriteCall[] = [];
  private sendScheduled = false;
  /** Set when the writer thread failed: every append from then on is refused with it. */
  private writerFailure: Error | null = null;
  private readonly writerExited: Promise<void>;
  private readonly counters: GroupCommitStats = { commits: 0, appends: 0 };

  constructor(
    readonly path: string,
    private readonly options: SqliteEventStoreOptions = {},
  ) {
    if (path === ':memory:') throw new Error('SqliteEventStore needs a file path, not :memory:: its writer thread opens the file with a connection of its own');
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    for (const pragma of WRITER_PRAGMAS) this.db.pragma(pragma);
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    this.db.exec(SCHEMA);
    this.db.prepare(`INSERT OR IGNORE INTO meta (key, value) VALUES ('log_id', ?)`).run(randomUUID());
    this.id = (this.db.prepare(`SELECT value FROM meta WHERE key = 'log_id'`).get() as { value: string }).value;
    this.appended.setMaxListeners(0);
    this.statements = {
      readStream: this.db
        .prepare(`SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`)
        .safeIntegers(true),
      readAll: this.db.prepare(`SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?`).safeIntegers(true),
      head: this.db.prepare(`SELECT COALESCE(MAX(position), 0) AS position FROM events`).safeIntegers(true),
    };
    this.writer = startWriter({ path, busyTimeoutMs: options.busyTimeoutMs ?? 10_000, maxGroupEvents: options.maxGroupEvents ?? 10_000 });
    this.writer.unref(); // an idle log does not keep the process alive; a pending append does (send)
    this.writer.on('message', (message: GroupOutcome | { closed: true }) => {
      if ('closed' in message) void this.writer.terminate();
      else this.settle(message);
    });
    this.writerExited = new Promise((resolve) => {
      this.writer.once('error', (error) => this.writerStopped(error));
      this.writer.once('exit', (code) => {
        this.writerStopped(new Error(`the SQLite writer thread of ${path} exited (code ${code})`));
        resolve();
      });
    });
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
    const [result] = await this.send([{ streamId, events, expectedRevision: options.expectedRevision }]);
    return result;
  }

  /** All writes in one savepoint of a group commit: they commit together or not at all. */
  async appendMany(writes: readonly AppendWrite[]): Promise<AppendResult[]> {
    return this.send(writes);
  }

  private send(writes: readonly AppendWrite[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new Error(`SqliteEventStore ${this.path} is closed`));
    if (this.writerFailure) return Promise.reject(this.writerFailure);
    let prepared: PreparedWrite[];
    try {
      // Made here, not on the writer thread: unserializable data fails this call alone, at once.
      prepared = writes.map(({ streamId, events, expectedRevision = 'any' }) => ({
        streamId,
        category: categoryOf(streamId),
        expectedRevision,
        events: events.map((event) => ({ id: event.id, type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata ?? {}) })),
      }));
    } catch (error) {
      return Promise.reject(error);
    }
    const call: WriteCall = { id: this.nextCall++, writes: prepared, events: prepared.reduce((sum, write) => sum + write.events.length, 0) };
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) this.writer.ref();
      this.pending.set(call.id, { resolve, reject });
      this.outbox.push(call);
      this.scheduleSend();
    });
  }

  /** On the next turn, not now: the callers running in this turn go to the writer as one message (one group). */
  private scheduleSend(): void {
    if (this.sendScheduled) return;
    this.sendScheduled = true;
    setImmediate(() => {
      this.sendScheduled = false;
      if (this.outbox.length > 0) this.writer.postMessage({ calls: this.outbox.splice(0) });
    });
  }

  /** A group's outcome from the writer thread: each promise of the group settles here. */
  private settle(outcome: GroupOutcome): void {
    if (!outcome.committed) {
      const error = fromWire(outcome.error);
      for (const id of outcome.ids) this.take(id)?.reject(error);
      return;
    }
    this.counters.commits += 1;
    this.counters.appends += outcome.calls.length;
    let last: string | undefined;
    for (const call of outcome.calls) {
      const pending = this.take(call.id);
      if ('error' in call) {
        pending?.reject(fromWire(call.error));
        continue;
      }
      for (const result of call.results) if (result.appended > 0) last = result.position;
      pending?.resolve(call.results);
    }
    if (last !== undefined) this.appended.emit('append', last);
  }

  private take(id: number): PendingAppend | undefined {
    const pending = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.writer.unref();
    return pending;
  }

  /** The writer thread failed or ended: the appends it had not settled fail (nothing of them is acknowledged). */
  private writerStopped(error: Error): void {
    if (!this.closed && !this.writerFailure) this.writerFailure = error;
    for (const [id, pending] of [...this.pending]) {
      this.pending.delete(id);
      pending.reject(this.writerFailure ?? error);
    }
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
    // Appends already sent are committed (and acknowledged) before the writer closes its connection.
    this.writer.ref();
    if (this.outbox.length > 0) this.writer.postMessage({ calls: this.outbox.splice(0) });
    this.writer.postMessage({ close: true });
    await this.writerExited;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.db.close();
  }
}

/**
 * The writer thread. Built (dist/), its entry is JavaScript; run from the TypeScript sources (jest),
 * the thread compiles what it loads with esbuild (a devDependency), as it has no jest transform.
 */
function startWriter(workerData: { path: string; busyTimeoutMs: number; maxGroupEvents: number }): Worker {
  const entry = join(__dirname, `sqlite-writer.worker${extname(__filename)}`);
  if (extname(entry) === '.js') return new Worker(entry, { workerData });
  const bootstrap = `
    const { readFileSync } = require('node:fs');
    const { transformSync } = require(${JSON.stringify(require.resolve('esbuild'))});
    require.extensions['.ts'] = (module, file) =>
      module._compile(transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', target: 'node20', sourcefile: file }).code, file);
    require(${JSON.stringify(entry)});`;
  return new Worker(bootstrap, { eval: true, workerData });
}
