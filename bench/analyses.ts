import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { cpus, homedir, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { generateHistory } from './history-generator';

/**
 * Benchmark: every analysis of ANALYTICS.md over the whole history of a generated organisation with
 * 100,000 incidents (about 2.1M events). Goal (issue 5): each answers in under 2 s on this machine.
 *
 *   npm run bench:analyses                     # 100,000 incidents (first run: generate, import, project)
 *   npm run bench:analyses -- --quick          # 2,000 incidents
 *   npm run bench:analyses -- --incidents 20000 --runs 5
 *   npm run bench:analyses -- --uri bolt://127.0.0.1:7699 --data-dir DIR --projection NAME   # an existing projection
 *
 * The history, its SQLite log and the Neo4j store are kept under ~/.cache/catalyst/bench
 * (CATALYST_CACHE_DIR) so that later runs only time the queries: the file is generated once
 * (seeded), imported once, and projected with `catalyst projections rebuild` when the projection is
 * not at the log's head. Each analysis runs once to warm up, then `--runs` times; the table shows
 * the median and the slowest run.
 */

const GOAL_MS = 2000;
const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'apps', 'cli', 'src', 'main.js');
// The project as built by `npm run build`, loaded at run time so that bench/ compiles on its own
// (only the parts used here are typed).
type Analyses = Record<string, (...args: unknown[]) => Promise<unknown>>;
const graph = require(join(REPO, 'dist', 'libs', 'graph', 'src')) as { CypherAnalytics: new (driver: Driver) => Analyses; PROJECTION_DEFINITION: string };
const neo4jLocal = require(join(REPO, 'dist', 'tools', 'neo4j', 'src')) as {
  startLocalNeo4j(options: { dataDir: string; boltPort: number; heapMb: number; pageCacheMb: number }): Promise<{ uri: string; stop(): Promise<void> }>;
};
const eventStore = require(join(REPO, 'dist', 'libs', 'event-store', 'src')) as {
  SqliteEventStore: new (path: string) => { headPosition(): Promise<string>; close(): Promise<void> };
};
const neo4j = require('neo4j-driver') as typeof import('neo4j-driver');

interface Args {
  incidents: number;
  runs: number;
  /** An existing Neo4j, log and projection to time (nothing is generated, imported or projected). */
  uri?: string;
  dataDir?: string;
  projection?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { incidents: 100_000, runs: 3 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') args.incidents = 2_000;
    else if (arg === '--incidents') args.incidents = Number(argv[++i]);
    else if (arg === '--runs') args.runs = Number(argv[++i]);
    else if (arg === '--uri') args.uri = argv[++i];
    else if (arg === '--data-dir') args.dataDir = argv[++i];
    else if (arg === '--projection') args.projection = argv[++i];
    else throw new Error(`unknown argument ${arg} (--quick, --incidents N, --runs N, --uri U --data-dir D --projection P)`);
  }
  if (!Number.isInteger(args.incidents) || args.incidents < 1) throw new Error('--incidents must be a positive integer');
  if (!Number.isInteger(args.runs) || args.runs < 1) throw new Error('--runs must be a positive integer');
  return args;
}

function run(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 || code === 1 ? done() : fail(new Error(`${command} ${argv.join(' ')} exited with ${code}`))));
  });
}

/** The projection's position, or -1 when it is being rebuilt or was built by another definition than this build's. */
async function checkpoint(driver: Driver, name: string): Promise<number> {
  const result = await driver.executeQuery(
    'MATCH (c:ProjectionCheckpoint {name: $name}) RETURN c.position AS position, c.rebuildPhase AS phase, c.definition AS definition',
    { name },
  );
  const record = result.records[0];
  if (!record || record.get('phase') !== null || record.get('definition') !== graph.PROJECTION_DEFINITION) return -1;
  return Number(record.get('position'));
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const cache = join(process.env.CATALYST_CACHE_DIR ?? join(homedir(), '.cache', 'catalyst'), 'bench', `analyses-${args.incidents}`);
  mkdirSync(cache, { recursive: true });
  const file = join(cache, 'history.ndjson');
  const dataDir = args.dataDir ?? join(cache, 'data');
  const projection = args.projection ?? 'bench-analyses';

  if (!args.uri && !existsSync(join(cache, 'imported'))) {
    process.stderr.write(`generating ${args.incidents} incidents into ${file}\n`);
    const generated = await generateHistory(file, Number.POSITIVE_INFINITY, 42, args.incidents);
    process.stderr.write(`${generated.lines} lines, ${(generated.bytes / 1024 ** 2).toFixed(0)} MB; importing\n`);
    await run(process.execPath, [CLI, 'import', 'events', file, '--batch-size', '2000'], { DATA_DIR: dataDir });
    await run('touch', [join(cache, 'imported')], {});
  }

  const server = args.uri
    ? { uri: args.uri, stop: async () => undefined }
    : await neo4jLocal.startLocalNeo4j({ dataDir: join(cache, 'neo4j'), boltPort: 0, heapMb: 2048, pageCacheMb: 1024 });
  const driver = neo4j.driver(server.uri);
  try {
    const store = new eventStore.SqliteEventStore(join(dataDir, 'events.sqlite'));
    const head = Number(await store.headPosition());
    await store.close();
    if ((await checkpoint(driver, projection)) !== head) {
      if (args.uri) throw new Error(`projection ${projection} at ${args.uri} is not at the log's head ${head}, or was built by another projection definition`);
      process.stderr.write(`projecting ${head} events into ${server.uri}\n`);
      const started = Date.now();
      await run(process.execPath, [CLI, 'projections', 'rebuild', '--progress-interval', '10000'], {
        DATA_DIR: dataDir,
        NEO4J_URI: server.uri,
        PROJECTION_NAME: projection,
        PROJECTION_BATCH_SIZE: '1000',
      });
      process.stderr.write(`projected in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
    const counts = await driver.executeQuery(
      'MATCH (i:Incident) WITH count(i) AS incidents MATCH ()-[r:RESPONDED_TO]->() RETURN incidents, count(r) AS stints',
    );
    const analytics = new graph.CypherAnalytics(driver);
    const services = await driver.executeQuery('MATCH (s:Service) RETURN s.id AS id ORDER BY id LIMIT 20');
    const serviceIds = services.records.map((r) => r.get('id') as string);
    const now = new Date().toISOString();
    const o = { now, listLimit: 100 };
    const cases: [string, () => Promise<unknown>][] = [
      ['serviceResponse', () => analytics.serviceResponse(serviceIds[0], o)],
      ['heroes', () => analytics.heroes(o)],
      ['teamCollaboration', () => analytics.teamCollaboration(o)],
      ['hiddenCoupling', () => analytics.hiddenCoupling(o)],
      ['timeZones', () => analytics.timeZones(o)],
      ['actionItemDebt', () => analytics.actionItemDebt(o)],
      ['onCallDrift', () => analytics.onCallDrift(o)],
      ['load', () => analytics.load(o)],
      ['pagingVsPresence', () => analytics.pagingVsPresence(o)],
      ['coordinationCost', () => analytics.coordinationCost(o)],
      ['serviceBurden', () => analytics.serviceBurden(o)],
      ['prioritizeFindings', () => analytics.prioritizeFindings(serviceIds.map((serviceId, i) => ({ id: `f${i}`, serviceId })), o)],
      ['teamLoad', () => analytics.teamLoad(o)],
      ['orgDelta', () => analytics.orgDelta(o)],
      ['placeholders', () => analytics.placeholders()],
      ['orgTree', () => analytics.orgTree(now)],
    ];
    const results: { analysis: string; medianMs: number; maxMs: number; ok: boolean }[] = [];
    for (const [name, call] of cases) {
      await call();
      const times: number[] = [];
      for (let i = 0; i < args.runs; i++) {
        const started = process.hrtime.bigint();
        await call();
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      times.sort((a, b) => a - b);
      const medianMs = times[Math.floor(times.length / 2)];
      const maxMs = times[times.length - 1];
      results.push({ analysis: name, medianMs: Math.round(medianMs), maxMs: Math.round(maxMs), ok: maxMs < GOAL_MS });
      process.stdout.write(`${name.padEnd(20)} median ${String(Math.round(medianMs)).padStart(6)} ms  max ${String(Math.round(maxMs)).padStart(6)} ms  ${maxMs < GOAL_MS ? 'ok' : `over the ${GOAL_MS} ms goal`}\n`);
    }
    const record = counts.records[0];
    process.stdout.write(
      `${JSON.stringify({
        benchmark: 'analyses',
        date: new Date().toISOString(),
        incidents: Number(record.get('incidents')),
        events: head,
        responderStints: Number(record.get('stints')),
        runs: args.runs,
        goalMs: GOAL_MS,
        allUnderGoal: results.every((r) => r.ok),
        results,
        machine: { cores: cpus().length, memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version, loadavg: loadavg().map((x) => x.toFixed(2)) },
      })}\n`,
    );
  } finally {
    await driver.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench analyses: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
