import type { EventStore } from '@app/event-store';
import type { ProjectionStatus } from '../projection/projection-status';

export interface ProgressSnapshot {
  position: string;
  headPosition: string;
  lag: string;
  lastError: ReturnType<ProjectionStatus['lastError']>;
}

export async function progressSnapshot(status: ProjectionStatus, store: EventStore): Promise<ProgressSnapshot> {
  const [position, headPosition] = await Promise.all([status.position(), store.headPosition()]);
  const lag = BigInt(headPosition) - BigInt(position);
  return { position, headPosition, lag: (lag > 0n ? lag : 0n).toString(), lastError: status.lastError() };
}

/** Position and lag as they change (sampled every `intervalMs`, sent only when different). */
export function progressStream(status: ProjectionStatus, store: EventStore, intervalMs = 100): AsyncIterableIterator<ProgressSnapshot> {
  let last = '';
  let closed = false;
  let timer: NodeJS.Timeout | null = null;
  const iterator: AsyncIterableIterator<ProgressSnapshot> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async next() {
      while (!closed) {
        const snapshot = await progressSnapshot(status, store);
        const key = `${snapshot.position}/${snapshot.headPosition}/${snapshot.lastError?.position ?? ''}`;
        if (key !== last) {
          last = key;
          return { done: false, value: snapshot };
        }
        await new Promise<void>((resolve) => (timer = setTimeout(resolve, intervalMs)));
      }
      return { done: true, value: undefined };
    },
    async return() {
      closed = true;
      if (timer) clearTimeout(timer);
      return { done: true, value: undefined };
    },
  };
  return iterator;
}
