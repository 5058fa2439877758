import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { built, hasFlag, load, median, printResult, printRow, ratio, type Row } from './common';

/**
 * Benchmark (issue 10, item 1): events/s appended through the SQLite adapter (expected revision
 * checked, event-id dedup, one IMMEDIATE transaction per append) against raw better-sqlite3
 * inserts of the same rows into the same table with the same durability (WAL, synchronous=FULL),
 * one transaction per batch, at batch 1, 10, 100 and 1000; then 10 concurrent writers (threads,
 * each with its own connection, one event per append) against raw batch 100.
 *
 *   node dist/bench/append.js [--quick]
 *
 * Each measurement runs for a fixed time on a fresh file; the project and the baseline alternate
 * (3 rounds, 1 in --quick) and the median is kept, so both see the same load.
 */

type Db = import('better-sqlite3').Database;
interface Store {
  append(streamId: string, events: unknown[], options?: { expectedRevision?: number | 'no_stream' | 'any' }): Promise<{ nextRevision: number }>;
  close(): Promise<void>;
}
const { SqliteEventStore } = built<{ SqliteEventStore: new (path: string) => Store }>('libs/event-store/src');
const Database = require('better-sqlite3') as typeof import('better-sqlite3');

const STREAMS = 100;
const data = (i: number) => ({
  incidentId: `INC-${i}`,
  personId: `person-${i % 1500}`,
  text: 'Rolled back the canary of checkout-api; error rate back under 0.1% in eu-west-1. Watching for 15 minutes.',
  occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
});
const newEvent = (i: number) => ({ id: randomUUID(), type: 'IncidentNoteAdded', data: data(i), metadata: { correlationId: 'bench' } });

/** The adapter: appends of `batch` events, round robin over 100 streams, each at its known revision. */
async function project(file: string, batch: number, durationMs: number, streamPrefix = 'incident-'): Promise<number> {
  const store = new SqliteEventStore(file);
  const revisions = new Array<number>(STREAMS).fill(-1);
  let events = 0;
  const until = performance.now() + durationMs;
  try {
    for (let i = 0; performance.now() < until; i++) {
      const s = i % STREAMS;
      const batchEvents = Array.from({ length: batch }, (_, k) => newEvent(events + k));
      const result = await store.append(`${streamPrefix}${s}`, batchEvents, { expectedRevision: revisions[s] === -1 ? 'no_stream' : revisions[s] });
      revisions[s] = result.nextRevision;
      events += batch;
    }
  } finally {
    await store.close();
  }
  return events;
}

/** The baseline: the same rows inserted with better-sqlite3 straight, one transaction per batch, no checks. */
function raw(file: string, batch: number, durationMs: number): number {
  // The adapter creates the table (same schema, same indexes), then steps aside.
  void new SqliteEventStore(file).close();
  const db: Db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const insert = db.prepare(
    `INSERT INTO events (stream_id, category, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const revisions = new Array<number>(STREAMS).fill(-1);
  const write = db.transaction((s: number, rows: ReturnType<typeof newEvent>[]) => {
    const recordedAt = new Date().toISOString();
    for (const row of rows) {
      insert.run(`incident-${s}`, 'incident', ++revisions[s], row.id, row.type, JSON.stringify(row.data), JSON.stringify(row.metadata), recordedAt);
    }
  });
  let events = 0;
  const until = performance.now() + durationMs;
  for (let i = 0; performance.now() < until; i++) {
    write.immediate(i % STREAMS, Array.from({ length: batch }, (_, k) => newEvent(events + k)));
    events += batch;
  }
  db.close();
  return events;
}

/** 10 threads, each its own adapter on the same file, appending one event at a time. */
async function concurrent(file: string, writers: number, durationMs: number): Promise<number> {
  void new SqliteEventStore(file).close();
  const counts = await Promise.all(
    Array.from({ length: writers }, (_, w) => {
      const worker = new Worker(__filename, { workerData: { file, durationMs, prefix: `incident-w${w}-` } });
      return new Promise<number>((resolve, reject) => {
        worker.once('message', (n: number) => resolve(n));
        worker.once('error', reject);
      });
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

async function main(): Promise<void> {
  const quick = hasFlag('--quick');
  const durationMs = quick ? 250 : 4000;
  const rounds = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-append-'));
  let n = 0;
  const file = () => join(dir, `events-${++n}.sqlite`);
  const rows: Row[] = [];
  const rawRate: Record<number, number> = {};
  try {
    for (const batch of [1, 10, 100, 1000]) {
      const p: number[] = [];
      const b: number[] = [];
      for (let r = 0; r < rounds; r++) {
        b.push(raw(file(), batch, durationMs) / (durationMs / 1000));
        p.push((await project(file(), batch, durationMs)) / (durationMs / 1000));
      }
      rawRate[batch] = median(b);
      const row: Row = {
        name: `append batch ${batch}`,
        unit: 'events/s',
        project: median(p),
        baseline: median(b),
        ratio: ratio(median(p), median(b)),
        goal: '>= 0.8 of raw',
        met: ratio(median(p), median(b)) >= 0.8,
        load: load(),
      };
      row.met = row.ratio >= 0.8;
      rows.push(row);
      printRow(row);
    }
    const c: number[] = [];
    for (let r = 0; r < rounds; r++) c.push((await concurrent(file(), 10, durationMs)) / (durationMs / 1000));
    const row: Row = {
      name: 'append 10 writers x batch 1',
      unit: 'events/s',
      project: median(c),
      baseline: rawRate[100],
      ratio: ratio(median(c), rawRate[100]),
      goal: '>= 0.5 of raw batch 100',
      met: ratio(median(c), rawRate[100]) >= 0.5,
      load: load(),
      note: 'baseline: raw batch 100, one writer',
    };
    rows.push(row);
    printRow(row);
    printResult('append', rows, { durationMs, rounds });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench append: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  const { file, durationMs, prefix } = workerData as { file: string; durationMs: number; prefix: string };
  project(file, 1, durationMs, prefix).then(
    (events) => parentPort!.postMessage(events),
    (error: unknown) => {
      throw error;
    },
  );
}
