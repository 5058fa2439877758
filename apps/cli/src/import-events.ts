import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { importNdjson, type ImportProgress, type LineProblem } from '@app/importers';
import { loadConfig, openEventStore } from '@app/runtime';

export interface ImportEventsOptions {
  dryRun?: boolean;
  batchSize?: number;
}

export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Exit codes: 0 all lines taken (appended or already there), 1 some lines rejected, 130 stopped by Ctrl-C. */
export const EXIT = { ok: 0, rejected: 1, stopped: 130 } as const;

const number = (value: number) => Math.round(value).toLocaleString('en-US');

/** One status line on a terminal, redrawn at most every 250 ms. */
export class ProgressLine {
  private last = 0;
  private shown = false;
  private readonly started = Date.now();

  constructor(
    private readonly stderr: CliIo['stderr'],
    private readonly label: string,
    private readonly totalBytes: number | null,
  ) {}

  update(progress: ImportProgress, force = false): void {
    const now = Date.now();
    if (!force && now - this.last < 250) return;
    this.last = now;
    const seconds = Math.max((now - this.started) / 1000, 0.001);
    const percent = this.totalBytes ? ` ${Math.min(100, Math.floor((progress.bytes / this.totalBytes) * 100))}%` : '';
    const text =
      `${this.label}${percent} · ${number(progress.lines)} lines · ${number(progress.lines / seconds)} lines/s · ` +
      `${number(progress.appended)} appended · ${number(progress.skippedDuplicates)} duplicates · ${number(progress.rejected)} rejected`;
    this.stderr.write(`\r\x1b[K${text}`);
    this.shown = true;
  }

  /** Clears the line so other output starts at the left margin. */
  clear(): void {
    if (this.shown) this.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/**
 * `catalyst import events FILE`: appends the events of an NDJSON file (or `-` for stdin) to the log
 * of DATA_DIR. Problems go to stderr as they are found, the summary to stdout as JSON. Ctrl-C stops
 * after the batch in hand; running the same file again resumes (ids are deterministic).
 */
export async function importEventsCommand(file: string, options: ImportEventsOptions, io: CliIo): Promise<number> {
  const totalBytes = file === '-' ? null : sizeOf(file);
  const input = file === '-' ? io.stdin : createReadStream(file, { highWaterMark: 1024 * 1024 });
  const config = loadConfig(io.env);
  const store = openEventStore(config);
  const progress = io.stderr.isTTY ? new ProgressLine(io.stderr, file === '-' ? 'stdin' : basename(file), totalBytes) : null;
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.stopped); // a second Ctrl-C: the open transaction rolls back
    controller.abort();
    progress?.clear();
    io.stderr.write('stopping after the current batch (Ctrl-C again to quit at once)\n');
  };
  process.on('SIGINT', onSigint);
  try {
    const summary = await importNdjson(store, input as AsyncIterable<Buffer>, {
      dryRun: options.dryRun,
      batchSize: options.batchSize,
      signal: controller.signal,
      onProgress: (current) => progress?.update(current),
      onProblem: (problem: LineProblem) => {
        progress?.clear();
        io.stderr.write(`line ${problem.line}: ${problem.field} (${problem.rule}): ${problem.message}\n`);
      },
    });
    if (progress) {
      progress.update(summary, true);
      io.stderr.write('\n');
    }
    io.stdout.write(`${JSON.stringify(summary)}\n`);
    if (summary.rejected > 0) return EXIT.rejected;
    return summary.stopped ? EXIT.stopped : EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
    await store.close();
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function parseBatchSize(value: string): number {
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new InvalidArgumentError('an integer from 1 to 10000');
  return size;
}
