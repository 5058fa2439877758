import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { generateHistory } from './history-generator';

/**
 * Benchmark: `catalyst import events` on a large generated NDJSON file, as its own process, with
 * its peak RSS read from /proc. Goal (issue 3): a 1 GB file imports in under 300 MB RSS.
 *
 *   npm run bench:import                 # 1 GB
 *   npm run bench:import -- --quick      # ~20 MB
 *   npm run bench:import -- 200MB --batch-size 1000 --twice --keep
 */

const RSS_GOAL_MB = 300;
const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'apps', 'cli', 'src', 'main.js');

interface Args {
  bytes: number;
  batchSize?: string;
  twice: boolean;
  keep: boolean;
}

function parseSize(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(text);
  if (!match) throw new Error(`size must look like 20MB or 1GB, got "${text}"`);
  const unit = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[(match[2] ?? 'B').toUpperCase() as 'B'];
  return Math.round(Number(match[1]) * unit);
}

function parseArgs(argv: string[]): Args {
  const args: Args = { bytes: 1024 ** 3, twice: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--quick') args.bytes = 20 * 1024 ** 2;
    else if (arg === '--twice') args.twice = true;
    else if (arg === '--keep') args.keep = true;
    else if (arg === '--batch-size') args.batchSize = argv[++i];
    else args.bytes = parseSize(arg);
  }
  return args;
}

/** Highest VmHWM seen (the kernel's own peak RSS of the process), polled until it exits. */
function readPeakKb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // already gone
  }
}

interface RunResult {
  seconds: number;
  peakRssMb: number;
  exitCode: number | null;
  summary: Record<string, unknown>;
  problemLines: number;
}

async function runImport(file: string, dataDir: string, batchSize?: string): Promise<RunResult> {
  const args = [CLI, 'import', 'events', file, ...(batchSize ? ['--batch-size', batchSize] : [])];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let peakKb = 0;
  const poll = setInterval(() => (peakKb = Math.max(peakKb, readPeakKb(child.pid!) ?? 0)), 100);
  let stdout = '';
  let problemLines = 0;
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  createInterface({ input: child.stderr! }).on('line', (line) => {
    problemLines += 1;
    if (problemLines <= 5) process.stderr.write(`  cli: ${line}\n`);
  });
  const exitCode = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  clearInterval(poll);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
  delete summary.problems;
  return { seconds, peakRssMb: peakKb / 1024, exitCode, summary, problemLines };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench:import does)`);
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-bench-'));
  try {
    const file = join(dir, 'history.ndjson');
    const genStarted = Date.now();
    const generated = await generateHistory(file, args.bytes);
    const mb = generated.bytes / 1024 ** 2;
    console.log(`generated ${file}: ${mb.toFixed(1)} MB, ${generated.lines.toLocaleString('en-US')} lines (${generated.badLines} bad on purpose) in ${((Date.now() - genStarted) / 1000).toFixed(1)} s`);

    const runs = args.twice ? ['first import', 're-import (all duplicates)'] : ['first import'];
    const results: Record<string, unknown>[] = [];
    for (const name of runs) {
      const run = await runImport(file, join(dir, 'data'), args.batchSize);
      const linesPerSecond = Number(run.summary.lines ?? 0) / run.seconds;
      const verdict = run.peakRssMb < RSS_GOAL_MB ? 'under' : 'OVER';
      console.log(
        `${name}: ${run.seconds.toFixed(1)} s, ${Math.round(linesPerSecond).toLocaleString('en-US')} lines/s, ${(mb / run.seconds).toFixed(1)} MB/s, ` +
          `peak RSS ${run.peakRssMb.toFixed(0)} MB (${verdict} the ${RSS_GOAL_MB} MB goal), exit ${run.exitCode}, ${run.problemLines} problem lines on stderr`,
      );
      console.log(`  summary: ${JSON.stringify(run.summary)}`);
      results.push({ name, seconds: run.seconds, linesPerSecond, peakRssMb: run.peakRssMb, exitCode: run.exitCode, ...run.summary });
      if (Number(run.summary.rejected) !== generated.badLines && name === 'first import') {
        console.log(`  unexpected: ${String(run.summary.rejected)} lines rejected, ${generated.badLines} bad lines were generated`);
      }
    }
    const logMb = statSync(join(dir, 'data', 'events.sqlite')).size / 1024 ** 2;
    console.log(
      JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, memGiB: Math.round(totalmem() / 1024 ** 3), fileMb: mb, lines: generated.lines, sqliteMb: logMb, results }),
    );
  } finally {
    if (args.keep) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
