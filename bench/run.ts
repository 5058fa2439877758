import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { built, hasFlag, load, machine, printRow, type Row } from './common';

/**
 * `npm run bench`: every benchmark of issue 10, one after the other (they would measure each other
 * otherwise), each as its own process; then one table of every ratio against its goal.
 * `npm run bench -- --quick` is the CI smoke run: small inputs, ratios printed, not asserted; it
 * fails only when a benchmark crashes. `--only append,projector` runs some of them.
 *
 * Benchmarks: append (SQLite adapter vs raw better-sqlite3), projector (projector and rebuild vs the
 * same Cypher through the driver), api (API and lag vs bare Apollo on Express and the driver),
 * analyses (bench/analyses.ts, when present; not in --quick: it projects 2M events), import
 * (bench/import-ndjson.ts: 1 GB, peak RSS).
 */

interface Bench {
  name: string;
  file: string;
  args: (quick: boolean) => string[] | null;
  /** Turns the last JSON line of a benchmark that does not print RESULT into rows. */
  rows?: (json: Record<string, unknown>) => Row[];
}

const BENCHES: Bench[] = [
  { name: 'append', file: 'append.js', args: (quick) => (quick ? ['--quick'] : []) },
  { name: 'projector', file: 'projector.js', args: (quick) => (quick ? ['--quick'] : []) },
  { name: 'api', file: 'api.js', args: (quick) => (quick ? ['--quick'] : []) },
  {
    name: 'analyses',
    file: 'analyses.js',
    args: (quick) => (quick ? null : []),
    rows: (json) =>
      ((json.results ?? []) as { analysis: string; medianMs: number; maxMs: number; ok: boolean }[]).map((r) => ({
        name: `analysis ${r.analysis}`,
        unit: 'ms',
        project: r.maxMs,
        baseline: 2000,
        ratio: Math.round((r.maxMs / 2000) * 100) / 100,
        goal: 'slowest run < 2000 ms',
        met: r.ok,
        load: load(),
        note: `median ${r.medianMs} ms, ${String(json.incidents)} incidents`,
      })),
  },
  {
    name: 'import',
    file: 'import-ndjson.js',
    args: (quick) => (quick ? ['2MB'] : []),
    rows: (json) =>
      ((json.results ?? []) as { name: string; seconds: number; linesPerSecond: number; peakRssMb: number }[]).map((r) => ({
        name: `import ${Math.round(Number(json.fileMb))} MB NDJSON (${r.name})`,
        unit: 'MB RSS',
        project: r.peakRssMb,
        baseline: 300,
        ratio: Math.round((r.peakRssMb / 300) * 100) / 100,
        goal: 'peak RSS < 300 MB',
        met: r.peakRssMb < 300,
        load: load(),
        note: `${r.seconds.toFixed(1)} s, ${Math.round(r.linesPerSecond)} lines/s`,
      })),
  },
];

function runBench(bench: Bench, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; rows: Row[]; seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(__dirname, bench.file), ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const rows: Row[] = [];
  let lastJson: Record<string, unknown> | null = null;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('RESULT ')) {
      rows.push(...((JSON.parse(line.slice(7)) as { rows: Row[] }).rows ?? []));
      return;
    }
    process.stdout.write(`  ${line}\n`);
    if (line.startsWith('{')) {
      try {
        lastJson = JSON.parse(line) as Record<string, unknown>;
      } catch {
        // a log line, not the result
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (rows.length === 0 && lastJson && bench.rows) rows.push(...bench.rows(lastJson));
      resolve({ code, rows, seconds: (performance.now() - started) / 1000 });
    });
  });
}

async function main(): Promise<void> {
  const quick = hasFlag('--quick');
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? new Set(process.argv[onlyIndex + 1].split(',')) : null;
  const started = performance.now();
  process.stdout.write(`bench${quick ? ' --quick (smoke run: ratios printed, not asserted)' : ''}: ${JSON.stringify(machine())}, load ${load()}, ${new Date().toISOString()}\n`);
  const all: Row[] = [];
  const crashed: string[] = [];
  // --quick: one local Neo4j for every benchmark that needs one (each start costs 15 to 40 s).
  let neo4jServer: { uri: string; stop(): Promise<void> } | null = null;
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (quick && (!only || only.has('projector') || only.has('api'))) {
    const dataDir = mkdtempSync(join(tmpdir(), 'catalyst-bench-neo4j-'));
    neo4jServer = await built<{
      startLocalNeo4j(options: { dataDir: string; boltPort: number; heapMb: number; pageCacheMb: number }): Promise<{ uri: string; stop(): Promise<void> }>;
    }>('tools/neo4j/src').startLocalNeo4j({ dataDir, boltPort: 0, heapMb: 1024, pageCacheMb: 512 });
    env.BENCH_NEO4J_URI = neo4jServer.uri;
    const stop = neo4jServer.stop.bind(neo4jServer);
    neo4jServer.stop = async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    };
  }
  try {
    await runAll(quick, only, env, all, crashed);
  } finally {
    await neo4jServer?.stop();
  }
  process.stdout.write(`\n== summary (${((performance.now() - started) / 1000).toFixed(1)} s, load ${load()})\n`);
  all.forEach(printRow);
  const missed = all.filter((row) => row.met === false).length;
  process.stdout.write(`bench: ${all.length} figures, ${all.length - missed} goals met, ${missed} missed${quick ? ' (quick: not asserted)' : ''}${crashed.length ? `; crashed: ${crashed.join(', ')}` : ''}\n`);
  if (crashed.length) process.exit(1);
}

async function runAll(quick: boolean, only: Set<string> | null, env: NodeJS.ProcessEnv, all: Row[], crashed: string[]): Promise<void> {
  for (const bench of BENCHES) {
    if (only && !only.has(bench.name)) continue;
    const args = bench.args(quick);
    if (args === null) {
      process.stdout.write(`\n== ${bench.name}: skipped in --quick\n`);
      continue;
    }
    if (!existsSync(join(__dirname, bench.file))) {
      process.stdout.write(`\n== ${bench.name}: not yet available (bench/${bench.file.replace(/\.js$/, '.ts')} is missing)\n`);
      continue;
    }
    process.stdout.write(`\n== ${bench.name} ${args.join(' ')} (load ${load()})\n`);
    const result = await runBench(bench, args, env);
    // The import bench exits 0; analyses and the rest exit 0 unless they crash.
    if (result.code !== 0) crashed.push(`${bench.name} (exit ${result.code})`);
    process.stdout.write(`== ${bench.name}: ${result.seconds.toFixed(1)} s, exit ${result.code}\n`);
    all.push(...result.rows);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
