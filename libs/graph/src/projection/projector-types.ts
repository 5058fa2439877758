import type { Logger } from 'pino';
import type { Checkpoint } from './checkpoint';

export type OnProjectionError = 'stop' | 'skip';

export interface ProjectorOptions {
  /** Name of this projection: the key of its checkpoint. */
  name: string;
  /** Most events per write transaction. */
  batchSize: number;
  /**
   * How long events may wait for more to fill a batch (default 0: write what the log delivered at
   * once). While catching up, batches are full anyway; live, this trades lag for fewer transactions.
   */
  maxWaitMs?: number;
  onError: OnProjectionError;
  logger: Logger;
  database?: string;
  /** Set by a rebuild: the generation it writes; any other generation makes this projector fail. */
  rebuildGeneration?: number;
  /** How often a projector looks for a rebuild of its projection, and, paused, whether it is over (default 1000). */
  pausePollMs?: number;
  /**
   * How often the statements that live batches ran are replanned off the write path for the graph
   * as it has grown (default 300,000: 5 min). Live batches keep their cached plans (apply-batch.ts).
   */
  replanIntervalMs?: number;
}

/** `paused`: a rebuild of this projection is running elsewhere; the projector resumes after it. */
export type ProjectorState = 'idle' | 'running' | 'paused' | 'stopped' | 'failed';

export interface ProjectorMetrics {
  eventsProjected: number;
  batchesWritten: number;
  eventsSkipped: number;
  errors: number;
  lastBatchMs: number | null;
}

export class ProjectionLogMismatch extends Error {
  constructor(name: string, graphLogId: string, storeLogId: string) {
    super(
      `Projection "${name}" in Neo4j was built from event log ${graphLogId}, but the configured log is ${storeLogId}. ` +
        'Point the service at the log the graph came from, or rebuild the graph from this log.',
    );
    this.name = 'ProjectionLogMismatch';
  }
}

export class ProjectionDefinitionChanged extends Error {
  constructor(
    readonly projection: string,
    readonly graphDefinition: string | null,
    readonly definition: string,
  ) {
    super(
      `Projection "${projection}" in Neo4j was built by projection definition ${graphDefinition ?? '(none recorded: an earlier version)'}, ` +
        `but this build projects with definition ${definition}, which keeps facts the graph lacks. ` +
        'Rebuild it from the log: `catalyst projections rebuild` (or point PROJECTION_NAME at a new projection).',
    );
    this.name = 'ProjectionDefinitionChanged';
  }
}

/** The checkpoint belongs to a rebuild (or to a newer generation): this projector must not write. */
export class ProjectionFenced extends Error {
  constructor(
    readonly projection: string,
    readonly checkpoint: Checkpoint,
    readonly superseded: boolean,
  ) {
    super(
      superseded
        ? `Projection "${projection}" is now at generation ${checkpoint.generation}: this rebuild was superseded`
        : `Projection "${projection}" is being rebuilt (generation ${checkpoint.generation})`,
    );
    this.name = 'ProjectionFenced';
  }
}
