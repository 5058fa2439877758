import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { appendFileSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Driver } from 'neo4j-driver';
import { built, hasFlag, load, percentile, printResult, printRow, ratio, REPO, type Row } from './common';
import { prepareLog } from './log';

/**
 * Benchmark (issue 10, items 3 and 4), against the built API (`dist/apps/api/src/main.js`, its own
 * process, embedded projector) on its own local Neo4j, over loopback with autocannon:
 *
 * - API: requests/s and p50/p99 at 10 and 50 connections for `{ __typename }`, `incident(id)` and
 *   `heroes(limit: 20)`, against bare Apollo Server 5 on Express 5 (its own process) with the same
 *   schema (the API's own, by introspection) and the same resolvers (EntityReader.incident,
 *   CypherAnalytics.heroes), in the order bare, API, API, bare (one of each in --quick) after 2 s of
 *   each not counted, means of req/s; for the graph queries, p99 against the same calls straight
 *   through the driver: at the same concurrency (closed loop, for reference: there p99 follows throughput),
 *   and at the same offered load (open loop, at half of what the API answered at 10 connections,
 *   after 3 s at that rate on each side; the full run has two rounds, driver, bare, API, API, bare,
 *   driver, and each side's percentiles over its two runs), which is the goal's measure: what the
 *   API adds to the query's latency.
 * - Lag: declareIncident through the API, then `incident(id)` read with `X-Min-Position` (the read
 *   waits for the graph to have the append, as a client reading its own write does);
 *   first a burst to find the maximum sustained rate, then a steady rate of half of it; p50/p99.
 *
 *   node dist/bench/api.js [--quick]
 *   node dist/bench/api.js --lag-only                 # only the lag (to profile its tail)
 *   node dist/bench/api.js --open-loop-only           # the rates at 10 connections, then only the open loops
 *   OPEN_LOOP_LOG=/tmp/slow.txt ...                   # the open loops' calls over 8 ms, with their epoch time
 *   BENCH_CONNECTIONS=50 node dist/bench/api.js --closed-loop-only   # only the closed loops, only at 50 connections
 *   API_NODE_OPTIONS=--cpu-prof node dist/bench/api.js --lag-only   # the API process under a profiler
 *   BARE_NODE_OPTIONS=--trace-gc BARE_LOG=/tmp/bare.log ...          # bare Apollo's, its output to a file
 *   BENCH_CASE=heroes OPEN_LOOP_ORDER=api,bare,driver ...             # one case; the open loops' order
 *   KEEP_BENCH_DIR=1 node dist/bench/api.js ...       # keeps the log and Neo4j's files (logs/debug.log: replans, checkpoints)
 *   BENCH_DIR=/tmp/catalyst-bench-api-... node dist/bench/api.js --open-loop-only   # reuses a kept one (no projecting)
 */

const neo4j = require('neo4j-driver') as typeof import('neo4j-driver');
const autocannon = require('autocannon') as typeof import('autocannon');
const express = require('express') as typeof import('express');
const { ApolloServer } = require('@apollo/server') as typeof import('@apollo/server');
const { expressMiddleware } = require('@as-integrations/express5') as { expressMiddleware: (server: unknown) => import('express').RequestHandler };
const { buildClientSchema, getIntrospectionQuery, printSchema } = require('graphql') as typeof import('graphql');
const neo4jLocal = built<{
  startLocalNeo4j(options: { dataDir: string; boltPort: number; heapMb: number; pageCacheMb: number }): Promise<{ uri: string; stop(): Promise<void> }>;
}>('tools/neo4j/src');
type Reader = { incident(id: string): Promise<unknown> };
type Analytics = { heroes(options: { limit?: number }): Promise<unknown> };
const graph = built<{
  EntityReader: new (driver: Driver) => Reader;
  CypherAnalytics?: new (driver: Driver) => Analytics;
}>('libs/graph/src');

const PROJECTION = 'graph';

async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ data?: Record<string, unknown>; errors?: { message: string }[] }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
}

/** Extra node options for a spawned server, from an environment variable (probes: --cpu-prof, --trace-gc). */
const nodeOptionsFrom = (variable: string): string[] => (process.env[variable] ?? '').split(' ').filter(Boolean);

/**
 * The API in its own process. Its log goes to a file, as to a log shipper: read through a pipe by
 * this process (the load generator), a busy client would fill the pipe and block the API's
 * synchronous log writes. The file is read for the start line, and for errors when the API stops.
 */
function startApi(env: Record<string, string>, logFile: string): Promise<{ child: ChildProcess; url: string; errors(): string[] }> {
  const nodeOptions = nodeOptionsFrom('API_NODE_OPTIONS');
  const out = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...nodeOptions, join(REPO, 'dist', 'apps', 'api', 'src', 'main.js')], {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', RATE_LIMIT_PER_MINUTE: '1000000', ...env },
    stdio: ['ignore', out, 'inherit'],
  });
  closeSync(out);
  const entries = () =>
    readFileSync(logFile, 'utf8')
      .split('\n')
      .flatMap((line) => {
        try {
          return [{ line, entry: JSON.parse(line) as { url?: string; msg?: string; level?: number } }];
        } catch {
          return []; // not a log line
        }
      });
  const errors = () => entries().filter(({ entry }) => (entry.level ?? 0) >= 50).map(({ line }) => line);
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 120_000;
    const onExit = (code: number | null) => {
      clearInterval(poll);
      reject(new Error(`the API exited with ${code}${errors().length ? `: ${errors().join('\n')}` : ''}`));
    };
    child.once('exit', onExit);
    const poll = setInterval(() => {
      const serving = entries().find(({ entry }) => entry.url && entry.msg?.startsWith('Catalyst is serving'));
      if (serving) {
        clearInterval(poll);
        child.off('exit', onExit);
        resolve({ child, url: serving.entry.url!.replace(/\/?$/, '/graphql').replace(/\/graphql\/graphql$/, '/graphql'), errors });
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        reject(new Error('the API did not start in 120 s'));
      }
    }, 200);
  });
}

async function waitForProjection(driver: Driver, head: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await driver.executeQuery('MATCH (c:ProjectionCheckpoint {name: $name}) RETURN c.position AS p', { name: PROJECTION });
    const position = result.records[0] ? Number(result.records[0].get('p')) : 0;
    if (position >= head) return;
    if (Date.now() > deadline) throw new Error(`projection at ${position} of ${head} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** The first failure's message, when there were errors. */
  firstError?: string;
  /** The server process's CPU (user + system) per finished request, in microseconds, when /proc has it. */
  serverCpuUs?: number;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ; 100 on Linux unless configured otherwise), asked once, when first needed. */
let clockTicks: number | undefined;
function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** A process's CPU time so far (user + system, in clock ticks) from /proc/<pid>/stat, or null off Linux. */
function cpuTicks(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

async function cannon(url: string, query: string, variables: Record<string, unknown>, connections: number, seconds: number, serverPid?: number): Promise<Load> {
  const ticksBefore = cpuTicks(serverPid);
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
    connections,
    duration: seconds,
  });
  const ticksAfter = cpuTicks(serverPid);
  const finished = result.requests.total;
  const serverCpuUs = ticksBefore !== null && ticksAfter !== null && finished > 0 ? ((ticksAfter - ticksBefore) * 1e6) / clockTicksPerSecond() / finished : undefined;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx, serverCpuUs };
}

/** The mean of runs of one side: req/s averaged, the worse p99, errors summed. */
function meanLoad(loads: Load[]): Load {
  return {
    rps: loads.reduce((sum, l) => sum + l.rps, 0) / loads.length,
    p50: loads.reduce((sum, l) => sum + l.p50, 0) / loads.length,
    p99: Math.max(...loads.map((l) => l.p99)),
    errors: loads.reduce((sum, l) => sum + l.errors, 0),
  };
}

/** The same calls straight through the driver: `connections` loops for `seconds`; latency percentiles. */
async function direct(call: () => Promise<unknown>, connections: number, seconds: number): Promise<Load> {
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const started = performance.now();
        await call();
        latencies.push(performance.now() - started);
      }
    }),
  );
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors: 0 };
}

// Kept-alive sockets are dropped after 4 s idle, before a server's keep-alive timeout (Node's default
// is 5 s) closes them: reusing one that the server is closing fails the request with ECONNRESET.
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 });

/** One GraphQL POST over a kept-alive connection; fails on a non-200 answer or a GraphQL error. */
function post(url: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent: keepAlive, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (response.statusCode !== 200 || text.includes('"errors"')) reject(new Error(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
        else resolve();
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Starts `start(due)` every 1000/rate ms for `seconds`, whether or not the earlier ones have
 * finished (open loop); resolves with all their results.
 */
async function atRate<T>(rate: number, seconds: number, start: (due: number) => Promise<T>): Promise<T[]> {
  const started: Promise<T>[] = [];
  const begin = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const due = begin + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    started.push(start(due));
  }
  return Promise.all(started);
}

/**
 * Open loop: each call timed from when it was due (no coordinated omission). At a fixed offered
 * load, latency says what a server adds; a closed loop at N connections measures N / throughput.
 * The first `warmUpSeconds` at the same rate are not counted: the calls of both sides start alike,
 * with their connections open (the client's keep-alive sockets, the driver's pool) and their code
 * compiled, whichever ran just before.
 */
async function openLoop(side: string, call: () => Promise<unknown>, rate: number, seconds: number, warmUpSeconds: number): Promise<OpenRun> {
  await atRate(rate, warmUpSeconds, () => call().catch(() => undefined));
  let firstError: string | undefined;
  // OPEN_LOOP_LOG=<file>: each call over 8 ms, as `side due-epoch-ms latency-ms` (to line up with a server's GC log),
  // kept in memory and written after the run: no file I/O on the client's event loop while calls are timed.
  const slowLog = process.env.OPEN_LOOP_LOG;
  const slow: string[] = [];
  const outcomes = await atRate(rate, seconds, (due) =>
    call().then(
      () => {
        const ms = performance.now() - due;
        if (slowLog && ms > 8) slow.push(`${side} ${(performance.timeOrigin + due).toFixed(1)} ${ms.toFixed(1)}\n`);
        return ms;
      },
      (error: unknown) => {
        firstError ??= error instanceof Error ? `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}` : String(error);
        return null;
      },
    ),
  );
  const latencies = outcomes.filter((ms): ms is number => ms !== null);
  if (slowLog) appendFileSync(slowLog, slow.join(''));
  return { latencies, seconds, errors: outcomes.length - latencies.length, firstError };
}

/** One open-loop run: every answered call's latency (ms), in the order they were due. */
interface OpenRun { latencies: number[]; seconds: number; errors: number; firstError?: string }

/** The runs of one side as one measure: percentiles over all their calls together. */
function pooled(runs: OpenRun[]): Load & { runP99: number[] } {
  const latencies = runs.flatMap((r) => r.latencies);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    firstError: runs.find((r) => r.firstError)?.firstError,
    runP99: runs.map((r) => percentile(r.latencies, 99)),
  };
}

async function bareApollo(sdl: string, driver: Driver): Promise<{ url: string; close(): Promise<void> }> {
  const reader = new graph.EntityReader(driver);
  const analytics = graph.CypherAnalytics ? new graph.CypherAnalytics(driver) : null;
  const server = new ApolloServer({
    typeDefs: sdl,
    resolvers: {
      Query: {
        incident: (_: unknown, args: { id: string }) => reader.incident(args.id),
        heroes: (_: unknown, args: { limit?: number }) => analytics?.heroes({ limit: args.limit ?? undefined }),
      },
    },
  });
  await server.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(server));
  const http = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/graphql`,
    close: async () => {
      await server.stop();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}

/** Bare Apollo in its own process (as the API is), so that autocannon does not share its CPU. */
async function spawnBare(sdl: string, uri: string, dir: string): Promise<{ url: string; pid?: number; close(): Promise<void> }> {
  const sdlFile = join(dir, 'schema.graphql');
  writeFileSync(sdlFile, sdl);
  const nodeOptions = nodeOptionsFrom('BARE_NODE_OPTIONS');
  const child = spawn(process.execPath, [...nodeOptions, __filename, '--bare', uri, sdlFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bare Apollo exited with ${code}`)));
    // Its URL, among what the node options print (--trace-gc): read to the end, so that the pipe never fills.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('http://')) resolve(line.trim());
      else if (process.env.BARE_LOG) appendFileSync(process.env.BARE_LOG, `${line}\n`);
    });
  });
  child.removeAllListeners('exit');
  return {
    url,
    pid: child.pid,
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function serveBare(uri: string, sdlFile: string): Promise<void> {
  const driver = neo4j.driver(uri);
  const bare = await bareApollo(readFileSync(sdlFile, 'utf8'), driver);
  process.stdout.write(`${bare.url}\n`);
  process.once('SIGTERM', () => {
    void bare.close().then(() => driver.close()).then(() => process.exit(0));
  });
}

async function lag(
  url: string,
  quick: boolean,
): Promise<{ maxRate: number; rate: number; samples: number; p50: number; p99: number; warmUpP99: number; restMs: number; warmUpSeconds: number; windowP99: number[] }> {
  const prefix = `LAG-${process.pid}-${Date.now()}`;
  let n = 0;
  const declare = async () => {
    const id = `${prefix}-${++n}`;
    const result = await gql(url, 'mutation($input: DeclareIncidentInput!) { declareIncident(input: $input) { position } }', {
      input: { incidentId: id, title: 'lag probe', severity: 'SEV3' },
    });
    if (result.errors) throw new Error(`declareIncident: ${result.errors[0].message}`);
    return { id, at: performance.now(), position: String((result.data?.declareIncident as { position: string }).position) };
  };
  // One read per append, as a client reads its own write: `X-Min-Position` holds the read until the
  // graph has the append, then it runs (no polling load on the API).
  const visible = async (id: string, since: number, position: string): Promise<number> => {
    const result = await gql(url, 'query($id: String!) { incident(id: $id) { id } }', { id }, { 'x-min-position': position });
    if (result.errors || !result.data?.incident) throw new Error(`${id} at ${position} not read back: ${JSON.stringify(result.errors ?? result.data)}`);
    return performance.now() - since;
  };
  // The maximum sustained rate: 8 writers for a few seconds, until the last one is visible.
  const burstMs = quick ? 1000 : 5000;
  const started = performance.now();
  let last = { id: '', at: 0, position: '0' };
  let count = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (performance.now() - started < burstMs) {
        last = await declare();
        count++;
      }
    }),
  );
  await visible(last.id, last.at, last.position);
  const maxRate = count / ((performance.now() - started) / 1000);
  // Steady at half of it, after the burst has settled (Neo4j's and Node's collectors, the refresh of
  // plans): a pause, then a warm-up at the steady rate that is reported apart, then the measure.
  const rate = Math.max(1, maxRate / 2);
  const restMs = quick ? 500 : 5000;
  const warmUpSeconds = quick ? 1 : 5;
  await new Promise((resolve) => setTimeout(resolve, restMs));
  const steady = (seconds: number) => atRate(rate, seconds, () => declare().then(({ id, at, position }) => visible(id, at, position)));
  const warmUp = await steady(warmUpSeconds);
  const values = await steady(quick ? 2 : 20);
  // p99 of each 5 s of the measure, in order (values are in the order the appends started): a tail
  // made of one stall, or of a slow start after the burst, shows apart from a steady one.
  const windows = Math.max(1, Math.round(values.length / (rate * 5)));
  const windowSize = Math.ceil(values.length / windows);
  const windowP99 = Array.from({ length: windows }, (_, w) => percentile(values.slice(w * windowSize, (w + 1) * windowSize), 99));
  return { maxRate, rate, samples: values.length, p50: percentile(values, 50), p99: percentile(values, 99), warmUpP99: percentile(warmUp, 99), restMs, warmUpSeconds, windowP99 };
}

async function main(): Promise<void> {
  const quick = hasFlag('--quick');
  const seconds = quick ? 1 : 10;
  const openLoopWarmUpSeconds = quick ? 0.5 : 3;
  const closedLoopWarmUpSeconds = quick ? 0.5 : 2;
  // --open-loop-only: the closed loops at 10 connections that set the rate, then the open loops (to probe their tail).
  const openLoopOnly = hasFlag('--open-loop-only');
  // --closed-loop-only: the closed loops alone (no open loops, no lag); BENCH_CONNECTIONS=50 (a list): only those.
  const closedLoopOnly = hasFlag('--closed-loop-only');
  const connectionsList = process.env.BENCH_CONNECTIONS ? process.env.BENCH_CONNECTIONS.split(',').map(Number) : quick || openLoopOnly ? [10] : [10, 50];
  if (!connectionsList.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`BENCH_CONNECTIONS must be a comma-separated list of positive integers, got "${process.env.BENCH_CONNECTIONS}"`);
  // --quick starts from an empty log (projecting the org of a generated history takes minutes);
  // the full run serves the 3 MB generated history that the projector bench also uses.
  // BENCH_DIR=<a directory kept by KEEP_BENCH_DIR=1>: its log and its Neo4j, already projected (a
  // probe then starts in seconds, not in the minutes of projecting); kept afterwards.
  const reused = process.env.BENCH_DIR;
  const dir = reused ?? mkdtempSync(join(tmpdir(), 'catalyst-bench-api-'));
  if (!reused) mkdirSync(join(dir, 'data'));
  let head = 0;
  if (!quick) {
    if (!reused) {
      const { dataDir: source } = await prepareLog(3);
      copyFileSync(join(source, 'events.sqlite'), join(dir, 'data', 'events.sqlite'));
    }
    const Database = require('better-sqlite3') as typeof import('better-sqlite3');
    const db = new Database(join(dir, 'data', 'events.sqlite'), { readonly: true });
    head = Number((db.prepare('SELECT COALESCE(MAX(position), 0) AS p FROM events').get() as { p: number }).p);
    db.close();
  }

  // In --quick, the runner's Neo4j when it passes one (emptied first); otherwise one of our own.
  const sharedUri = quick ? process.env.BENCH_NEO4J_URI : undefined;
  const server = sharedUri
    ? { uri: sharedUri, stop: async () => undefined }
    : await neo4jLocal.startLocalNeo4j({ dataDir: join(dir, 'neo4j'), boltPort: 0, heapMb: 1024, pageCacheMb: 512 });
  const driver = neo4j.driver(server.uri);
  if (sharedUri) {
    const session = driver.session();
    try {
      await session.run('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
    } finally {
      await session.close();
    }
  }
  let api: { child: ChildProcess; url: string; errors(): string[] } | null = null;
  let bare: { url: string; pid?: number; close(): Promise<void> } | null = null;
  try {
    api = await startApi({ DATA_DIR: join(dir, 'data'), NEO4J_URI: server.uri, PROJECTION_NAME: PROJECTION }, join(dir, 'api.log'));
    process.stderr.write(`API at ${api.url}; projecting ${head} events\n`);
    await waitForProjection(driver, head, quick ? 300_000 : 1_800_000);
    const introspection = await gql(api.url, getIntrospectionQuery());
    const sdl = printSchema(buildClientSchema(introspection.data as never));
    bare = await spawnBare(sdl, server.uri, dir);
    const found = (await driver.executeQuery('MATCH (i:Incident) WHERE NOT coalesce(i.placeholder, false) RETURN i.id AS id ORDER BY id LIMIT 1')).records[0];
    const incidentId = found ? (found.get('id') as string) : `BENCH-${process.pid}`;
    if (!found) {
      const declared = await gql(api.url, 'mutation($input: DeclareIncidentInput!) { declareIncident(input: $input) { position } }', {
        input: { incidentId, title: 'bench incident', severity: 'SEV2' },
      });
      if (declared.errors) throw new Error(`declareIncident: ${declared.errors[0].message}`);
      await waitForProjection(driver, Number((declared.data!.declareIncident as { position: string }).position), 60_000);
    }
    const hasHeroes = graph.CypherAnalytics !== undefined && /\bheroes\(/.test(sdl);
    const reader = new graph.EntityReader(driver);
    const analytics = hasHeroes ? new graph.CypherAnalytics!(driver) : null;

    const cases: { name: string; query: string; variables: Record<string, unknown>; direct?: () => Promise<unknown> }[] = [
      { name: 'trivial { __typename }', query: '{ __typename }', variables: {} },
      {
        name: 'incident(id)',
        query: 'query($id: String!) { incident(id: $id) { id title severity status responders { person { id name } } } }',
        variables: { id: incidentId },
        direct: () => reader.incident(incidentId),
      },
    ];
    if (hasHeroes) {
      cases.push({ name: 'heroes(limit: 20)', query: '{ heroes(limit: 20) { person { id name } incidents } }', variables: {}, direct: () => analytics!.heroes({ limit: 20 }) });
    } else process.stdout.write('heroes: not yet available (no CypherAnalytics.heroes in the build)\n');
    for (const c of cases) {
      const check = await gql(api.url, c.query, c.variables);
      if (check.errors) throw new Error(`${c.name}: ${check.errors[0].message}`);
      const checkBare = await gql(bare.url, c.query, c.variables);
      if (checkBare.errors) throw new Error(`${c.name} (bare Apollo): ${checkBare.errors[0].message}`);
    }

    const rows: Row[] = [];
    for (const connections of hasFlag('--lag-only') ? [] : connectionsList) {
      // BENCH_CASE=<part of a name>: only those cases (probes).
      for (const c of cases.filter((c) => c.name.includes(process.env.BENCH_CASE ?? ''))) {
        // Bare, API, then (full run) API, bare: the machine's drift over the minute falls on both alike.
        const order = quick || openLoopOnly ? ['bare', 'api'] : ['bare', 'api', 'api', 'bare'];
        // Both sides warm first (compiled code, connections, the driver's pool), not counted.
        for (const url of [bare.url, api.url]) await cannon(url, c.query, c.variables, connections, closedLoopWarmUpSeconds);
        const runs: Record<string, Load[]> = { bare: [], api: [] };
        for (const side of order) {
          const [url, pid] = side === 'api' ? [api.url, api.child.pid] : [bare.url, bare.pid];
          runs[side].push(await cannon(url, c.query, c.variables, connections, seconds, pid));
        }
        const [project, baseline] = [meanLoad(runs.api), meanLoad(runs.bare)];
        const latencies = (loads: Load[]) => loads.map((l) => `${l.p50}/${l.p99}`).join(' and ');
        // The servers' own CPU per request (from /proc): a saving too small for req/s to resolve shows here.
        const cpus = (loads: Load[]) => loads.map((l) => (l.serverCpuUs === undefined ? '?' : l.serverCpuUs.toFixed(0))).join('/');
        const cpuNote = [...runs.api, ...runs.bare].some((l) => l.serverCpuUs !== undefined) ? `; server CPU per request us: API ${cpus(runs.api)}, bare ${cpus(runs.bare)}` : '';
        const note = `p50/p99 ms: API ${latencies(runs.api)}, bare ${latencies(runs.bare)}${runs.api.length > 1 ? `; mean of ${runs.api.length} runs each (bare, API, API, bare) after ${closedLoopWarmUpSeconds} s of each` : ''}${cpuNote}${project.errors + baseline.errors ? `, errors ${project.errors}/${baseline.errors}` : ''}`;
        const row: Row = {
          name: `api ${c.name} c${connections}`,
          unit: 'req/s',
          project: project.rps,
          baseline: baseline.rps,
          ratio: ratio(project.rps, baseline.rps),
          goal: '>= 0.8 of bare Apollo',
          met: ratio(project.rps, baseline.rps) >= 0.8,
          load: load(),
          note,
        };
        rows.push(row);
        printRow(row);
        if (c.direct && !openLoopOnly) {
          // Closed loop, as above: the driver answers more calls per second, so its latency at the same
          // number of connections is lower by the throughput's ratio alone. For reference.
          const d = await direct(c.direct, connections, seconds);
          const p99Row: Row = {
            name: `api ${c.name} c${connections} p99`,
            unit: 'ms',
            project: project.p99,
            baseline: d.p99,
            ratio: ratio(project.p99, d.p99),
            goal: 'reference: closed loop, p99 ~ connections / throughput',
            met: null,
            load: load(),
            note: `driver direct p50/p99 ${d.p50.toFixed(1)}/${d.p99.toFixed(1)} ms, ${Math.round(d.rps)} calls/s`,
          };
          rows.push(p99Row);
          printRow(p99Row);
        }
        if (connections === connectionsList[0] && !closedLoopOnly) {
          // The goal's measure: the same offered load on both, open loop, at half of what the slower
          // of the API and bare Apollo answered at this concurrency. Bare Apollo at the same load is
          // the reference that tells what any GraphQL server over HTTP adds here from what the API does;
          // for `{ __typename }` (no driver call) it is the baseline.
          const rate = Math.max(1, Math.round(Math.min(project.rps, baseline.rps) / 2));
          const body = JSON.stringify({ query: c.query, variables: c.variables });
          // The full run: two rounds in mirrored order (driver, bare, API, API, bare, driver), each side's
          // percentiles over both of its runs: a stall of the machine (2 cores under 3 processes) falls on
          // one run of one side; over 20 s it weighs half what it does over 10 s, and drift falls on all alike.
          const defaultOrder = quick ? 'driver,bare,api' : 'driver,bare,api,api,bare,driver';
          const runs: Record<string, OpenRun[]> = { driver: [], bare: [], api: [] };
          const sides = (process.env.OPEN_LOOP_ORDER ?? defaultOrder).split(',');
          for (const side of sides) {
            if (side === 'driver' && c.direct) runs.driver.push(await openLoop('driver', c.direct, rate, seconds, openLoopWarmUpSeconds));
            if (side === 'bare') runs.bare.push(await openLoop('bare', () => post(bare!.url, body), rate, seconds, openLoopWarmUpSeconds));
            if (side === 'api') {
              // BENCH_METRICS=1: the API's event-loop delay and collections over its open loop (prom-client resets the histogram at each scrape).
              const metrics = async () => (await (await fetch(api!.url.replace(/graphql$/, 'metrics'))).text()).split('\n').filter((l) => /eventloop_lag_(p50|p99|max)|gc_duration_seconds_(sum|count)/.test(l));
              if (process.env.BENCH_METRICS) await metrics();
              runs.api.push(await openLoop('api', () => post(api!.url, body), rate, seconds, openLoopWarmUpSeconds));
              if (process.env.BENCH_METRICS) process.stderr.write(`${c.name} API metrics:\n${(await metrics()).join('\n')}\n`);
            }
          }
          const [driverLoad, bareLoad, apiLoad] = [runs.driver.length ? pooled(runs.driver) : null, pooled(runs.bare), pooled(runs.api)];
          const errors = [apiLoad, bareLoad, driverLoad].reduce((sum, l) => sum + (l?.errors ?? 0), 0);
          const errorNote = errors
            ? `; errors API ${apiLoad.errors}, bare ${bareLoad.errors}${driverLoad ? `, driver ${driverLoad.errors}` : ''} (first: ${apiLoad.firstError ?? bareLoad.firstError ?? driverLoad?.firstError})`
            : '';
          const perRun = (l: { runP99: number[] }) => l.runP99.map((v) => v.toFixed(1)).join('/');
          const timing =
            runs.api.length > 1
              ? `${runs.api.length} runs of ${seconds} s per side (${sides.filter((side) => side !== 'driver' || c.direct).join(', ')}), each after ${openLoopWarmUpSeconds} s of warm-up at the rate; p99 of each run: API ${perRun(apiLoad)}, bare ${perRun(bareLoad)}${driverLoad ? `, driver ${perRun(driverLoad)}` : ''} ms`
              : `${seconds} s each after ${openLoopWarmUpSeconds} s of warm-up at the rate`;
          // Against the driver, the goal; for `{ __typename }`, bare Apollo as a reference. Bare Apollo's
          // errors are reported, not counted against the API (as before it ran beside them).
          const limit = driverLoad ? driverLoad.p99 * 1.2 + 2 : null;
          const baselineLoad = driverLoad ?? bareLoad;
          const openRow: Row = {
            name: `api ${c.name} p99 at ${rate}/s open loop`,
            unit: 'ms',
            project: apiLoad.p99,
            baseline: baselineLoad.p99,
            ratio: ratio(apiLoad.p99, baselineLoad.p99),
            goal: driverLoad ? '<= 1.2x driver p99 + 2 ms, same load' : 'reference: against bare Apollo, same load',
            met: limit === null ? null : apiLoad.p99 <= limit && apiLoad.errors + baselineLoad.errors === 0,
            load: load(),
            note:
              driverLoad && limit !== null
                ? `p50 API ${apiLoad.p50.toFixed(1)} ms, driver ${driverLoad.p50.toFixed(1)} ms; limit ${limit.toFixed(1)} ms; bare Apollo p50/p99 ${bareLoad.p50.toFixed(1)}/${bareLoad.p99.toFixed(1)} ms; ${timing}${errorNote}`
                : `p50 API ${apiLoad.p50.toFixed(1)} ms, bare ${bareLoad.p50.toFixed(1)} ms; ${timing}${errorNote}`,
          };
          rows.push(openRow);
          printRow(openRow);
        }
      }
    }

    if (!openLoopOnly && !closedLoopOnly) {
      const l = await lag(api.url, quick);
      const lagRow: Row = {
        name: 'lag append -> GraphQL read p99',
        unit: 'ms',
        project: l.p99,
        baseline: 100,
        ratio: ratio(l.p99, 100),
        goal: 'p99 < 100 ms',
        met: l.p99 < 100,
        load: load(),
        note: `p50 ${l.p50.toFixed(1)} ms, ${l.samples} appends at ${l.rate.toFixed(1)}/s (half the max sustained ${l.maxRate.toFixed(1)}/s, after ${l.restMs / 1000} s of rest); the ${l.warmUpSeconds} s warm-up before them: p99 ${l.warmUpP99.toFixed(0)} ms; p99 of each 5 s of the measure: ${l.windowP99.map((v) => v.toFixed(0)).join(', ')} ms`,
      };
      rows.push(lagRow);
      printRow(lagRow);
    }
    printResult('api', rows, { seconds, events: head, heroes: hasHeroes ? 'measured' : 'not yet available' });
  } finally {
    await bare?.close();
    if (api) {
      const exited = new Promise((resolve) => api!.child.once('exit', resolve));
      api.child.kill('SIGTERM');
      await exited;
      for (const line of api.errors()) process.stderr.write(`API error: ${line}\n`);
    }
    await driver.close();
    await server.stop();
    if (!process.env.KEEP_BENCH_DIR && !reused) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`kept ${dir}\n`);
  }
}

const bareIndex = process.argv.indexOf('--bare');
(bareIndex >= 0 ? serveBare(process.argv[bareIndex + 1], process.argv[bareIndex + 2]) : main()).catch((error: unknown) => {
  process.stderr.write(`bench api: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
