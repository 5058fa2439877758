import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { importBackstageCatalog, importPagerDutyExport, importStatuspageFile, type ImportProgress, type ImportSummary, type LineProblem } from '@app/importers';
import { loadConfig, openEventStore } from '@app/runtime';
import { EXIT, ProgressLine, type CliIo } from './import-events';

export interface ImportSourceOptions {
  dryRun?: boolean;
  batchSize?: number;
  /** Backstage, PagerDuty: occurredAt of the changes (default now); PagerDuty: also the start of the shift window. */
  asOf?: string;
  /** PagerDuty: days of on-call shifts from asOf. */
  shiftDays?: number;
}

type SourceIo = Omit<CliIo, 'stdin'>;
interface Skip {
  ref?: string;
  reason: string;
}

/**
 * Runs one file importer against the log of DATA_DIR with the CLI conventions of `import events`:
 * progress on a terminal, each problem and skipped record on stderr as found, the JSON summary on
 * stdout, exit 1 when records were rejected.
 */
async function runSourceImport<S extends ImportSummary & { skipped: Skip[] }>(
  label: string,
  totalBytes: number | null,
  io: SourceIo,
  run: (
    store: ReturnType<typeof openEventStore>,
    hooks: { onProgress(progress: ImportProgress): void; onProblem(problem: LineProblem): void; progress: ProgressLine | null },
  ) => Promise<S>,
): Promise<number> {
  const config = loadConfig(io.env);
  const store = openEventStore(config);
  const progress = io.stderr.isTTY ? new ProgressLine(io.stderr, label, totalBytes) : null;
  try {
    const summary = await run(store, {
      progress,
      onProgress: (current) => progress?.update(current),
      onProblem: (problem) => {
        progress?.clear();
        io.stderr.write(`${problem.field} (${problem.rule}): ${problem.message}\n`);
      },
    });
    if (progress) {
      progress.update(summary, true);
      io.stderr.write('\n');
    }
    for (const skip of summary.skipped) io.stderr.write(`skipped ${skip.ref ?? ''}: ${skip.reason}\n`);
    io.stdout.write(`${JSON.stringify(summary)}\n`);
    return summary.rejected > 0 ? EXIT.rejected : EXIT.ok;
  } finally {
    await store.close();
  }
}

/** `catalyst import backstage PATH`: a catalog file or directory; appends only what differs from the log. */
export function importBackstageCommand(path: string, options: ImportSourceOptions, io: SourceIo): Promise<number> {
  return runSourceImport(basename(path), null, io, (store, hooks) =>
    importBackstageCatalog(store, path, {
      dryRun: options.dryRun,
      batchSize: options.batchSize,
      asOf: options.asOf,
      onProgress: hooks.onProgress,
      onProblem: hooks.onProblem,
      onFile: (file, read) => hooks.progress?.update({ lines: read, bytes: 0, accepted: 0, appended: 0, skippedDuplicates: 0, rejected: 0 }),
    }),
  );
}

/** `catalyst import statuspage FILE.jsonl`: one Statuspage-style incident per line, streamed. */
export function importStatuspageCommand(file: string, options: ImportSourceOptions, io: SourceIo): Promise<number> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return runSourceImport(basename(file), size, io, (store, hooks) =>
    importStatuspageFile(store, file, { dryRun: options.dryRun, batchSize: options.batchSize, onProgress: hooks.onProgress, onProblem: hooks.onProblem }),
  );
}

/** `catalyst import pagerduty DIR`: a PagerDuty REST export; appends only what differs from the log. */
export function importPagerDutyCommand(path: string, options: ImportSourceOptions, io: SourceIo): Promise<number> {
  return runSourceImport(basename(path), null, io, (store, hooks) =>
    importPagerDutyExport(store, path, {
      dryRun: options.dryRun,
      batchSize: options.batchSize,
      asOf: options.asOf,
      shiftDays: options.shiftDays,
      onProgress: hooks.onProgress,
      onProblem: hooks.onProblem,
      onFile: (file, read) => hooks.progress?.update({ lines: read, bytes: 0, accepted: 0, appended: 0, skippedDuplicates: 0, rejected: 0 }),
    }),
  );
}
