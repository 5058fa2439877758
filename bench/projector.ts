import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { built, hasFlag, load, option, printResult, printRow, ratio, REPO, type Row } from './common';
import { prepareLog, run } from './log';

/**
 * Benchmark (issue 10, items 2 and 5): the projector rebuilding a generated history of ~1M events
 * (`catalyst projections rebuild`, its own process: wall time, events/s, peak RSS) against a raw
 * harness in this process that reads the same log with better-sqlite3 and sends the same Cypher
 * (the projection and derived statements of every run of one type) in the same batch size
 * straight through neo4j-driver, one transaction per batch, no checkpoint. Each side gets its own
 * fresh local Neo4j (same heap and page cache). The cost of the checkpoint in the transaction:
 * the raw harness with lockCheckpoint + advanceCheckpoint in every other transaction, timing the
 * transactions of 2 x `--checkpoint-events` events after as many of warm-up (a cold Neo4j's first
 * batches take seconds each), with and without apart, per event (checkpointCost), in 2 rounds
 * (1 in --quick) on fresh Neo4j instances.
 *
 *   node dist/bench/projector.js [--quick] [--mb 190] [--batch 1000] [--checkpoint-events 20000]
 *   node dist/bench/projector.js --checkpoint-only      # only the checkpoint's cost
 *
 * The history and its SQLite log are kept under ~/.cache/catalyst/bench/projector-<mb>MB (seeded,
 * so generated and imported once).
 */

type Neo4jModule = typeof import('neo4j-driver');
const neo4j = require('neo4j-driver') as Neo4jModule;
const Database = require('better-sqlite3') as typeof import('better-sqlite3');
const neo4jLocal = built<{
  startLocalNeo4j(options: { dataDir: string; boltPort: number; heapMb: number; pageCacheMb: number }): Promise<{ uri: string; stop(): Promise<void> }>;
}>('tools/neo4j/src');
interface Event { id: string; type: string; streamId: string; revision: number; position: string; data: Record<string, unknown> }
const graph = built<{
  ensureSchema(driver: Driver): Promise<void>;
  projectionStatement(type: string): string;
  lockCheckpoint(tx: unknown, name: string): Promise<unknown>;
  advanceCheckpoint(tx: unknown, name: string, logId: string, position: string): Promise<void>;
  toNeo4jInt(position: string): unknown;
  runsOfType<E extends { type: string; streamId: string }>(events: readonly E[]): E[][];
}>('libs/graph/src');
const derived = built<{ derivedStatement(type: string): string | null }>('libs/graph/src/projection/derived');
const domain = built<{ upcast<E>(event: E): E; isEventType(type: string): boolean }>('libs/domain/src');
const CLI = join(REPO, 'dist', 'apps', 'cli', 'src', 'main.js');
const NEO4J = { heapMb: 1024, pageCacheMb: 512 };

/** Reads the whole log in position order, in pages, as the projector's subscription does. */
function* readLog(path: string, page = 5000): Generator<Event[]> {
  const db = new Database(path, { readonly: true });
  const select = db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?').safeIntegers(true);
  let after = 0n;
  try {
    for (;;) {
      const rows = select.all(after, page) as { position: bigint; stream_id: string; revision: bigint; event_id: string; type: string; data: string; metadata: string; recorded_at: string }[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1].position;
      yield rows.map((row) => ({
        id: row.event_id,
        type: row.type,
        streamId: row.stream_id,
        revision: Number(row.revision),
        position: row.position.toString(),
        data: JSON.parse(row.data) as Record<string, unknown>,
        metadata: JSON.parse(row.metadata) as Record<string, unknown>,
        recordedAt: row.recorded_at,
      }));
    }
  } finally {
    db.close();
  }
}

function* batches(path: string, size: number, limit: number): Generator<Event[]> {
  let buffer: Event[] = [];
  let seen = 0;
  for (const page of readLog(path)) {
    for (const event of page) {
      if (seen++ >= limit) break;
      buffer.push(event);
      if (buffer.length === size) {
        yield buffer;
        buffer = [];
      }
    }
    if (seen >= limit) break;
  }
  if (buffer.length) yield buffer;
}

interface RawResult {
  events: number;
  ms: number;
  readMs: number;
  msAt: number | null;
  /** Transaction time and events of the batches that start at or after `countFrom`, those with the checkpoint apart. */
  counted: { with: { ms: number; events: number; batches: number; checkpointMs: number }; without: { ms: number; events: number; batches: number } };
}

/** The raw harness: the same statements, the same batches, one transaction each, straight through the driver. */
async function rawHarness(
  driver: Driver,
  path: string,
  batchSize: number,
  options: {
    limit: number;
    /** `alternate`: every other batch (the odd ones, or the even ones with `firstWith`) has the checkpoint. */
    checkpoint: boolean | 'alternate';
    firstWith?: boolean;
    markAt?: number;
    withoutDerived?: boolean;
    countFrom?: number;
  },
): Promise<RawResult> {
  await graph.ensureSchema(driver);
  const started = performance.now();
  let readMs = 0;
  let events = 0;
  let msAt: number | null = null;
  let lastReport = started;
  const counted: RawResult['counted'] = { with: { ms: 0, events: 0, batches: 0, checkpointMs: 0 }, without: { ms: 0, events: 0, batches: 0 } };
  let index = 0;
  const iterator = batches(path, batchSize, options.limit);
  for (;;) {
    const readStarted = performance.now();
    const next = iterator.next();
    readMs += performance.now() - readStarted;
    if (next.done) break;
    const batch = next.value.map((event) => domain.upcast(event));
    const withCheckpoint = options.checkpoint === 'alternate' ? index++ % 2 === (options.firstWith ? 0 : 1) : options.checkpoint;
    let checkpointMs = 0;
    const session = driver.session();
    const txStarted = performance.now();
    try {
      await session.executeWrite(async (tx) => {
        checkpointMs = 0;
        const lockStarted = performance.now();
        if (withCheckpoint) await graph.lockCheckpoint(tx, 'bench-raw');
        checkpointMs += performance.now() - lockStarted;
        const flush = async (run: Event[]) => {
          const type = run[0].type;
          const params = run.map((event) => ({ id: event.id, data: event.data, revision: neo4j.int(event.revision), position: graph.toNeo4jInt(event.position) }));
          await tx.run(graph.projectionStatement(type), { events: params });
          const extra = options.withoutDerived ? null : derived.derivedStatement(type);
          if (extra) await tx.run(extra, { events: params });
        };
        // The projector's own grouping (one statement per run of a type, stream order kept).
        for (const run of graph.runsOfType(batch)) await flush(run);
        const advanceStarted = performance.now();
        if (withCheckpoint) await graph.advanceCheckpoint(tx, 'bench-raw', 'bench', batch[batch.length - 1].position);
        checkpointMs += performance.now() - advanceStarted;
      });
    } finally {
      await session.close();
    }
    if (events >= (options.countFrom ?? 0)) {
      const ms = performance.now() - txStarted;
      const side = withCheckpoint ? counted.with : counted.without;
      side.ms += ms;
      side.events += batch.length;
      side.batches++;
      if (withCheckpoint) counted.with.checkpointMs += checkpointMs;
    }
    events += batch.length;
    if (options.markAt !== undefined && msAt === null && events >= options.markAt) msAt = performance.now() - started;
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      process.stderr.write(`  raw harness${options.checkpoint === 'alternate' ? ' + checkpoint in every other batch' : options.checkpoint ? ' + checkpoint' : ''}: ${events} events, ${Math.round(events / ((lastReport - started) / 1000))} events/s\n`);
    }
  }
  return { events, ms: performance.now() - started, readMs, msAt, counted };
}

/** In --quick, one Neo4j serves every pass (emptied between them): starting one takes ~20 s. */
let shared: { uri: string; driver: Driver; stop(): Promise<void> } | null = null;

async function withNeo4j<T>(label: string, work: (uri: string, driver: Driver) => Promise<T>): Promise<T> {
  if (shared) {
    await shared.driver.executeQuery('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS').catch(async () => {
      const session = shared!.driver.session();
      try {
        await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
      } finally {
        await session.close();
      }
    });
    return work(shared.uri, shared.driver);
  }
  const dir = mkdtempSync(join(tmpdir(), `catalyst-bench-${label}-`));
  const server = await neo4jLocal.startLocalNeo4j({ dataDir: dir, boltPort: 0, ...NEO4J });
  const driver = neo4j.driver(server.uri);
  try {
    return await work(server.uri, driver);
  } finally {
    await driver.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const quick = hasFlag('--quick');
  const mb = Number(option('--mb') ?? (quick ? 0.05 : 190));
  const batchSize = Number(option('--batch') ?? 1000);
  const checkpointEvents = Number(option('--checkpoint-events') ?? (quick ? 200 : 20_000));
  const { dataDir } = await prepareLog(mb, quick ? 600 : Infinity);
  const log = join(dataDir, 'events.sqlite');
  const head = Number((new Database(log, { readonly: true }).prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p);
  process.stderr.write(`log: ${head} events (${log}); batch ${batchSize}\n`);

  // The log read alone (JSON parsed), the floor of any rebuild.
  const readStarted = performance.now();
  let readEvents = 0;
  for (const page of readLog(log)) readEvents += page.length;
  const readMs = performance.now() - readStarted;

  const sharedUri = process.env.BENCH_NEO4J_URI;
  if (quick && sharedUri) {
    // The runner's Neo4j (`npm run bench -- --quick` starts one for every benchmark).
    const driver = neo4j.driver(sharedUri);
    shared = { uri: sharedUri, driver, stop: () => driver.close() };
  } else if (quick) {
    const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-quick-'));
    const server = await neo4jLocal.startLocalNeo4j({ dataDir: dir, boltPort: 0, ...NEO4J });
    const driver = neo4j.driver(server.uri);
    shared = {
      uri: server.uri,
      driver,
      stop: async () => {
        await driver.close();
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  try {
    if (hasFlag('--checkpoint-only')) {
      const row = await checkpointCost(log, batchSize, checkpointEvents, quick ? 1 : 2);
      printRow(row);
      printResult('projector', [row], { quick, checkpointOnly: true, batchSize, neo4j: NEO4J });
    } else await measure(quick, log, dataDir, head, batchSize, checkpointEvents, readMs, readEvents);
  } finally {
    await shared?.stop();
  }
}

/**
 * The checkpoint's cost, paired: the raw harness over the first 3 x `events` events on a fresh Neo4j,
 * with the checkpoint (lockCheckpoint + advanceCheckpoint) in every other transaction; the
 * transactions after the first `events` (the warm-up) are timed, those with and those without the
 * checkpoint apart, per event. Neighbouring batches run on the same Neo4j a second apart, so the
 * machine's drift (which made two fresh Neo4j instances differ by 1.5x over the same events) falls
 * on both sides alike. Each round starts on the other parity; per-event times summed over the rounds.
 */
async function checkpointCost(log: string, batchSize: number, events: number, rounds: number): Promise<Row> {
  const batch = Math.max(1, Math.min(batchSize, Math.floor(events / 4)));
  const total = { with: { ms: 0, events: 0, batches: 0, checkpointMs: 0 }, without: { ms: 0, events: 0, batches: 0 } };
  const perRound: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const run = await withNeo4j('checkpoint', (_uri, driver) =>
      rawHarness(driver, log, batch, { limit: 3 * events, checkpoint: 'alternate', firstWith: round % 2 === 1, countFrom: events }),
    );
    const { with: w, without: wo } = run.counted;
    if (w.batches === 0 || wo.batches === 0) {
      throw new Error(`checkpoint cost: the log has ${run.events} events, too few for ${events} of warm-up and two batches of ${batch}; lower --checkpoint-events`);
    }
    for (const key of ['ms', 'events', 'batches'] as const) {
      total.with[key] += w[key];
      total.without[key] += wo[key];
    }
    total.with.checkpointMs += w.checkpointMs;
    const roundRatio = w.ms / w.events / (wo.ms / wo.events);
    perRound.push(roundRatio.toFixed(2));
    process.stderr.write(
      `  checkpoint cost, round ${round + 1}: with ${(w.ms / w.events).toFixed(3)} ms/event (${w.batches} batches), without ${(wo.ms / wo.events).toFixed(3)} ms/event (${wo.batches} batches): ${roundRatio.toFixed(2)}\n`,
    );
  }
  const withPerEvent = total.with.ms / total.with.events;
  const withoutPerEvent = total.without.ms / total.without.events;
  const ratioValue = withPerEvent / withoutPerEvent;
  return {
    name: 'checkpoint in the transaction',
    unit: 'ms/1k ev',
    project: withPerEvent * 1000,
    baseline: withoutPerEvent * 1000,
    ratio: ratio(withPerEvent, withoutPerEvent),
    goal: 'costs <= 10% (ratio <= 1.10)',
    met: ratioValue <= 1.1,
    load: load(),
    note:
      `raw harness, the checkpoint in every other transaction of batch ${batch}, events ${events + 1}-${3 * events} timed after ${events} of warm-up, ` +
      `${rounds} round${rounds > 1 ? 's' : ''} on fresh Neo4j instances (ratios ${perRound.join(', ')}); ${total.with.batches} batches with, ${total.without.batches} without; ` +
      `lockCheckpoint + advanceCheckpoint awaited inside the transactions: ${(total.with.checkpointMs / total.with.batches).toFixed(2)} ms per transaction of ${((total.with.ms / total.with.batches)).toFixed(0)} ms`,
  };
}

async function measure(quick: boolean, log: string, dataDir: string, head: number, batchSize: number, checkpointEvents: number, readMs: number, readEvents: number): Promise<void> {
  // The project: `catalyst projections rebuild`, as an operator runs it.
  const loadBefore = load();
  const rebuild = await withNeo4j('rebuild', (uri) =>
    run([CLI, 'projections', 'rebuild', '--progress-interval', '30000'], {
      DATA_DIR: dataDir,
      NEO4J_URI: uri,
      PROJECTION_NAME: 'bench-projector',
      PROJECTION_BATCH_SIZE: String(batchSize),
      LOG_LEVEL: 'warn',
    }),
  );
  if (rebuild.code !== 0) throw new Error(`projections rebuild exited with ${rebuild.code}`);
  const loadRebuild = load();
  process.stderr.write(`rebuild: ${(rebuild.ms / 1000).toFixed(1)} s, peak RSS ${rebuild.peakRssMb} MB (load ${loadBefore} -> ${loadRebuild})\n`);

  // The baseline: raw harness on its own fresh Neo4j; it notes its time at `checkpointEvents`.
  const rawRun = await withNeo4j('raw', (_uri, driver) => rawHarness(driver, log, batchSize, { limit: Infinity, checkpoint: false, markAt: checkpointEvents }));
  const loadRaw = load();
  process.stderr.write(`raw harness: ${(rawRun.ms / 1000).toFixed(1)} s for ${rawRun.events} events (log read inside it: ${(rawRun.readMs / 1000).toFixed(1)} s)\n`);

  const checkpoint = await checkpointCost(log, batchSize, checkpointEvents, quick ? 1 : 2);
  const rawAtMark = rawRun.msAt ?? rawRun.ms;
  // Where the time goes: the same prefix without the analyses' derived statements (libs/graph/src/projection/derived.ts).
  const noDerived = await withNeo4j('noderived', (_uri, driver) =>
    rawHarness(driver, log, batchSize, { limit: checkpointEvents, checkpoint: false, withoutDerived: true }),
  );
  process.stderr.write(
    `first ${noDerived.events} events: raw ${(rawAtMark / 1000).toFixed(1)} s, raw without derived statements ${(noDerived.ms / 1000).toFixed(1)} s; ` +
      `the transactions with the checkpoint ${checkpoint.project.toFixed(0)} ms per 1,000 events against ${checkpoint.baseline.toFixed(0)} ms without (load ${load()})\n`,
  );

  const projectRate = head / (rebuild.ms / 1000);
  const rawRate = rawRun.events / (rawRun.ms / 1000);
  const rows: Row[] = [
    {
      name: `projector (rebuild) batch ${batchSize}`,
      unit: 'events/s',
      project: projectRate,
      baseline: rawRate,
      ratio: ratio(projectRate, rawRate),
      goal: '>= 0.7 of raw',
      met: ratio(projectRate, rawRate) >= 0.7,
      load: `${loadRebuild}/${loadRaw}`,
      note: `${head} events`,
    },
    checkpoint,
    {
      name: 'rebuild time',
      unit: 's',
      project: rebuild.ms / 1000,
      baseline: (readMs + rawRun.ms) / 1000,
      ratio: ratio(rebuild.ms, readMs + rawRun.ms),
      goal: '<= 1.5x (log read + raw)',
      met: rebuild.ms / (readMs + rawRun.ms) <= 1.5,
      load: `${loadRebuild}/${loadRaw}`,
      note: `peak RSS ${rebuild.peakRssMb} MB; log read alone ${(readMs / 1000).toFixed(1)} s for ${readEvents} events`,
    },
  ];
  rows.forEach(printRow);
  printResult('projector', rows, { quick, withoutDerivedMs: Math.round(noDerived.ms), withoutDerivedEvents: noDerived.events, events: head, batchSize, rebuildPeakRssMb: rebuild.peakRssMb, logReadMs: Math.round(readMs), neo4j: NEO4J });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench projector: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
