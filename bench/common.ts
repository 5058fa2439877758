import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

/** Shared by the issue-10 benchmarks: the built project, the machine, and how results are printed. */

export const REPO = resolve(__dirname, '..', '..');

/** The project as built by `npm run build`, loaded at run time so that bench/ compiles on its own. */
export function built<T>(relative: string): T {
  return require(join(REPO, 'dist', relative)) as T;
}

export function machine() {
  return { cores: cpus().length, memoryGb: Math.round(totalmem() / 1024 ** 3), node: process.version };
}

/** The 1-minute load average, printed next to every figure: the machine is shared. */
export function load(): string {
  return loadavg()[0].toFixed(2);
}

export function ratio(project: number, baseline: number): number {
  return baseline > 0 ? Math.round((project / baseline) * 100) / 100 : 0;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export interface Row {
  /** What is measured, e.g. "append batch 10". */
  name: string;
  unit: string;
  project: number;
  baseline: number;
  /** project / baseline for throughputs (higher is better), baseline / project for times. */
  ratio: number;
  goal: string;
  met: boolean | null;
  load: string;
  note?: string;
}

export function printRow(row: Row): void {
  const verdict = row.met === null ? '' : row.met ? 'goal met' : 'GOAL MISSED';
  process.stdout.write(
    `${row.name.padEnd(34)} project ${fmt(row.project).padStart(10)}  baseline ${fmt(row.baseline).padStart(10)} ${row.unit.padEnd(9)} ratio ${row.ratio.toFixed(2)}  (${row.goal}) ${verdict}  load ${row.load}${row.note ? `  ${row.note}` : ''}\n`,
  );
}

function fmt(value: number): string {
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
}

/** The last line a benchmark prints: the runner collects it. */
export function printResult(benchmark: string, rows: Row[], extra: Record<string, unknown> = {}): void {
  process.stdout.write(`RESULT ${JSON.stringify({ benchmark, date: new Date().toISOString(), machine: machine(), rows, ...extra })}\n`);
}

export function hasFlag(name: string): boolean {
  return process.argv.slice(2).includes(name);
}

export function option(name: string): string | undefined {
  const argv = process.argv.slice(2);
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}
