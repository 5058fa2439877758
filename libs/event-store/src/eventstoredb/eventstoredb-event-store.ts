import { randomUUID } from 'node:crypto';
import {
  AccessDeniedError,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventType,
  type Filter,
  type JSONEventType,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventMetadata, NewEvent, RecordedEvent } from '@app/domain';
import {
  WrongExpectedRevision,
  checkExpectedRevision,
  matchesFilter,
  withoutStored,
  type AppendResult,
  type BatchHandler,
  type EventFilter,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type SubscribeOptions,
  type Subscription,
} from '../event-store';

/** Holds this log's id: one event, written on first use. A `$` stream, so readers skip it like every system stream. */
export const LOG_ID_STREAM = '$catalyst-log-id';
const LOG_ID_TYPE = '$CatalystLogId';

export interface EventStoreDbEventStoreOptions {
  /** First wait before a dropped subscription reconnects; doubles per failed attempt. Default 100 ms. */
  reconnectInitialDelayMs?: number;
  /** Longest wait between reconnection attempts. Default 5 s. */
  reconnectMaxDelayMs?: number;
  /** Called before each reconnection attempt of a subscription (for logging). */
  onReconnect?: (error: unknown, attempt: number) => void;
  /** How many times an append with expectedRevision 'any' re-reads the stream after losing a race. Default 5. */
  anyRetries?: number;
}

/** `$`-prefixed streams and types belong to the server (and to this adapter's log id): never the app's events. */
const isSystem = (streamId: string, type: string): boolean => streamId.startsWith('$') || type.startsWith('$');

const positionOf = (commit: string): Position => ({ commit: BigInt(commit), prepare: BigInt(commit) });

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function toRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const event = resolved.event;
  if (!event || !event.isJson) return null;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) return null;
  const metadata = event.metadata && !(event.metadata instanceof Uint8Array) ? (event.metadata as unknown as EventMetadata) : ({} as EventMetadata);
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: Number(event.revision),
    position: commit.toString(),
    data: event.data as Record<string, unknown>,
    metadata,
    recordedAt: event.created.toISOString(),
  };
}

/** The server-side part of a port filter (a superset of it); the rest is checked with matchesFilter. */
export function serverFilter(filter: EventFilter | undefined): Filter {
  if (filter?.types?.length) {
    return eventTypeFilter({ regex: `^(?:${filter.types.map(escapeRegex).join('|')})$` });
  }
  if (filter?.streamIds?.length) {
    return streamNameFilter({ regex: `^(?:${filter.streamIds.map(escapeRegex).join('|')})$` });
  }
  if (filter?.categories?.length) {
    return streamNameFilter({ prefixes: filter.categories.map((category) => `${category}-`) });
  }
  return excludeSystemEvents();
}

/** The one place a server WrongExpectedVersion becomes the port's CONFLICT. */
export function toWrongExpectedRevision(error: WrongExpectedVersionError, streamId: string, expected: ExpectedRevision): WrongExpectedRevision {
  const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : -1;
  return new WrongExpectedRevision(streamId, expected, actual);
}

/**
 * The EventStore port on EventStoreDB (gRPC, @eventstore/db-client). Positions are $all commit
 * positions as decimal strings.
 *
 * Differences from the SQLite adapter (each one kept within the port's contract):
 * - Id dedup per stream is done by this adapter, not by the server: an append first reads the
 *   stream (ids and current revision), drops ids it already holds, checks the caller's expected
 *   revision, and appends the rest with the revision it read as the server-side expected revision,
 *   so a concurrent writer in between is caught by the server. With 'any' the adapter then
 *   re-reads and tries again (up to `anyRetries`); with 'no_stream' or a number the server's
 *   WrongExpectedVersion becomes WrongExpectedRevision at once, even in the rare case where the
 *   concurrent writer was a retry of these very events (SQLite would report a duplicate there).
 *   Cost: an append reads its whole stream, and reads back its last event for the position.
 * - readAll has no server-side filter in this client: it pages through $all and filters here.
 *   subscribe does filter on the server (one of event type or stream name), the rest here.
 * - A position is a commit position; reads from it use it as both commit and prepare position
 *   (events appended outside explicit transactions have equal ones).
 * - headPosition is the last record of $all, which may be a system event (still a valid position:
 *   nothing of the app lies beyond it).
 * - Events that are not JSON, and `$` streams and types, are never returned.
 * - The log id lives in the `$catalyst-log-id` stream; on a secured server the user needs write
 *   access to `$` streams once (or an admin runs the first start).
 * - appendMany is not offered: EventStoreDB has no multi-stream atomic append in this client.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<Subscription>();
  private cachedLogId: Promise<string> | null = null;
  private closed = false;

  constructor(
    readonly connectionString: string,
    private readonly options: EventStoreDbEventStoreOptions = {},
  ) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  logId(): Promise<string> {
    this.cachedLogId ??= this.loadLogId().catch((error: unknown) => {
      this.cachedLogId = null;
      throw error;
    });
    return this.cachedLogId;
  }

  private async loadLogId(): Promise<string> {
    const read = async (): Promise<string | null> => {
      const events = await this.readRaw(LOG_ID_STREAM, { maxCount: 1 });
      const data = events[0]?.event?.data as { logId?: unknown } | undefined;
      return typeof data?.logId === 'string' ? data.logId : null;
    };
    const existing = await read();
    if (existing) return existing;
    const logId = randomUUID();
    try {
      await this.client.appendToStream(LOG_ID_STREAM, jsonEvent({ type: LOG_ID_TYPE, data: { logId } }), { expectedRevision: NO_STREAM });
      return logId;
    } catch (error) {
      // Another process created it first: theirs is the log's id.
      if (error instanceof WrongExpectedVersionError) {
        const winner = await read();
        if (winner) return winner;
      }
      throw error;
    }
  }

  async append(streamId: string, events: NewEvent<string>[], options: { expectedRevision?: ExpectedRevision } = {}): Promise<AppendResult> {
    const expected = options.expectedRevision ?? 'any';
    // Serialize up front: an unserializable event fails the whole batch before anything is sent.
    const proposed = events.map((event) => ({ event, json: jsonEvent<JSONEventType>({ id: event.id, type: event.type, data: JSON.parse(JSON.stringify(event.data)) as JSONEventType['data'], metadata: JSON.parse(JSON.stringify(event.metadata ?? {})) as JSONEventType['metadata'] }) }));
    const retries = this.options.anyRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      const stored = await this.readStream(streamId);
      const current = stored.length ? stored[stored.length - 1].revision : -1;
      const positions = new Map(stored.map((event) => [event.id, event.position]));
      const { fresh, lastDuplicate } = withoutStored(proposed, ({ event }) => event.id, positions);
      if (fresh.length === 0) {
        // A retried append: every event is already stored, so it succeeds without a revision check.
        return { streamId, nextRevision: current, position: lastDuplicate ?? '0', appended: 0 };
      }
      checkExpectedRevision(streamId, expected, current);
      try {
        const result = await this.client.appendToStream(
          streamId,
          fresh.map(({ json }) => json),
          { expectedRevision: current === -1 ? NO_STREAM : BigInt(current) },
        );
        const nextRevision = Number(result.nextExpectedRevision);
        const [last] = await this.readStream(streamId, { fromRevision: nextRevision, maxCount: 1 });
        const position = last?.position ?? result.position?.commit.toString() ?? '0';
        return { streamId, nextRevision, position, appended: fresh.length };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (expected === 'any' && attempt < retries) continue;
        throw toWrongExpectedRevision(error, streamId, expected);
      }
    }
  }

  private async readRaw(streamId: string, options: { fromRevision?: number; maxCount?: number } = {}): Promise<ResolvedEvent[]> {
    const out: ResolvedEvent[] = [];
    try {
      const reading = this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: options.fromRevision === undefined ? START : BigInt(options.fromRevision),
        ...(options.maxCount === undefined ? {} : { maxCount: options.maxCount }),
      });
      for await (const resolved of reading) out.push(resolved as ResolvedEvent<EventType>);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    if (options.maxCount !== undefined && options.maxCount <= 0) return [];
    const raw = await this.readRaw(streamId, options);
    return raw.map(toRecorded).filter((event): event is RecordedEvent => event !== null);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? 1000;
    const out: RecordedEvent[] = [];
    if (maxCount <= 0) return out;
    let cursor = options.fromPosition ?? '0';
    // Reading $all from a position includes the event at it; the port's fromPosition is exclusive.
    const pageSize = options.filter ? Math.max(maxCount + 1, 1000) : maxCount + 1;
    for (;;) {
      const page: AllStreamResolvedEvent[] = [];
      for await (const resolved of this.client.readAll({
        direction: FORWARDS,
        fromPosition: cursor === '0' ? START : positionOf(cursor),
        maxCount: pageSize,
      })) {
        page.push(resolved);
      }
      for (const resolved of page) {
        const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
        if (commit === undefined || commit <= BigInt(cursor)) continue;
        const event = toRecorded(resolved);
        if (event && !isSystem(event.streamId, event.type) && matchesFilter(event, options.filter)) {
          out.push(event);
          if (out.length >= maxCount) return out;
        }
      }
      if (page.length < pageSize) return out;
      const last = page[page.length - 1];
      const next = (last.event?.position?.commit ?? last.commitPosition ?? 0n).toString();
      if (BigInt(next) <= BigInt(cursor)) return out;
      cursor = next;
    }
  }

  async headPosition(): Promise<string> {
    // Read to the end of the call (no early return): an abandoned gRPC read never finishes, and
    // the client's dispose() waits for every call it started.
    let head = '0';
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
      const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
      if (commit !== undefined && head === '0') head = commit.toString();
    }
    return head;
  }

  subscribe(options: SubscribeOptions, handler: BatchHandler): Subscription {
    if (this.closed) throw new Error('EventStoreDbEventStore is closed');
    const subscription = new AllSubscription(this.client, options, handler, this.options);
    this.subscriptions.add(subscription);
    void subscription.done.finally(() => this.subscriptions.delete(subscription)).catch(() => undefined);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    // dispose() waits for every gRPC call the client started; do not let one stuck call hang close().
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.client.dispose(), new Promise((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
  }
}

/** Marks an error thrown by the app's handler: it ends the subscription instead of reconnecting. */
class HandlerFailed {
  constructor(readonly error: unknown) {}
}

/**
 * subscribeToAll with a server-side filter, batched for the handler. When the connection drops
 * (or the server ends the call) it subscribes again, with backoff, from the last position handed
 * to the handler: nothing missed, nothing repeated.
 */
class AllSubscription implements Subscription {
  readonly done: Promise<void>;
  private readonly stopped: Promise<'stopped'>;
  private stop!: () => void;
  private isStopped = false;
  private current: AllStreamSubscription | null = null;
  private cursor: string;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: SubscribeOptions,
    private readonly handler: BatchHandler,
    private readonly settings: EventStoreDbEventStoreOptions,
  ) {
    this.cursor = options.fromPosition ?? '0';
    this.stopped = new Promise((resolve) => {
      this.stop = () => {
        this.isStopped = true;
        resolve('stopped');
      };
    });
    this.done = this.run();
    this.done.catch(() => undefined); // the caller observes failures through `done`
  }

  async close(): Promise<void> {
    this.stop();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const initialDelay = this.settings.reconnectInitialDelayMs ?? 100;
    const maxDelay = this.settings.reconnectMaxDelayMs ?? 5_000;
    let attempt = 0;
    try {
      while (!this.isStopped) {
        try {
          const progressed = await this.consumeOnce();
          if (progressed) attempt = 0;
          if (this.isStopped) return;
          throw new Error('the server ended the subscription');
        } catch (error) {
          if (error instanceof HandlerFailed) throw error.error;
          if (this.isStopped) return;
          if (error instanceof AccessDeniedError) throw error;
          attempt += 1;
          this.settings.onReconnect?.(error, attempt);
          const delay = Math.min(maxDelay, initialDelay * 2 ** Math.min(attempt - 1, 16));
          await Promise.race([new Promise((resolve) => setTimeout(resolve, delay)), this.stopped]);
        }
      }
    } finally {
      await this.cancelCurrent();
    }
  }

  private async cancelCurrent(): Promise<void> {
    const current = this.current;
    this.current = null;
    if (!current) return;
    await current.unsubscribe().catch(() => undefined);
    current.destroy();
  }

  /** One gRPC subscription from the cursor; returns when it ends (true if anything was received), throws when it fails. */
  private async consumeOnce(): Promise<boolean> {
    const batchSize = this.options.batchSize ?? 500;
    const subscription = this.client.subscribeToAll({
      fromPosition: this.cursor === '0' ? START : positionOf(this.cursor),
      filter: serverFilter(this.options.filter),
    });
    this.current = subscription;
    let received = false;
    const confirmed = () => {
      received = true;
    };
    subscription.on('confirmation', confirmed);
    // The iterator sees errors itself; this keeps a late one (after cancel) from being unhandled.
    subscription.on('error', () => undefined);
    const iterator = subscription[Symbol.asyncIterator]() as AsyncIterator<AllStreamResolvedEvent>;
    try {
      let batch: RecordedEvent[] = [];
      for (;;) {
        const pending = iterator.next();
        pending.catch(() => undefined); // when close() wins the race, nobody awaits it any more
        const next = await Promise.race([pending, this.stopped]);
        if (next === 'stopped') return received;
        if (next.done) {
          if (batch.length) await this.deliver(batch);
          return received;
        }
        received = true;
        const event = toRecorded(next.value);
        if (
          event &&
          BigInt(event.position) > BigInt(this.cursor) &&
          (batch.length === 0 || BigInt(event.position) > BigInt(batch[batch.length - 1].position)) &&
          !isSystem(event.streamId, event.type) &&
          matchesFilter(event, this.options.filter)
        ) {
          batch.push(event);
        }
        // Hand over what has arrived: a full batch, or whatever is there when nothing more is buffered.
        if (batch.length >= batchSize || (batch.length > 0 && subscription.readableLength === 0)) {
          const ready = batch;
          batch = [];
          await this.deliver(ready);
          if (this.isStopped) return received;
        }
      }
    } finally {
      subscription.off('confirmation', confirmed);
      if (this.current === subscription) await this.cancelCurrent();
    }
  }

  private async deliver(batch: RecordedEvent[]): Promise<void> {
    if (this.isStopped) return;
    try {
      await this.handler(batch);
    } catch (error) {
      throw new HandlerFailed(error);
    }
    this.cursor = batch[batch.length - 1].position;
  }
}
