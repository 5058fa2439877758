import { InvalidArgumentError } from 'commander';
import pino from 'pino';
import { PROJECTION_DEFINITION, readCheckpoint, rebuildProjection, type Checkpoint, type RebuildProgress, type RebuildResult } from '@app/graph';
import { loadConfig, openInfrastructure, projectorOptions } from '@app/runtime';

export interface ProjectionStatusReport {
  projection: string;
  position: string;
  headPosition: string;
  lag: string;
  graphLogId: string | null;
  storeLogId: string;
  generation: number;
  rebuild: Checkpoint['rebuild'];
  lastError: Checkpoint['lastError'];
  /** The definition that built the graph, this build's, and whether a rebuild is needed to project on. */
  graphDefinition: string | null;
  definition: string;
  rebuildNeeded: boolean;
}

/** Reads the checkpoint from Neo4j and the head from the log (starting the local Neo4j if needed). */
export async function projectionStatus(env: NodeJS.ProcessEnv): Promise<ProjectionStatusReport> {
  const config = loadConfig(env);
  const infrastructure = await openInfrastructure(config, pino({ level: 'warn' }, pino.destination(2)));
  try {
    const session = infrastructure.driver.session({ database: config.neo4j.database });
    const checkpoint = await session
      .executeRead((tx) => readCheckpoint(tx, config.projection.name))
      .finally(() => session.close());
    const headPosition = await infrastructure.store.headPosition();
    const lag = BigInt(headPosition) - BigInt(checkpoint.position);
    return {
      projection: config.projection.name,
      position: checkpoint.position,
      headPosition,
      lag: (lag > 0n ? lag : 0n).toString(),
      graphLogId: checkpoint.logId,
      storeLogId: await infrastructure.store.logId(),
      generation: checkpoint.generation,
      rebuild: checkpoint.rebuild,
      lastError: checkpoint.lastError,
      graphDefinition: checkpoint.definition,
      definition: PROJECTION_DEFINITION,
      rebuildNeeded: BigInt(checkpoint.position) > 0n && checkpoint.definition !== PROJECTION_DEFINITION,
    };
  } finally {
    await infrastructure.close();
  }
}

export interface RebuildIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export function parseProgressInterval(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 50 || ms > 600_000) throw new InvalidArgumentError('an integer number of milliseconds, 50..600000');
  return ms;
}

const number = (value: number | string) => Number(value).toLocaleString('en-US');

export function describeProgress(name: string, progress: RebuildProgress): string {
  if (progress.phase === 'deleting') {
    // Relationships go first (nodes stay at 0 deleted meanwhile), then the nodes.
    if (progress.deleted === 0 && progress.relationshipsDeleted > 0) {
      return `rebuild ${name}: deleting the old graph · ${number(progress.relationshipsDeleted)} relationships deleted · ${number(progress.relationshipsRemaining)} left · then ${number(progress.remaining)} nodes`;
    }
    return `rebuild ${name}: deleting the old graph · ${number(progress.deleted)} nodes deleted · ${number(progress.remaining)} left`;
  }
  const head = BigInt(progress.headPosition);
  const percent = head > 0n ? Number((BigInt(progress.position) * 1000n) / head) / 10 : 100;
  return `rebuild ${name}: projecting · position ${progress.position}/${progress.headPosition} (${percent.toFixed(1)}%) · ${number(progress.eventsPerSecond)} events/s`;
}

/**
 * `catalyst projections rebuild`: drops the graph and projects the whole log again, with progress
 * on stderr and a JSON summary on stdout. Ctrl-C stops after the current batch (exit 130); running
 * it again resumes. Running projectors of the projection pause meanwhile and resume after it.
 */
export async function rebuildCommand(options: { progressIntervalMs: number }, io: RebuildIo): Promise<number> {
  const config = loadConfig(io.env);
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const infrastructure = await openInfrastructure(config, logger);
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
    io.stderr.write('stopping after the current batch (Ctrl-C again to quit at once); run the rebuild again to resume\n');
  };
  process.on('SIGINT', onSigint);
  const name = config.projection.name;
  try {
    io.stderr.write(
      `rebuild ${name}: the API serves a partial graph until the rebuild completes; running projectors of "${name}" pause meanwhile\n`,
    );
    const result: RebuildResult = await rebuildProjection(infrastructure.driver, infrastructure.store, {
      ...projectorOptions(config, logger),
      signal: controller.signal,
      progressMs: options.progressIntervalMs,
      onProgress: (progress) => io.stderr.write(`${describeProgress(name, progress)}\n`),
    });
    io.stderr.write(
      result.outcome === 'completed'
        ? `rebuild ${name}: completed at position ${result.position} in ${(result.elapsedMs / 1000).toFixed(1)} s\n`
        : `rebuild ${name}: stopped at position ${result.position} of ${result.headPosition}; run it again to resume\n`,
    );
    io.stdout.write(`${JSON.stringify({ projection: name, ...result })}\n`);
    return result.outcome === 'completed' ? 0 : 130;
  } finally {
    process.off('SIGINT', onSigint);
    await infrastructure.close();
  }
}
