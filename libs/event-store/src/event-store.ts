import type { NewEvent, RecordedEvent } from '@app/domain';

/** `no_stream`: the stream must not exist; `any`: no check; a number: the stream's current revision. */
export type ExpectedRevision = 'no_stream' | 'any' | number;

export interface AppendResult {
  streamId: string;
  /** Revision of the stream's last event after the append (-1: still empty). */
  nextRevision: number;
  /** Global position of the last event of the batch (a duplicate's original position). */
  position: string;
  /** Events actually stored; events whose id the stream already holds are skipped. */
  appended: number;
}

/** One stream's part of an appendMany: the same arguments as one append. */
export interface AppendWrite {
  streamId: string;
  events: NewEvent<string>[];
  expectedRevision?: ExpectedRevision;
}

export interface EventFilter {
  types?: readonly string[];
  streamIds?: readonly string[];
  categories?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Default: from the start. */
  fromPosition?: string;
  /** Default 1000: the log is read in pages. */
  maxCount?: number;
  filter?: EventFilter;
}

export interface ReadStreamOptions {
  fromRevision?: number;
  maxCount?: number;
}

export interface SubscribeOptions {
  /** Exclusive, like readAll: the subscription delivers events strictly after it. */
  fromPosition?: string;
  filter?: EventFilter;
  /** Largest batch handed to the handler at once. */
  batchSize?: number;
}

export type BatchHandler = (events: RecordedEvent[]) => Promise<void>;

export interface Subscription {
  /** Stops delivering; resolves once the handler is no longer running. */
  close(): Promise<void>;
  /** Settles when the subscription ends: resolves after close(), rejects if the handler or the store failed. */
  readonly done: Promise<void>;
}

/**
 * The event store port. Positions are decimal strings (64-bit): the one clock of the read side.
 * Every adapter passes the same contract suite (libs/event-store/src/testing/contract.ts).
 */
export interface EventStore {
  /** Identifies this log; a graph built from another log must not take this one's positions. */
  logId(): Promise<string>;
  append(streamId: string, events: NewEvent<string>[], options?: { expectedRevision?: ExpectedRevision }): Promise<AppendResult>;
  /**
   * Optional: several appends, in order, as one atomic commit (all or nothing). A WrongExpectedRevision
   * on any write aborts the whole call. Writes to the same stream chain: each one's expected revision
   * sees the earlier writes. Without it, callers append stream by stream.
   */
  appendMany?(writes: readonly AppendWrite[]): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catches up from `fromPosition`, then goes live; batches arrive in position order, each once. */
  subscribe(options: SubscribeOptions, handler: BatchHandler): Subscription;
  /** Position of the last event in the log ('0' when empty). */
  headPosition(): Promise<string>;
  close(): Promise<void>;
}

export class WrongExpectedRevision extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at revision ${actual === -1 ? '(no stream)' : actual}, expected ${expected}`);
    this.name = 'WrongExpectedRevision';
  }
}

/** Whether a stream at revision `current` (-1: no stream) is where the writer expected it. */
export function expectedRevisionHolds(expected: ExpectedRevision, current: number): boolean {
  return expected === 'no_stream' ? current === -1 : expected === 'any' || expected === current;
}

/** Refuses an append whose expected revision the stream's current one (-1: no stream) does not satisfy. */
export function checkExpectedRevision(streamId: string, expected: ExpectedRevision, current: number): void {
  if (!expectedRevisionHolds(expected, current)) throw new WrongExpectedRevision(streamId, expected, current);
}

/**
 * Idempotent appends: the events of an append whose ids are not stored yet (an id repeated within the
 * append counts once), and the stored position of the last one that was (what a retry answers).
 */
export function withoutStored<T, P>(items: readonly T[], idOf: (item: T) => string, stored: ReadonlyMap<string, P>): { fresh: T[]; lastDuplicate: P | null } {
  const seen = new Set<string>();
  let lastDuplicate: P | null = null;
  const fresh = items.filter((item) => {
    const id = idOf(item);
    if (seen.has(id)) return false;
    seen.add(id);
    const existing = stored.get(id);
    if (existing !== undefined) lastDuplicate = existing;
    return existing === undefined;
  });
  return { fresh, lastDuplicate };
}

export function matchesFilter(event: Pick<RecordedEvent, 'type' | 'streamId'>, filter?: EventFilter): boolean {
  if (!filter) return true;
  if (filter.types?.length && !filter.types.includes(event.type)) return false;
  if (filter.streamIds?.length && !filter.streamIds.includes(event.streamId)) return false;
  if (filter.categories?.length) {
    const dash = event.streamId.indexOf('-');
    const category = dash < 0 ? event.streamId : event.streamId.slice(0, dash);
    if (!filter.categories.includes(category)) return false;
  }
  return true;
}
