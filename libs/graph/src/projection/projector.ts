import { EventEmitter } from 'node:events';
import type { Driver, ManagedTransaction } from 'neo4j-driver';
import { isRetryableError } from 'neo4j-driver';
import { upcast, type RecordedEvent } from '@app/domain';
import type { EventStore, Subscription } from '@app/event-store';
import { ensureSchema } from '../schema';
import { advanceCheckpoint, lockAndAdvanceCheckpoint, lockCheckpoint, readCheckpoint, recordCheckpointError, type Checkpoint, type ProjectionError } from './checkpoint';
import { applyEvents, refreshPlans, statementsOf, warmUpProjection, type PlanMode } from './apply-batch';
import { PROJECTION_DEFINITION } from './definition';
import { ProjectionDefinitionChanged, ProjectionFenced, ProjectionLogMismatch, type ProjectorMetrics, type ProjectorOptions, type ProjectorState } from './projector-types';

/**
 * Folds the log into Neo4j: subscribes from its checkpoint, writes each batch and the checkpoint
 * in one transaction, so a crash anywhere replays at most an uncommitted batch. While a rebuild of
 * its projection runs, it pauses and then follows the rebuilt checkpoint.
 */
export class Projector extends EventEmitter {
  private subscription: Subscription | null = null;
  private current = '0';
  private logId = '';
  private generation = 0;
  private errorRecord: ProjectionError | null = null;
  private runState: ProjectorState = 'idle';
  private stopping = false;
  private halted = false;
  private buffer: RecordedEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private pauseTimer: NodeJS.Timeout | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private replanTimer: NodeJS.Timeout | null = null;
  /** Event types written by live batches since their plans were last refreshed. */
  private readonly liveTypes = new Set<string>();
  private replanning = false;
  private writing: Promise<void> = Promise.resolve();
  private readonly counters: ProjectorMetrics = { eventsProjected: 0, batchesWritten: 0, eventsSkipped: 0, errors: 0, lastBatchMs: null };

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

  metrics(): ProjectorMetrics & { state: ProjectorState; position: string } {
    return { ...this.counters, state: this.runState, position: this.current };
  }

  async start(): Promise<void> {
    const { database } = this.options;
    await ensureSchema(this.driver, database);
    await warmUpProjection(this.driver, database);
    this.logId = await this.store.logId();
    const checkpoint = await this.readCheckpoint();
    this.errorRecord = checkpoint.lastError;
    if (checkpoint.rebuild && this.options.rebuildGeneration === undefined) {
      this.current = checkpoint.position;
      this.pause();
      return;
    }
    this.follow(checkpoint);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.clearTimers();
    await this.subscription?.close();
    this.subscription = null;
    await this.writing;
    this.buffer = [];
    if (this.runState === 'running' || this.runState === 'paused') this.runState = 'stopped';
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

  private follow(checkpoint: Checkpoint): void {
    const { name, logger } = this.options;
    if (checkpoint.logId !== null && checkpoint.logId !== this.logId) {
      throw new ProjectionLogMismatch(name, checkpoint.logId, this.logId);
    }
    if (BigInt(checkpoint.position) > 0n && checkpoint.definition !== PROJECTION_DEFINITION) {
      throw new ProjectionDefinitionChanged(name, checkpoint.definition, PROJECTION_DEFINITION);
    }
    this.current = checkpoint.position;
    this.generation = checkpoint.generation;
    this.halted = false;
    this.runState = 'running';
    logger.info({ projection: name, position: this.current, logId: this.logId, generation: this.generation }, 'projector started');
    const subscription = this.store.subscribe({ fromPosition: this.current, batchSize: this.options.batchSize }, (events) =>
      this.receive(events),
    );
    this.subscription = subscription;
    subscription.done.catch((error: unknown) => this.halt(error));
    if (this.options.rebuildGeneration === undefined) this.watchForRebuild();
    this.refreshPlansNowAndThen();
  }

  /** Replans what live batches ran, in the background: their writes keep the cached plans meanwhile. */
  private refreshPlansNowAndThen(): void {
    if (this.replanTimer) return;
    this.replanTimer = setInterval(() => {
      if (this.replanning || this.liveTypes.size === 0 || this.runState !== 'running') return;
      const types = [...this.liveTypes];
      this.liveTypes.clear();
      this.replanning = true;
      const statements = statementsOf(types);
      refreshPlans(this.driver, statements, this.options.database).then(
        (ms) => this.options.logger.info({ projection: this.options.name, types, statements: statements.length, ms }, 'projection plans refreshed'),
        (error: unknown) => {
          for (const type of types) this.liveTypes.add(type);
          this.options.logger.warn({ projection: this.options.name, err: error, types }, 'could not refresh projection plans; trying again later');
        },
      ).finally(() => {
        this.replanning = false;
      });
    }, this.options.replanIntervalMs ?? 300_000);
    this.replanTimer.unref();
  }

  /** An idle projector writes nothing, so it looks for a rebuild now and then instead. */
  private watchForRebuild(): void {
    this.watchTimer = setInterval(() => {
      if (this.halted || this.runState !== 'running') return;
      this.readCheckpoint().then(
        (checkpoint) => {
          if (!this.halted && (checkpoint.rebuild || checkpoint.generation !== this.generation)) {
            this.halt(new ProjectionFenced(this.options.name, checkpoint, false));
          }
        },
        () => undefined, // Neo4j unavailable: the next write reports it
      );
    }, this.options.pausePollMs ?? 1000);
    this.watchTimer.unref();
  }

  /** The subscription's handler: writes full batches at once, holds a partial one up to maxWaitMs. */
  private async receive(events: RecordedEvent[]): Promise<void> {
    if (this.halted) return;
    this.buffer.push(...events);
    const maxWaitMs = this.options.maxWaitMs ?? 0;
    if (this.buffer.length >= this.options.batchSize || maxWaitMs <= 0) {
      await this.flush();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.flush().catch((error: unknown) => this.halt(error));
      }, maxWaitMs);
    }
  }

  private flush(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const run = this.writing.then(async () => {
      while (this.buffer.length > 0 && !this.halted) {
        await this.project(this.buffer.splice(0, this.options.batchSize));
      }
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** The subscription ended on an error: pause for a rebuild, or fail. */
  private halt(error: unknown): void {
    if (this.halted) return;
    this.halted = true;
    this.clearTimers();
    this.buffer = [];
    const subscription = this.subscription;
    this.subscription = null;
    void subscription?.close();
    if (this.stopping) return;
    if (error instanceof ProjectionFenced && !error.superseded) {
      this.pause();
      return;
    }
    this.runState = 'failed';
    this.options.logger.error({ projection: this.options.name, err: error, position: this.current }, 'projector stopped on an error');
    this.emit('failed', error);
  }

  private pause(): void {
    const { name, logger } = this.options;
    this.runState = 'paused';
    logger.warn({ projection: name, position: this.current }, 'projection is being rebuilt: projector paused until the rebuild completes');
    this.emit('paused');
    const poll = async () => {
      this.pauseTimer = null;
      if (this.stopping) return;
      try {
        const checkpoint = await this.readCheckpoint();
        if (checkpoint.position !== this.current) {
          // The rebuild's progress is this projection's position: reads that wait for a position wait for it.
          this.current = checkpoint.position;
          this.emit('progress', { position: this.current, events: 0 });
        }
        if (!checkpoint.rebuild) {
          this.errorRecord = checkpoint.lastError;
          this.follow(checkpoint);
          this.emit('resumed');
          return;
        }
      } catch (error) {
        if (error instanceof ProjectionLogMismatch || error instanceof ProjectionDefinitionChanged) {
          this.runState = 'failed';
          this.emit('failed', error);
          return;
        }
        logger.warn({ projection: name, err: error }, 'cannot read the checkpoint while paused; trying again');
      }
      if (!this.stopping) this.pauseTimer = setTimeout(() => void poll(), this.options.pausePollMs ?? 1000);
    };
    this.pauseTimer = setTimeout(() => void poll(), this.options.pausePollMs ?? 1000);
  }

  private clearTimers(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    if (this.replanTimer) clearInterval(this.replanTimer);
    this.replanTimer = null;
    this.flushTimer = null;
    this.pauseTimer = null;
    this.watchTimer = null;
  }

  private async readCheckpoint(): Promise<Checkpoint> {
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: 'READ' });
    try {
      return await session.executeRead((tx) => readCheckpoint(tx, this.options.name));
    } finally {
      await session.close();
    }
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
      if (isRetryableError(error as Error) || error instanceof ProjectionFenced) throw error;
      // Find the event that cannot be projected: everything before it is written, one by one.
      for (const event of events) {
        try {
          await this.write([upcast(event)]);
        } catch (single) {
          if (isRetryableError(single as Error) || single instanceof ProjectionFenced) throw single;
          const record = this.recordError(event, single);
          if (this.options.onError === 'stop') {
            await this.persistError(record);
            throw single;
          }
          this.counters.eventsSkipped++;
          this.errorRecord = { ...record, skipped: true };
          await this.write([], event.position, this.errorRecord);
        }
      }
    }
  }

  private async write(events: RecordedEvent[], skipTo?: string, error?: ProjectionError): Promise<void> {
    const last = skipTo ?? events[events.length - 1].position;
    const started = Date.now();
    let written = 0;
    // A full batch means the log is ahead (catching up); a partial one, that this is the head.
    const mode: PlanMode = events.length < this.options.batchSize ? 'live' : 'catch-up';
    if (mode === 'live') for (const event of events) this.liveTypes.add(event.type);
    const session = this.driver.session({ database: this.options.database });
    try {
      // The usual case: the checkpoint is where this projector left it, with no error to clear. Then
      // the lock, the events and the new checkpoint go at once (one round trip before the commit
      // instead of two); the lock still runs first, and if the checkpoint is not as expected the
      // transaction is rolled back and written the careful way.
      const expected = this.current;
      const careful = () => session.executeWrite((tx) => this.writeChecked(tx, events, last, mode, error));
      written =
        !error && (this.errorRecord === null || this.errorRecord.skipped) && events.length > 0
          ? await session.executeWrite((tx) => this.writeExpecting(tx, events, last, mode, expected)).catch((moved: unknown) => {
              if (moved instanceof CheckpointMoved) return careful();
              throw moved;
            })
          : await careful();
    } finally {
      await session.close();
    }
    this.current = last;
    if (!error && this.errorRecord && !this.errorRecord.skipped && BigInt(last) >= BigInt(this.errorRecord.position)) this.errorRecord = null;
    this.counters.eventsProjected += written;
    this.counters.batchesWritten++;
    this.counters.lastBatchMs = Date.now() - started;
    this.emit('progress', { position: last, events: written });
  }

  /** The events after a checkpoint at `expected` with no error to clear: sent with the lock and the advance, checked once they answer. */
  private async writeExpecting(tx: ManagedTransaction, events: RecordedEvent[], last: string, mode: PlanMode, expected: string): Promise<number> {
    const { name } = this.options;
    // The checkpoint moves first (under its lock), then the events: one transaction, so the order inside it is not seen.
    const locked = lockAndAdvanceCheckpoint(tx, name, this.logId, last);
    const applied = applyEvents(tx, events, mode);
    applied.catch(() => undefined); // awaited below, or abandoned with the transaction when the check fails
    const checkpoint = await locked;
    this.assertMayWrite(checkpoint);
    if (checkpoint.position !== expected || (checkpoint.lastError && !checkpoint.lastError.skipped)) throw new CheckpointMoved();
    await applied;
    return events.length;
  }

  /** Reads the checkpoint under its lock first, then writes what it has not got yet. */
  private async writeChecked(tx: ManagedTransaction, events: RecordedEvent[], last: string, mode: PlanMode, error?: ProjectionError): Promise<number> {
    const { name } = this.options;
    const checkpoint = await lockCheckpoint(tx, name);
    this.assertMayWrite(checkpoint);
    // Events at or before the checkpoint were written by an earlier transaction: never twice.
    const pending = events.filter((event) => BigInt(event.position) > BigInt(checkpoint.position));
    // The events, the error record and the checkpoint are sent at once (pipelined), run in this order.
    const cleared = !error && checkpoint.lastError && !checkpoint.lastError.skipped && BigInt(last) >= BigInt(checkpoint.lastError.position);
    await Promise.all([
      applyEvents(tx, pending, mode),
      // The event that stopped the projection went through after all (fixed data or code): cleared.
      error || cleared ? recordCheckpointError(tx, name, error ?? null) : undefined,
      advanceCheckpoint(tx, name, this.logId, last),
    ]);
    return pending.length;
  }

  private assertMayWrite(checkpoint: Checkpoint): void {
    const rebuildGeneration = this.options.rebuildGeneration;
    if (rebuildGeneration === undefined) {
      if (checkpoint.rebuild || checkpoint.generation !== this.generation) throw new ProjectionFenced(this.options.name, checkpoint, false);
    } else if (checkpoint.generation !== rebuildGeneration || checkpoint.rebuild?.phase !== 'projecting') {
      throw new ProjectionFenced(this.options.name, checkpoint, true);
    }
  }

  private async persistError(record: ProjectionError): Promise<void> {
    const session = this.driver.session({ database: this.options.database });
    try {
      await session.executeWrite((tx) => recordCheckpointError(tx, this.options.name, record));
    } catch (error) {
      this.options.logger.warn({ projection: this.options.name, err: error }, 'could not keep the projection error with the checkpoint');
    } finally {
      await session.close();
    }
  }

  private recordError(event: RecordedEvent, error: unknown): ProjectionError {
    this.counters.errors++;
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
    return this.errorRecord;
  }
}

/** The checkpoint is not where this projector left it (another writer, or a commit it did not hear of). */
class CheckpointMoved extends Error {
  constructor() {
    super('the checkpoint moved');
    this.name = 'CheckpointMoved';
  }
}
