import type { ManagedTransaction } from 'neo4j-driver';
import { toPlain, toNeo4jInt } from '../values';
import { PROJECTION_DEFINITION } from './definition';

/** An event that could not be projected. */
export interface ProjectionError {
  position: string;
  type: string;
  streamId: string;
  message: string;
  at: string;
  /** True when the `skip` policy moved past it: the graph lacks this event until a rebuild. */
  skipped?: boolean;
}

export type RebuildPhase = 'deleting' | 'projecting';

export interface Checkpoint {
  name: string;
  /** Last projected global position ('0': nothing yet). */
  position: string;
  logId: string | null;
  /** Incremented by each rebuild: a projector that started in another generation must not write. */
  generation: number;
  /** Set while `catalyst projections rebuild` runs (or was stopped and not yet resumed). */
  rebuild: { phase: RebuildPhase; startedAt: string | null } | null;
  lastError: ProjectionError | null;
  /** The projection definition that built the graph (./definition.ts); null before any was recorded. */
  definition: string | null;
}

const FIELDS =
  'c.position AS position, c.logId AS logId, c.generation AS generation, c.rebuildPhase AS rebuildPhase, c.rebuildStartedAt AS rebuildStartedAt, c.lastError AS lastError, c.definition AS definition';

function toCheckpoint(name: string, record: { get(key: string): unknown } | undefined): Checkpoint {
  const value = (key: string) => (record ? toPlain(record.get(key)) : null);
  const phase = value('rebuildPhase') as RebuildPhase | null;
  const lastError = value('lastError') as string | null;
  return {
    name,
    position: value('position') === null ? '0' : String(value('position')),
    logId: value('logId') as string | null,
    generation: Number(value('generation') ?? 0),
    rebuild: phase ? { phase, startedAt: value('rebuildStartedAt') as string | null } : null,
    lastError: lastError ? (JSON.parse(lastError) as ProjectionError) : null,
    definition: value('definition') as string | null,
  };
}

export async function readCheckpoint(tx: ManagedTransaction, name: string): Promise<Checkpoint> {
  const result = await tx.run(`OPTIONAL MATCH (c:ProjectionCheckpoint {name: $name}) RETURN ${FIELDS}`, { name });
  return toCheckpoint(name, result.records[0]);
}

/**
 * Reads the checkpoint under its write lock, held until the transaction ends: two writers of one
 * projection (a stale process, a rebuild) take turns, and each sees what the other committed.
 */
export async function lockCheckpoint(tx: ManagedTransaction, name: string): Promise<Checkpoint> {
  const result = await tx.run(
    `MERGE (c:ProjectionCheckpoint {name: $name})
     ON CREATE SET c.position = 0, c.generation = 0
     SET c.updatedAt = datetime()
     RETURN ${FIELDS}`,
    { name },
  );
  return toCheckpoint(name, result.records[0]);
}

/** Whether `c` is a projection's first checkpoint (nothing projected, no definition recorded). */
const FIRST = 'coalesce(c.position, 0) = 0 AND c.definition IS NULL AS first';
/** Moves `c` forward only, to `$position` of `$logId`; the first records `$definition`. */
const ADVANCE = `SET c.definition = CASE WHEN first THEN $definition ELSE c.definition END,
         c.position = CASE WHEN c.position < $position THEN $position ELSE c.position END,
         c.logId = $logId`;

/**
 * Moves the checkpoint forward only; written in the same transaction as the batch it covers. The
 * first batch of a projection that starts from nothing records the definition that builds it.
 */
export async function advanceCheckpoint(
  tx: ManagedTransaction,
  name: string,
  logId: string,
  position: string,
  definition: string = PROJECTION_DEFINITION,
): Promise<void> {
  await tx.run(
    `MERGE (c:ProjectionCheckpoint {name: $name})
     ON CREATE SET c.position = 0, c.logId = $logId
     WITH c, ${FIRST}
     ${ADVANCE}, c.updatedAt = datetime()`,
    { name, logId, position: toNeo4jInt(position), definition },
  );
}

/**
 * lockCheckpoint and advanceCheckpoint in one statement, for a writer that knows where the
 * checkpoint should be: the first SET takes the lock, then the checkpoint is read (as committed by
 * the writer before) and advanced; returns it as it was before the advance. A caller that finds it
 * elsewhere rolls the transaction back.
 */
export async function lockAndAdvanceCheckpoint(
  tx: ManagedTransaction,
  name: string,
  logId: string,
  position: string,
  definition: string = PROJECTION_DEFINITION,
): Promise<Checkpoint> {
  const result = await tx.run(
    `MERGE (c:ProjectionCheckpoint {name: $name})
     ON CREATE SET c.position = 0, c.generation = 0
     SET c.updatedAt = datetime()
     WITH c, ${FIELDS}, ${FIRST}
     ${ADVANCE}
     RETURN position, logId, generation, rebuildPhase, rebuildStartedAt, lastError, definition`,
    { name, logId, position: toNeo4jInt(position), definition },
  );
  return toCheckpoint(name, result.records[0]);
}

/** Keeps the last error with the checkpoint, so another process (the API, the CLI) can show it. */
export async function recordCheckpointError(tx: ManagedTransaction, name: string, error: ProjectionError | null): Promise<void> {
  await tx.run(
    `MERGE (c:ProjectionCheckpoint {name: $name})
     ON CREATE SET c.position = 0, c.generation = 0
     SET c.lastError = $error`,
    { name, error: error ? JSON.stringify(error) : null },
  );
}

/** Starts a rebuild (or finds the one in progress): the rebuild's own fields of the checkpoint. */
export async function startRebuildOnCheckpoint(
  tx: ManagedTransaction,
  name: string,
  logId: string,
): Promise<{ checkpoint: Checkpoint; resumed: boolean }> {
  const current = await lockCheckpoint(tx, name);
  // A rebuild stopped by a build of another definition starts over: its graph would mix both.
  if (current.rebuild && current.definition === PROJECTION_DEFINITION) return { checkpoint: current, resumed: true };
  const result = await tx.run(
    `MATCH (c:ProjectionCheckpoint {name: $name})
     SET c.generation = coalesce(c.generation, 0) + 1, c.rebuildPhase = 'deleting', c.rebuildStartedAt = datetime(),
         c.position = 0, c.logId = $logId, c.lastError = null, c.definition = $definition
     RETURN ${FIELDS}`,
    { name, logId, definition: PROJECTION_DEFINITION },
  );
  return { checkpoint: toCheckpoint(name, result.records[0]), resumed: false };
}

/** Moves a rebuild of `generation` to its next phase, or ends it (`null`). */
export async function setRebuildPhase(tx: ManagedTransaction, name: string, generation: number, phase: RebuildPhase | null): Promise<void> {
  const current = await lockCheckpoint(tx, name);
  if (current.generation !== generation || !current.rebuild) {
    throw new Error(`The rebuild of projection "${name}" (generation ${generation}) was superseded by generation ${current.generation}`);
  }
  await tx.run(
    `MATCH (c:ProjectionCheckpoint {name: $name})
     SET c.rebuildPhase = $phase, c.rebuildStartedAt = CASE WHEN $phase IS NULL THEN null ELSE c.rebuildStartedAt END,
         c.rebuiltAt = CASE WHEN $phase IS NULL THEN datetime() ELSE c.rebuiltAt END`,
    { name, phase },
  );
}
