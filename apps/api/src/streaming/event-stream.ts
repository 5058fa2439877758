import { upcast, type RecordedEvent } from '@app/domain';
import type { EventFilter, EventStore, Subscription } from '@app/event-store';

export class SubscriberTooSlow extends Error {
  constructor(
    readonly lastPosition: string,
    readonly bufferedBytes: number,
  ) {
    super(
      `Subscription closed: the client is not reading fast enough (${bufferedBytes} bytes waiting). ` +
        `Resubscribe with fromPosition: "${lastPosition}" to continue after the last event delivered.`,
    );
    this.name = 'SubscriberTooSlow';
  }
}

export interface EventStreamOptions {
  fromPosition?: string;
  filter?: EventFilter;
  /** Events read ahead of the client at most; the store cursor waits beyond that. */
  maxQueued?: number;
  /** Bytes the transport may hold for this client before it is closed as too slow. */
  maxBufferedBytes?: number;
  /** How many bytes the transport currently holds (the WebSocket's bufferedAmount). */
  bufferedBytes?: () => number;
}

/**
 * One subscriber's view of the log as an async iterator: its own cursor on the store (so a slow
 * client never slows appends or other clients), events upcast, a bounded read-ahead queue, and a
 * bounded transport buffer past which it ends with SubscriberTooSlow (resumable from its position).
 */
export function eventStream(store: EventStore, options: EventStreamOptions): AsyncIterableIterator<RecordedEvent> {
  const maxQueued = options.maxQueued ?? 1000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const queue: RecordedEvent[] = [];
  let waitingConsumer: (() => void) | null = null;
  let waitingProducer: (() => void) | null = null;
  let failure: unknown = null;
  let finished = false;
  let lastDelivered = options.fromPosition ?? '0';

  const wake = () => {
    waitingConsumer?.();
    waitingConsumer = null;
  };
  const subscription: Subscription = store.subscribe(
    { fromPosition: options.fromPosition, filter: options.filter, batchSize: Math.min(500, maxQueued) },
    async (events) => {
      for (const event of events) queue.push(upcast(event));
      wake();
      while (queue.length >= maxQueued && !finished) await new Promise<void>((resolve) => (waitingProducer = resolve));
    },
  );
  subscription.done.then(
    () => undefined,
    (error: unknown) => {
      failure = error;
      wake();
    },
  );

  const finish = async () => {
    finished = true;
    waitingProducer?.();
    wake();
    await subscription.close();
  };

  const iterator: AsyncIterableIterator<RecordedEvent> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async next() {
      for (;;) {
        if (finished) return { done: true, value: undefined };
        if (failure) {
          await finish();
          throw failure;
        }
        const buffered = options.bufferedBytes?.() ?? 0;
        if (buffered > maxBufferedBytes) {
          await finish();
          throw new SubscriberTooSlow(lastDelivered, buffered);
        }
        const event = queue.shift();
        if (event) {
          if (queue.length < maxQueued / 2) {
            waitingProducer?.();
            waitingProducer = null;
          }
          lastDelivered = event.position;
          return { done: false, value: event };
        }
        await new Promise<void>((resolve) => (waitingConsumer = resolve));
      }
    },
    async return() {
      await finish();
      return { done: true, value: undefined };
    },
    async throw(error?: unknown) {
      await finish();
      throw error;
    },
  };
  return iterator;
}
