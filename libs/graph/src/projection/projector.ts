import { EventEmitter } from 'node:events';
import type { Driver } from 'neo4j-driver';
import { isRetryableError } from 'neo4j-driver';
import type { Logger } from 'pino';
import { upcast, type RecordedEvent } from '@app/domain';
import type { EventStore, Subscription } from '@app/event-store';
import { ensureSchema } from '../schema';
import { advanceCheckpoint, readCheckpoint } from './checkpoint';
import { applyEvents } from './apply-batch';

export type OnProjectionError = 'stop' | 'skip';

export interface ProjectionError {
  position: string;
  type: string;
  streamId: string;
  message: string;
  at: string;
}

export interface ProjectorOptions {
  /** Name of this projection: the key of its checkpoint. */
  name: string;
  batchSize: number;
  onError: OnProjectionError;
  logger: Logger;
  database?: string;
}

export type ProjectorState = 'idle' | 'running' | 'stopped' | 'failed';

export class ProjectionLogMismatch extends Error {
  constructor(name: string, graphLogId: string, storeLogId: string) {
    super(
      `Projection "${name}" in Neo4j was built from event log ${graphLogId}, but the configured log is ${storeLogId}. ` +
        'Point the service at the log the graph came from, or rebuild the graph from this log.',
    );
    this.name = 'ProjectionLogMismatch';
  }
}

/**
 * Folds the log into Neo4j: subscribes from its checkpoint, writes each batch and the checkpoint
 * in one transaction, so a crash anywhere replays at most an uncommitted batch.
 */
export class Projector extends EventEmitter {
  private subscription: Subscription | null = null;
  private current = '0';
  private logId = '';
  private errorRecord: ProjectionError | null = null;
  private runState: ProjectorState = 'idle';
  private stopping = false;

  constructor(
    private readonly driver: Driver,
    private readonly store: EventStore,
    private readonly options: ProjectorOptions,
  ) {
    super();
    this.setMaxListeners(0);
  }

  get position(): string {
    return this.current;
  }

  get lastError(): ProjectionError | null {
    return this.errorRecord;
  }

  get state(): ProjectorState {
    return this.runState;
  }

  async start(): Promise<void> {
    const { name, database, logger } = this.options;
    await ensureSchema(this.driver, database);
    this.logId = await this.store.logId();
    const session = this.driver.session({ database });
    const checkpoint = await session.executeRead((tx) => readCheckpoint(tx, name)).finally(() => session.close());
    if (checkpoint.logId !== null && checkpoint.logId !== this.logId) {
      throw new ProjectionLogMismatch(name, checkpoint.logId, this.logId);
    }
    this.current = checkpoint.position;
    this.runState = 'running';
    logger.info({ projection: name, position: this.current, logId: this.logId }, 'projector started');
    this.subscription = this.store.subscribe(
      { fromPosition: this.current, batchSize: this.options.batchSize },
      (events) => this.project(events),
    );
    this.subscription.done.catch((error: unknown) => {
      this.runState = 'failed';
      logger.error({ projection: name, err: error, position: this.current }, 'projector stopped on an error');
      this.emit('failed', error);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.subscription?.close();
    this.subscription = null;
    if (this.runState === 'running') this.runState = 'stopped';
  }

  /** Resolves true once the projection has reached `position`, false after `timeoutMs`. */
  waitForPosition(position: string, timeoutMs: number): Promise<boolean> {
    const target = BigInt(position);
    if (BigInt(this.current) >= target) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onProgress = () => {
        if (BigInt(this.current) < target) return;
        cleanup();
        resolve(true);
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(false);
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('progress', onProgress);
      };
      this.on('progress', onProgress);
    });
  }

  private async project(events: RecordedEvent[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.projectOnce(events);
      } catch (error) {
        // Neo4j unavailable or a transient failure: wait and try the same batch again.
        if (!isRetryableError(error as Error) || this.stopping) throw error;
        const delayMs = Math.min(30_000, 250 * 2 ** attempt);
        this.options.logger.warn(
          { projection: this.options.name, err: error, attempt, delayMs, position: this.current },
          'projection write failed transiently; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }

  private async projectOnce(events: RecordedEvent[]): Promise<void> {
    try {
      await this.write(events.map((event) => upcast(event)));
    } catch (error) {
      if (isRetryableError(error as Error)) throw error;
      // Find the event that cannot be projected: everything before it is written, one by one.
      for (const event of events) {
        try {
          await this.write([upcast(event)]);
        } catch (single) {
          this.recordError(event, single);
          if (this.options.onError === 'stop') throw single;
          await this.write([], event.position);
        }
      }
    }
  }

  private async write(events: RecordedEvent[], skipTo?: string): Promise<void> {
    const last = skipTo ?? events[events.length - 1].position;
    const { name, database } = this.options;
    const session = this.driver.session({ database });
    try {
      await session.executeWrite(async (tx) => {
        // Events at or before the checkpoint were written by an earlier transaction: never twice.
        const checkpoint = await readCheckpoint(tx, name);
        const pending = events.filter((event) => BigInt(event.position) > BigInt(checkpoint.position));
        await applyEvents(tx, pending);
        await advanceCheckpoint(tx, name, this.logId, last);
      });
    } finally {
      await session.close();
    }
    this.current = last;
    this.emit('progress', { position: last });
  }

  private recordError(event: RecordedEvent, error: unknown): void {
    this.errorRecord = {
      position: event.position,
      type: event.type,
      streamId: event.streamId,
      message: error instanceof Error ? error.message : String(error),
      at: new Date().toISOString(),
    };
    this.options.logger.error(
      { projection: this.options.name, ...this.errorRecord, policy: this.options.onError },
      'event could not be projected',
    );
    this.emit('projectionError', this.errorRecord);
  }
}
