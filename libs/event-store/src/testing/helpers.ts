import { randomUUID } from 'node:crypto';
import type { NewEvent, RecordedEvent } from '@app/domain';
import type { BatchHandler, EventFilter, EventStore } from '../event-store';

/**
 * Ids unique to one test, so the contract also runs against a shared server. A category is the
 * text before the first '-' of a stream id, so a unique category must not contain one.
 */
export const uniqueCategory = (prefix = 'cat'): string => `${prefix}${randomUUID().replace(/-/g, '')}`;
export const uniqueStream = (category = 'test'): string => `${category}-${randomUUID()}`;
export const uniqueType = (prefix = 'Happened'): string => `${prefix}${randomUUID().slice(0, 8)}`;

export function newEvent(type = 'TestEventHappened', data: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): NewEvent<string> {
  return {
    id: randomUUID(),
    type,
    data: { occurredAt: '2024-05-01T10:00:00.000Z', ...data },
    metadata: { schemaVersion: 1, source: 'test', ...metadata },
  };
}

export const newEvents = (count: number, type?: string): NewEvent<string>[] =>
  Array.from({ length: count }, (_, i) => newEvent(type, { i }));

export const big = (position: string): bigint => BigInt(position);

export function expectStrictlyIncreasing(positions: readonly string[]): void {
  for (const position of positions) expect(position).toMatch(/^\d+$/);
  for (let i = 1; i < positions.length; i++) {
    if (big(positions[i]) <= big(positions[i - 1])) {
      throw new Error(`positions not strictly increasing at ${i}: ${positions[i - 1]} then ${positions[i]}`);
    }
  }
}

/** Identity of a delivered or read event, for comparing sequences. */
export const idAt = (event: RecordedEvent): string => `${event.position}:${event.streamId}:${event.id}`;

/** Every event after `from` up to and including `to`, page by page (readAll caps a page). */
export async function readAllUpTo(store: EventStore, from: string, to: string, filter?: EventFilter): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  let cursor = from;
  for (;;) {
    const page = await store.readAll({ fromPosition: cursor, maxCount: 200, filter });
    for (const event of page) {
      // Fail, rather than loop forever, on a store whose fromPosition is not exclusive.
      if (big(event.position) <= big(cursor)) throw new Error(`readAll after ${cursor} returned position ${event.position}`);
      if (big(event.position) > big(to)) return out;
      out.push(event);
    }
    if (page.length === 0) return out;
    cursor = page[page.length - 1].position;
  }
}

/** Polls `check` until it returns something other than undefined; fails with `what` after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every other ready task (timers aside) run: a yield, not a wait for a condition. */
export const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Records what a subscription delivers; `slow` yields inside the handler so writers get ahead. */
export class Collector {
  readonly events: RecordedEvent[] = [];
  readonly batchSizes: number[] = [];

  constructor(private readonly slow = false) {}

  readonly handler: BatchHandler = async (batch) => {
    this.batchSizes.push(batch.length);
    this.events.push(...batch);
    if (this.slow) await turn();
  };

  get lastPosition(): string {
    return this.events.length ? this.events[this.events.length - 1].position : '0';
  }

  has(ids: readonly string[]): boolean {
    const seen = new Set(this.events.map((event) => event.id));
    return ids.every((id) => seen.has(id));
  }

  /** Resolves once every id has been delivered. */
  async waitFor(ids: readonly string[], what = `${ids.length} events`): Promise<void> {
    await eventually(() => (this.has(ids) ? true : undefined), what);
  }
}
