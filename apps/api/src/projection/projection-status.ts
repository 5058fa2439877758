import { EventEmitter } from 'node:events';
import type { Driver } from 'neo4j-driver';
import { readCheckpoint, type ProjectionError, type Projector, type ProjectorMetrics } from '@app/graph';

/** What the API needs to know about the projection, whether it runs here or in its own process. */
export interface ProjectionStatus {
  position(): Promise<string>;
  lastError(): ProjectionError | null;
  waitForPosition(position: string, timeoutMs: number): Promise<boolean>;
  /** running, paused, stopped, failed; or `external` when another process projects. */
  state(): string;
  /** Counters of the projector in this process (null when it runs elsewhere). */
  counters(): ProjectorMetrics | null;
}

export class EmbeddedProjectionStatus implements ProjectionStatus {
  constructor(private readonly projector: Projector) {}
  async position() {
    return this.projector.position;
  }
  lastError() {
    return this.projector.lastError;
  }
  waitForPosition(position: string, timeoutMs: number) {
    return this.projector.waitForPosition(position, timeoutMs);
  }
  state() {
    return this.projector.metrics().state;
  }
  counters() {
    return this.projector.metrics();
  }
}

/** The projector runs elsewhere (apps/projector): follow its checkpoint in Neo4j. */
export class CheckpointProjectionStatus extends EventEmitter implements ProjectionStatus {
  constructor(
    private readonly driver: Driver,
    private readonly name: string,
    private readonly database?: string,
    private readonly pollMs = 50,
  ) {
    super();
  }

  private recordedError: ProjectionError | null = null;

  async position(): Promise<string> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: 'READ' });
    try {
      const checkpoint = await session.executeRead((tx) => readCheckpoint(tx, this.name));
      // The projector process records its last error on the checkpoint.
      this.recordedError = checkpoint.lastError;
      return checkpoint.position;
    } finally {
      await session.close();
    }
  }

  lastError(): ProjectionError | null {
    return this.recordedError;
  }

  state(): string {
    return 'external';
  }

  counters(): ProjectorMetrics | null {
    return null;
  }

  async waitForPosition(position: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (BigInt(await this.position()) >= BigInt(position)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.pollMs, Math.max(0, deadline - Date.now()))));
    }
  }
}
