import neo4j, { type Driver, type ManagedTransaction } from 'neo4j-driver';
import type { Logger } from 'pino';
import type { EventStore } from '@app/event-store';
import { ensureSchema } from '../schema';
import { toPlain } from '../values';
import { lockCheckpoint, setRebuildPhase, startRebuildOnCheckpoint, type RebuildPhase } from './checkpoint';
import { Projector } from './projector';
import type { OnProjectionError } from './projector-types';

export interface RebuildOptions {
  name: string;
  batchSize: number;
  onError: OnProjectionError;
  logger: Logger;
  database?: string;
  /** Nodes deleted per transaction while dropping the old graph. */
  deleteBatchSize?: number;
  /** Stops after the current batch (of deletions or of events); the next run resumes. */
  signal?: AbortSignal;
  onProgress?: (progress: RebuildProgress) => void;
  progressMs?: number;
}

export interface RebuildProgress {
  phase: RebuildPhase;
  generation: number;
  /** Deleting: nodes deleted by this run and nodes left. */
  deleted: number;
  remaining: number;
  /**
   * Deleting: relationships deleted by this run and relationships left. They go first (dense nodes
   * would not fit one transaction), while `deleted` stays at 0.
   */
  relationshipsDeleted: number;
  relationshipsRemaining: number;
  /** Projecting: the checkpoint and the log's head. */
  position: string;
  headPosition: string;
  eventsPerSecond: number;
}

export interface RebuildResult {
  outcome: 'completed' | 'stopped';
  /** True when this run continued a rebuild that an earlier run started. */
  resumed: boolean;
  generation: number;
  position: string;
  headPosition: string;
  deletedNodes: number;
  eventsProjected: number;
  elapsedMs: number;
}

/**
 * Drops the graph and projects the whole log again, in place (Neo4j Community has one user
 * database, so there is no second graph to build aside and switch to; see docs/graph-model.md).
 * The checkpoint records the rebuild (generation, phase), which fences off every other projector
 * of this projection: they pause and follow the rebuilt checkpoint when it completes. Stopping
 * (`signal`) leaves the phase and the checkpoint in place, and the next run resumes from them.
 */
export async function rebuildProjection(driver: Driver, store: EventStore, options: RebuildOptions): Promise<RebuildResult> {
  const started = Date.now();
  const { name, database, logger } = options;
  await ensureSchema(driver, database);
  const logId = await store.logId();
  const begun = await write(driver, database, (tx) => startRebuildOnCheckpoint(tx, name, logId));
  const { generation } = begun.checkpoint;
  let phase = begun.checkpoint.rebuild?.phase ?? 'deleting';
  logger.info({ projection: name, generation, phase, resumed: begun.resumed }, begun.resumed ? 'resuming the rebuild' : 'rebuild started');
  const result = (outcome: RebuildResult['outcome'], position: string, headPosition: string, deletedNodes: number, eventsProjected: number): RebuildResult => ({
    outcome,
    resumed: begun.resumed,
    generation,
    position,
    headPosition,
    deletedNodes,
    eventsProjected,
    elapsedMs: Date.now() - started,
  });

  let deleted = 0;
  if (phase === 'deleting') {
    deleted = await deleteGraph(driver, generation, options);
    if (options.signal?.aborted) return result('stopped', '0', await store.headPosition(), deleted, 0);
    await write(driver, database, (tx) => setRebuildPhase(tx, name, generation, 'projecting'));
    phase = 'projecting';
  }
  const projected = await projectAll(driver, store, generation, options);
  if (projected.outcome === 'completed') await write(driver, database, (tx) => setRebuildPhase(tx, name, generation, null));
  logger.info({ projection: name, generation, ...projected }, projected.outcome === 'completed' ? 'rebuild completed' : 'rebuild stopped');
  return result(projected.outcome, projected.position, projected.headPosition, deleted, projected.events);
}

async function write<T>(driver: Driver, database: string | undefined, work: (tx: ManagedTransaction) => Promise<T>): Promise<T> {
  const session = driver.session({ database });
  try {
    return await session.executeWrite(work);
  } finally {
    await session.close();
  }
}

/**
 * Every node but the checkpoints, a batch per transaction, each under the checkpoint's lock. The
 * relationships go first, `deleteBatchSize` x 4 per transaction: deleting a batch of nodes with their
 * relationships at once can exceed the transaction memory limit when some nodes are dense (a service
 * impacted by 10,000 incidents).
 */
async function deleteGraph(driver: Driver, generation: number, options: RebuildOptions): Promise<number> {
  const { name, database } = options;
  const limit = options.deleteBatchSize ?? 5_000;
  const count = await driver.executeQuery(
    'CALL () { MATCH (n) WHERE NOT n:ProjectionCheckpoint RETURN count(n) AS nodes } CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships } RETURN nodes, relationships',
    {},
    { database },
  );
  let remaining = Number(toPlain(count.records[0].get('nodes')));
  let relationshipsRemaining = Number(toPlain(count.records[0].get('relationships')));
  let relationshipsDeleted = 0;
  let deleted = 0;
  let reported = 0;
  const report = (always = false) => {
    if (!always && Date.now() - reported < (options.progressMs ?? 1000)) return;
    reported = Date.now();
    options.onProgress?.({ phase: 'deleting', generation, deleted, remaining, relationshipsDeleted, relationshipsRemaining, position: '0', headPosition: '0', eventsPerSecond: 0 });
  };
  const deleteBatch = (statement: string, size: number) =>
    write(driver, database, async (tx) => {
      const checkpoint = await lockCheckpoint(tx, name);
      if (checkpoint.generation !== generation) throw new Error(`The rebuild of projection "${name}" was superseded by generation ${checkpoint.generation}`);
      const result = await tx.run(statement, { limit: neo4j.int(Math.trunc(size)) });
      return Number(toPlain(result.records[0].get('deleted')));
    });
  while (remaining > 0 && !options.signal?.aborted) {
    const relationships = await deleteBatch('MATCH ()-[r]->() WITH r LIMIT $limit DELETE r RETURN count(*) AS deleted', limit * 4);
    if (relationships === 0) {
      relationshipsRemaining = 0;
      break;
    }
    relationshipsDeleted += relationships;
    relationshipsRemaining = Math.max(0, relationshipsRemaining - relationships);
    report();
  }
  while (remaining > 0 && !options.signal?.aborted) {
    const batch = await deleteBatch('MATCH (n) WHERE NOT n:ProjectionCheckpoint WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted', limit);
    if (batch === 0) break;
    deleted += batch;
    remaining = Math.max(0, remaining - batch);
    report(remaining === 0);
  }
  return deleted;
}

/** Projects from the checkpoint to the log's head (as it is when reached), then stops. */
async function projectAll(
  driver: Driver,
  store: EventStore,
  generation: number,
  options: RebuildOptions,
): Promise<{ outcome: RebuildResult['outcome']; position: string; headPosition: string; events: number }> {
  const projector = new Projector(driver, store, {
    name: options.name,
    batchSize: options.batchSize,
    onError: options.onError,
    logger: options.logger,
    database: options.database,
    rebuildGeneration: generation,
  });
  let events = 0;
  let failure: unknown = null;
  let wake: () => void = () => undefined;
  projector.on('progress', (progress: { events: number }) => {
    events += progress.events;
    wake();
  });
  projector.on('failed', (error: unknown) => {
    failure = error;
    wake();
  });
  const onAbort = () => wake();
  options.signal?.addEventListener('abort', onAbort);
  const started = Date.now();
  let headPosition = await store.headPosition();
  let reported = 0;
  try {
    await projector.start();
    for (;;) {
      if (failure) throw failure;
      if (options.signal?.aborted) break;
      if (BigInt(projector.position) >= BigInt(headPosition)) {
        headPosition = await store.headPosition();
        if (BigInt(projector.position) >= BigInt(headPosition)) break;
      }
      if (Date.now() - reported >= (options.progressMs ?? 1000)) {
        reported = Date.now();
        headPosition = await store.headPosition();
        const seconds = Math.max(0.001, (Date.now() - started) / 1000);
        options.onProgress?.({
          phase: 'projecting',
          generation,
          deleted: 0,
          remaining: 0,
          relationshipsDeleted: 0,
          relationshipsRemaining: 0,
          position: projector.position,
          headPosition,
          eventsPerSecond: Math.round(events / seconds),
        });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await projector.stop();
  }
  if (failure) throw failure;
  const outcome = options.signal?.aborted && BigInt(projector.position) < BigInt(headPosition) ? 'stopped' : 'completed';
  return { outcome, position: projector.position, headPosition, events };
}
