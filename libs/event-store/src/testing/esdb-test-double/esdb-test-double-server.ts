/**
 * TEST DOUBLE of an EventStoreDB server. Not EventStoreDB; never use it outside tests.
 *
 * An in-process @grpc/grpc-js server on 127.0.0.1 that implements just enough of EventStoreDB's
 * gRPC Streams service and ServerFeatures service for @eventstore/db-client (using the service
 * definitions and messages the client ships in its `generated/` folder) to run the EventStore
 * contract suite against the EventStoreDB adapter on machines where no real server can run:
 *
 * - ServerFeatures.GetSupportedMethods: reports Streams.Read and Streams.Append only (no
 *   BatchAppend), so the client appends with the plain Append call.
 * - Streams.Append: expected revision (any / no_stream / stream_exists / a revision), the
 *   WrongExpectedVersion answer with the current and expected revision, success with the current
 *   revision and the position of the last appended event.
 * - Streams.Read of one stream (forwards/backwards, from start/end/a revision, count), with
 *   StreamNotFound for a stream that has no events.
 * - Streams.Read of $all (forwards from start or a position, inclusive; backwards from the end or
 *   before a position; count; optional filter).
 * - Streams.Read as a subscription to $all: confirmation, catch-up strictly after the position,
 *   caught-up, then live events; filters on stream name or event type, by prefixes or a regex.
 * - The log is in memory: commit position = prepare position = a counter (128 per event). The
 *   log object outlives the gRPC server, so `stop()` then `start()` on the same port is a server
 *   restart that keeps its data (what the reconnection test needs).
 *
 * What it does NOT model (a real server differs here, so the real-server run of the contract
 * suite, EVENTSTORE_CONNECTION_STRING, stays the reference):
 * - clustering, gossip, leader election, NotLeader redirects, read-only replicas;
 * - TLS, authentication, users, ACLs (every call is allowed, `$` streams included);
 * - server-side idempotent writes (ids are not checked at all: appending an id twice stores it
 *   twice; the adapter dedups itself) and maximum append size;
 * - BatchAppend, Delete, Tombstone, stream metadata ($maxAge, $maxCount, truncation), scavenging;
 * - persistent subscriptions, projections, $by_category / $et- and other system streams, system
 *   events of any kind ($epoch-information, $statistics, ...): the log holds only what was appended;
 * - subscription checkpoint messages, fell-behind messages, maxSearchWindow, link resolution;
 * - real positions (byte offsets with gaps; commit and prepare positions of transactions);
 * - gRPC flow control beyond what grpc-js does by itself: live events are written without
 *   waiting for backpressure;
 * - deadlines, keep-alive behaviour and the HTTP endpoints (gossip, stats, health).
 */
import * as grpc from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { SupportedMethod, SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { AppendReq, AppendResp, ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';

export interface DoubleRecord {
  streamId: string;
  revision: number;
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  customMetadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends `created`. */
  created: bigint;
  position: bigint;
}

type Listener = (record: DoubleRecord) => void;

/** The in-memory log of the double. Survives server restarts. */
export class EsdbTestDoubleLog {
  readonly records: DoubleRecord[] = [];
  private readonly streams = new Map<string, DoubleRecord[]>();
  private readonly listeners = new Set<Listener>();
  private counter = 0n;

  stream(streamId: string): DoubleRecord[] | undefined {
    return this.streams.get(streamId);
  }

  append(streamId: string, proposed: Omit<DoubleRecord, 'streamId' | 'revision' | 'position' | 'created'>[]): DoubleRecord[] {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const created = BigInt(Date.now()) * 10_000n;
    const written = proposed.map((message) => {
      this.counter += 128n;
      const record: DoubleRecord = { ...message, streamId, revision: stream.length, position: this.counter, created };
      stream.push(record);
      this.records.push(record);
      return record;
    });
    for (const record of written) for (const listener of this.listeners) listener(record);
    return written;
  }

  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const SERVICE = 'event_store.client.streams.Streams';

function streamName(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function identifier(name: string): StreamIdentifier {
  const id = new StreamIdentifier();
  id.setStreamName(Uint8Array.from(Buffer.from(name, 'utf8')));
  return id;
}

function eventResponse(record: DoubleRecord, structuredIds: boolean): ReadResp {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  const uuid = new UUID();
  if (structuredIds) {
    const hex = record.id.replace(/-/g, '');
    const structured = new UUID.Structured();
    structured.setMostSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`)).toString());
    structured.setLeastSignificantBits(BigInt.asIntN(64, BigInt(`0x${hex.slice(16)}`)).toString());
    uuid.setStructured(structured);
  } else {
    uuid.setString(record.id);
  }
  recorded.setId(uuid);
  recorded.setStreamIdentifier(identifier(record.streamId));
  recorded.setStreamRevision(record.revision.toString());
  recorded.setPreparePosition(record.position.toString());
  recorded.setCommitPosition(record.position.toString());
  recorded.getMetadataMap().set('type', record.type);
  recorded.getMetadataMap().set('content-type', record.contentType);
  recorded.getMetadataMap().set('created', record.created.toString());
  recorded.setCustomMetadata(record.customMetadata);
  recorded.setData(record.data);
  const event = new ReadResp.ReadEvent();
  event.setEvent(recorded);
  event.setCommitPosition(record.position.toString());
  const response = new ReadResp();
  response.setEvent(event);
  return response;
}

function compileFilter(options: ReadReq.Options): (record: DoubleRecord) => boolean {
  if (!options.hasFilter()) return () => true;
  const filter = options.getFilter()!;
  const onStream = filter.hasStreamIdentifier();
  const expression = onStream ? filter.getStreamIdentifier()! : filter.getEventType()!;
  const prefixes = expression.getPrefixList();
  const regex = expression.getRegex() ? new RegExp(expression.getRegex()) : null;
  return (record) => {
    const value = onStream ? record.streamId : record.type;
    if (prefixes.length && !prefixes.some((prefix) => value.startsWith(prefix))) return false;
    if (regex && !regex.test(value)) return false;
    return true;
  };
}

function countOf(options: ReadReq.Options): number {
  return options.hasCount() ? Number(options.getCount()) : Number.MAX_SAFE_INTEGER;
}

/** The double's gRPC server. `start()` listens on 127.0.0.1 (a random port the first time, the same port after). */
export class EsdbTestDoubleServer {
  private server: grpc.Server | null = null;
  private port = 0;
  private readonly calls = new Set<() => void>();
  private subscriptionIds = 0;
  /** Runs before an append is applied (tests use it to simulate a concurrent writer). */
  beforeAppend: ((streamId: string) => void) | null = null;

  constructor(readonly log = new EsdbTestDoubleLog()) {}

  get connectionString(): string {
    if (!this.port) throw new Error('the test double has not been started');
    return `esdb://127.0.0.1:${this.port}?tls=false`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = new grpc.Server();
    server.addService(StreamsService, {
      read: (call: grpc.ServerWritableStream<ReadReq, ReadResp>) => this.read(call),
      append: (call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>) => this.append(call, callback),
    });
    server.addService(ServerFeaturesService, {
      getSupportedMethods: (_call: grpc.ServerUnaryCall<Empty, SupportedMethods>, callback: grpc.sendUnaryData<SupportedMethods>) => {
        const methods = new SupportedMethods();
        methods.setEventStoreServerVersion('24.10.0-catalyst-test-double');
        methods.setMethodsList(
          ['read', 'append'].map((name) => {
            const method = new SupportedMethod();
            method.setServiceName(SERVICE);
            method.setMethodName(name);
            return method;
          }),
        );
        callback(null, methods);
      },
    });
    this.port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.port}`, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
    );
    this.server = server;
  }

  /** Drops every connection at once, like a crashed server; the log stays for the next start(). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    for (const end of [...this.calls]) end();
    server.forceShutdown();
  }

  private append(call: grpc.ServerReadableStream<AppendReq, AppendResp>, callback: grpc.sendUnaryData<AppendResp>): void {
    let options: AppendReq.Options | undefined;
    const proposed: Omit<DoubleRecord, 'streamId' | 'revision' | 'position' | 'created'>[] = [];
    call.on('data', (request: AppendReq) => {
      if (request.hasOptions()) options = request.getOptions();
      if (request.hasProposedMessage()) {
        const message = request.getProposedMessage()!;
        const uuid = message.getId();
        proposed.push({
          id: uuid?.getString() ?? '',
          type: message.getMetadataMap().get('type') ?? '',
          contentType: message.getMetadataMap().get('content-type') ?? 'application/octet-stream',
          data: message.getData_asU8(),
          customMetadata: message.getCustomMetadata_asU8(),
        });
      }
    });
    call.on('error', () => undefined);
    call.on('end', () => {
      if (!options) return callback({ code: grpc.status.INVALID_ARGUMENT, details: 'append without options' });
      const streamId = streamName(options.getStreamIdentifier());
      this.beforeAppend?.(streamId);
      const current = (this.log.stream(streamId)?.length ?? 0) - 1;
      const expected = options.getExpectedStreamRevisionCase();
      const Case = AppendReq.Options.ExpectedStreamRevisionCase;
      const ok =
        expected === Case.ANY ||
        (expected === Case.NO_STREAM && current === -1) ||
        (expected === Case.STREAM_EXISTS && current !== -1) ||
        (expected === Case.REVISION && BigInt(options.getRevision()) === BigInt(current));
      const response = new AppendResp();
      if (!ok) {
        const wrong = new AppendResp.WrongExpectedVersion();
        if (current === -1) wrong.setCurrentNoStream(new Empty());
        else wrong.setCurrentRevision(current.toString());
        if (expected === Case.REVISION) wrong.setExpectedRevision(options.getRevision());
        else if (expected === Case.NO_STREAM) wrong.setExpectedNoStream(new Empty());
        else if (expected === Case.STREAM_EXISTS) wrong.setExpectedStreamExists(new Empty());
        else wrong.setExpectedAny(new Empty());
        response.setWrongExpectedVersion(wrong);
        return callback(null, response);
      }
      const written = this.log.append(streamId, proposed);
      const success = new AppendResp.Success();
      const revision = current + written.length;
      if (revision === -1) success.setNoStream(new Empty());
      else success.setCurrentRevision(revision.toString());
      const last = written[written.length - 1];
      if (last) {
        const position = new AppendResp.Position();
        position.setCommitPosition(last.position.toString());
        position.setPreparePosition(last.position.toString());
        success.setPosition(position);
      } else {
        success.setNoPosition(new Empty());
      }
      response.setSuccess(success);
      callback(null, response);
    });
  }

  private read(call: grpc.ServerWritableStream<ReadReq, ReadResp>): void {
    const options = call.request.getOptions();
    if (!options) {
      call.emit('error', { code: grpc.status.INVALID_ARGUMENT, details: 'read without options' });
      return;
    }
    const structured = options.getUuidOption()?.hasStructured() ?? false;
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const count = countOf(options);
    const matches = compileFilter(options);
    const send = (record: DoubleRecord) => call.write(eventResponse(record, structured));

    if (options.hasStream()) {
      const streamOptions = options.getStream()!;
      const stream = this.log.stream(streamName(streamOptions.getStreamIdentifier()));
      if (!stream?.length) {
        const notFound = new ReadResp.StreamNotFound();
        notFound.setStreamIdentifier(streamOptions.getStreamIdentifier());
        const response = new ReadResp();
        response.setStreamNotFound(notFound);
        call.write(response);
        call.end();
        return;
      }
      let from: number;
      if (streamOptions.hasStart()) from = backwards ? -1 : 0;
      else if (streamOptions.hasEnd()) from = backwards ? stream.length - 1 : stream.length;
      else from = Number(streamOptions.getRevision());
      const selected = backwards ? stream.slice(0, Math.min(from, stream.length - 1) + 1).reverse() : stream.slice(from);
      selected.slice(0, count).forEach(send);
      call.end();
      return;
    }

    const all = options.getAll()!;
    const records = this.log.records;
    if (!options.hasSubscription()) {
      let selected: DoubleRecord[];
      if (backwards) {
        const before = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : null;
        selected = records.filter((record) => (all.hasStart() ? false : before === null || record.position < before)).reverse();
      } else {
        const from = all.hasPosition() ? BigInt(all.getPosition()!.getCommitPosition()) : null;
        selected = all.hasEnd() ? [] : records.filter((record) => from === null || record.position >= from);
      }
      selected.filter(matches).slice(0, count).forEach(send);
      call.end();
      return;
    }

    // A subscription to $all: strictly after the position, then live.
    const confirmation = new ReadResp.SubscriptionConfirmation();
    confirmation.setSubscriptionId(`test-double-${++this.subscriptionIds}`);
    const confirm = new ReadResp();
    confirm.setConfirmation(confirmation);
    call.write(confirm);
    let after: bigint;
    if (all.hasStart()) after = -1n;
    else if (all.hasEnd()) after = records.length ? records[records.length - 1].position : -1n;
    else after = BigInt(all.getPosition()!.getCommitPosition());
    // Catch-up and registering the live listener happen in one synchronous step: no gap, no overlap.
    for (const record of records) if (record.position > after && matches(record)) send(record);
    const caughtUp = new ReadResp();
    caughtUp.setCaughtUp(new ReadResp.CaughtUp());
    call.write(caughtUp);
    const unlisten = this.log.listen((record) => {
      if (matches(record)) send(record);
    });
    const end = () => {
      unlisten();
      this.calls.delete(end);
    };
    this.calls.add(end);
    call.on('cancelled', end);
    call.on('close', end);
    call.on('error', end);
  }
}
