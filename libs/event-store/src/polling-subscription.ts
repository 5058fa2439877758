import type { RecordedEvent } from '@app/domain';
import type { BatchHandler, EventFilter, Subscription } from './event-store';

export interface PollingSource {
  readAfter(position: string, maxCount: number, filter?: EventFilter): Promise<{ events: RecordedEvent[]; scannedTo: string }>;
  /** Resolves when new events may exist, or after `timeoutMs`. */
  waitForChange(afterPosition: string, timeoutMs: number, signal: AbortSignal): Promise<void>;
}

/**
 * Catch-up and live are one loop over the log: read after the last position seen, hand the batch
 * over, repeat; when the log has nothing new, wait for a change. The seam cannot drop or repeat an
 * event because there is only ever one cursor.
 */
export function pollingSubscription(
  source: PollingSource,
  options: { fromPosition?: string; filter?: EventFilter; batchSize?: number; pollMs?: number },
  handler: BatchHandler,
): Subscription {
  const abort = new AbortController();
  const batchSize = options.batchSize ?? 500;
  const pollMs = options.pollMs ?? 250;
  let cursor = options.fromPosition ?? '0';

  const done = (async () => {
    while (!abort.signal.aborted) {
      const { events, scannedTo } = await source.readAfter(cursor, batchSize, options.filter);
      if (abort.signal.aborted) break;
      if (events.length > 0) await handler(events);
      if (BigInt(scannedTo) > BigInt(cursor)) cursor = scannedTo;
      if (events.length === 0 && BigInt(scannedTo) <= BigInt(cursor)) {
        await source.waitForChange(cursor, pollMs, abort.signal);
      }
    }
  })();
  done.catch(() => undefined); // the caller observes failures through `done`

  return {
    done,
    async close() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}
