import { WrongExpectedRevision } from '../event-store';
import { eventStoreContract } from '../testing/contract';
import { EsdbTestDoubleServer } from '../testing/esdb-test-double/esdb-test-double-server';
import { Collector, eventually, expectStrictlyIncreasing, idAt, newEvents, readAllUpTo, uniqueStream } from '../testing/helpers';
import { WrongExpectedVersionError } from '@eventstore/db-client';
import { EventStoreDbEventStore, serverFilter, toWrongExpectedRevision } from './eventstoredb-event-store';

/**
 * With EVENTSTORE_CONNECTION_STRING: the contract against that real EventStoreDB (README).
 * Without it: against the in-process gRPC TEST DOUBLE (testing/esdb-test-double), which models
 * only the calls the adapter makes; see the top of that file for what it does not model.
 */
const realServer = process.env.EVENTSTORE_CONNECTION_STRING || null;
let double: EsdbTestDoubleServer | null = null;
const stores: EventStoreDbEventStore[] = [];

async function connectionString(): Promise<string> {
  if (realServer) return realServer;
  if (!double) {
    double = new EsdbTestDoubleServer();
    await double.start();
  }
  return double.connectionString;
}

function openStore(connection: string): EventStoreDbEventStore {
  const store = new EventStoreDbEventStore(connection, { reconnectInitialDelayMs: 20, reconnectMaxDelayMs: 200 });
  stores.push(store);
  return store;
}

afterAll(async () => {
  for (const store of stores) await store.close();
  await double?.stop();
});

eventStoreContract(realServer ? 'eventstoredb (real server)' : 'eventstoredb (in-process test double)', async () => {
  const store = openStore(await connectionString());
  return { store, cleanup: () => store.close() };
});

describe('EventStoreDbEventStore', () => {
  it("maps the server's WrongExpectedVersion (a writer between the adapter's read and its append) to WrongExpectedRevision", async () => {
    const store = openStore(await connectionString());
    const rival = openStore(await connectionString());
    const streamId = uniqueStream();
    await store.append(streamId, newEvents(1), { expectedRevision: 'no_stream' });

    // The rival appends after the adapter read the stream and before its append reaches the server.
    const internals = store as unknown as { readStream: EventStoreDbEventStore['readStream'] };
    const original = internals.readStream.bind(store);
    let raced = false;
    internals.readStream = async (id, options) => {
      const result = await original(id, options);
      if (!raced && id === streamId && options === undefined) {
        raced = true;
        await rival.append(streamId, newEvents(1), { expectedRevision: 0 });
      }
      return result;
    };
    const error = await store.append(streamId, newEvents(1), { expectedRevision: 0 }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    internals.readStream = original;
    expect(raced).toBe(true);
    expect(error).toBeInstanceOf(WrongExpectedRevision);
    expect(error).toMatchObject({ streamId, expected: 0, actual: 1 });
    expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1]);

    // With 'any' the adapter re-reads and succeeds after the race.
    raced = false;
    internals.readStream = async (id, options) => {
      const result = await original(id, options);
      if (!raced && id === streamId && options === undefined) {
        raced = true;
        await rival.append(streamId, newEvents(1));
      }
      return result;
    };
    const anyResult = await store.append(streamId, newEvents(1), { expectedRevision: 'any' });
    internals.readStream = original;
    expect(raced).toBe(true);
    expect(anyResult).toMatchObject({ nextRevision: 3, appended: 1 });
  });

  it("maps the server's 'no stream' to actual -1, and builds server-side filters that are supersets of the port's", () => {
    const noStream = new WrongExpectedVersionError(undefined, { streamName: 's-1', current: 'no_stream', expected: BigInt(3) });
    expect(toWrongExpectedRevision(noStream, 's-1', 3)).toMatchObject({ name: 'WrongExpectedRevision', streamId: 's-1', expected: 3, actual: -1 });
    const current = new WrongExpectedVersionError(undefined, { streamName: 's-1', current: BigInt(4), expected: 'no_stream' });
    expect(toWrongExpectedRevision(current, 's-1', 'no_stream')).toMatchObject({ expected: 'no_stream', actual: 4 });

    expect(serverFilter(undefined)).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
    expect(serverFilter({ types: ['A.b', 'C'], categories: ['x'] })).toMatchObject({ filterOn: 'eventType', regex: '^(?:A\\.b|C)$' });
    expect(serverFilter({ streamIds: ['x-1'], categories: ['x'] })).toMatchObject({ filterOn: 'streamName', regex: '^(?:x-1)$' });
    expect(serverFilter({ categories: ['x', 'y'] })).toMatchObject({ filterOn: 'streamName', prefixes: ['x-', 'y-'] });
  });

  it('keeps its log id across instances on the same server', async () => {
    const connection = await connectionString();
    const a = openStore(connection);
    const b = openStore(connection);
    const [idA, idB] = await Promise.all([a.logId(), b.logId()]);
    expect(idA).toBe(idB);
    expect(await openStore(connection).logId()).toBe(idA);
  });

  (realServer ? it.skip : it)('resumes a subscription after the server drops every connection: nothing missed, nothing repeated', async () => {
    const server = double!;
    const store = openStore(await connectionString());
    const streamId = uniqueStream('reconnect');
    const start = await store.headPosition();
    const before = newEvents(5);
    await store.append(streamId, before);

    const reconnects: unknown[] = [];
    const collector = new Collector();
    const subscribing = new EventStoreDbEventStore(server.connectionString, {
      reconnectInitialDelayMs: 20,
      reconnectMaxDelayMs: 100,
      onReconnect: (error) => reconnects.push(error),
    });
    stores.push(subscribing);
    const subscription = subscribing.subscribe({ fromPosition: start, batchSize: 3, filter: { streamIds: [streamId] } }, collector.handler);
    await collector.waitFor(before.map((e) => e.id), 'the events before the drop');

    // The server goes away mid-subscription; events are appended straight to its log while it is
    // down (as another node would have), then it comes back on the same port with the same log.
    await server.stop();
    await eventually(() => (reconnects.length > 0 ? true : undefined), 'the subscription to notice the drop');
    const whileDown = newEvents(4);
    server.log.append(
      streamId,
      whileDown.map((event) => ({
        id: event.id,
        type: event.type,
        contentType: 'application/json',
        data: Buffer.from(JSON.stringify(event.data)),
        customMetadata: Buffer.from(JSON.stringify(event.metadata)),
      })),
    );
    await server.start();
    const after = newEvents(3);
    await store.append(streamId, after);

    await collector.waitFor([...whileDown, ...after].map((e) => e.id), 'the events after the restart');
    await subscription.close();
    await expect(subscription.done).resolves.toBeUndefined();

    const log = await readAllUpTo(store, start, collector.lastPosition, { streamIds: [streamId] });
    expect(log).toHaveLength(12);
    expect(collector.events.map(idAt)).toEqual(log.map(idAt));
    expectStrictlyIncreasing(collector.events.map((e) => e.position));
    expect(collector.events.map((e) => e.revision)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(reconnects.length).toBeGreaterThan(0);
  });
});
