import { importIncidentIoFile, type LineProblem } from '@app/importers';
import { loadConfig, openEventStore } from '@app/runtime';
import { EXIT, ProgressLine, type CliIo } from './import-events';

export interface ImportIncidentIoOptions {
  dryRun?: boolean;
  batchSize?: number;
}

/**
 * `catalyst import incident-io FILE`: an incident.io export (API responses such as GET /v2/incidents,
 * GET /v2/follow_ups, POST /v1/incident_memberships, or webhook bodies, one JSON document or NDJSON)
 * into the log of DATA_DIR. Problems and skipped records go to stderr, the summary to stdout as JSON.
 * Ids are deterministic: importing the same file again appends nothing.
 */
export async function importIncidentIoCommand(file: string, options: ImportIncidentIoOptions, io: Omit<CliIo, 'stdin'>): Promise<number> {
  const config = loadConfig(io.env);
  const store = openEventStore(config);
  const progress = io.stderr.isTTY ? new ProgressLine(io.stderr, file, null) : null;
  try {
    const summary = await importIncidentIoFile(store, file, {
      dryRun: options.dryRun,
      batchSize: options.batchSize,
      onProgress: (current) => progress?.update(current),
      onProblem: (problem: LineProblem) => {
        progress?.clear();
        io.stderr.write(`${problem.field} (${problem.rule}): ${problem.message}\n`);
      },
    });
    if (progress) {
      progress.update(summary, true);
      io.stderr.write('\n');
    }
    for (const skip of summary.skipped) io.stderr.write(`skipped ${skip.ref ?? skip.eventType ?? ''}: ${skip.reason}\n`);
    io.stdout.write(`${JSON.stringify(summary)}\n`);
    return summary.rejected > 0 ? EXIT.rejected : EXIT.ok;
  } finally {
    await store.close();
  }
}
