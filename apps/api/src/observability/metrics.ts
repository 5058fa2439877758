import { Registry, Gauge, collectDefaultMetrics } from 'prom-client';
import type { EventStore } from '@app/event-store';
import type { ProjectionStatus } from '../projection/projection-status';

/**
 * Prometheus metrics, read at scrape time from the projection and the log: nothing to keep in
 * step, and a scrape costs two small reads.
 */
export function createMetrics(status: ProjectionStatus, store: EventStore): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'catalyst_' });
  const gauge = (name: string, help: string, read: () => Promise<number | null> | number | null) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const value = await read();
        if (value !== null) this.set(value);
      },
    });

  const snapshot = async () => {
    const [position, head] = await Promise.all([status.position(), store.headPosition()]);
    return { position: BigInt(position), head: BigInt(head) };
  };
  gauge('catalyst_projection_position', 'Global position of the last event written to the graph', async () => Number((await snapshot()).position));
  gauge('catalyst_log_head_position', 'Global position of the last event in the log', async () => Number((await snapshot()).head));
  gauge('catalyst_projection_lag_events', 'Events in the log not yet in the graph', async () => {
    const { position, head } = await snapshot();
    return Number(head > position ? head - position : 0n);
  });
  gauge('catalyst_projection_lag_seconds', 'Age of the oldest event not yet in the graph (0 when caught up)', async () => {
    const [next] = await store.readAll({ fromPosition: await status.position(), maxCount: 1 });
    return next ? Math.max(0, (Date.now() - Date.parse(next.recordedAt)) / 1000) : 0;
  });
  gauge('catalyst_projection_events_total', 'Events written to the graph by this process', () => status.counters()?.eventsProjected ?? null);
  gauge('catalyst_projection_batches_total', 'Write transactions of this process', () => status.counters()?.batchesWritten ?? null);
  gauge('catalyst_projection_batch_size_average', 'Average events per write transaction', () => {
    const counters = status.counters();
    return counters && counters.batchesWritten > 0 ? counters.eventsProjected / counters.batchesWritten : null;
  });
  gauge('catalyst_projection_last_batch_seconds', 'Duration of the last write transaction', () => {
    const ms = status.counters()?.lastBatchMs;
    return ms == null ? null : ms / 1000;
  });
  gauge('catalyst_projection_errors_total', 'Events that could not be projected (recorded in projection.lastError)', () => status.counters()?.errors ?? null);
  gauge('catalyst_projection_events_skipped_total', 'Events skipped under PROJECTION_ON_ERROR=skip', () => status.counters()?.eventsSkipped ?? null);
  gauge('catalyst_projection_has_error', '1 when the projection has a recorded error', () => (status.lastError() ? 1 : 0));
  return registry;
}
