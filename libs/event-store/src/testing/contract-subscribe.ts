import type { EventFilter, EventStore } from '../event-store';
import type { ContractContext } from './contract';
import { Collector, deferred, expectStrictlyIncreasing, idAt, newEvent, newEvents, readAllUpTo, turn, uniqueCategory, uniqueStream, uniqueType } from './helpers';

/** Appends `count` events one small batch at a time, yielding between appends so a subscription interleaves. */
async function appendRacing(store: EventStore, streamIds: readonly string[], count: number): Promise<string[]> {
  const written: string[] = [];
  for (let i = 0; i < count; i++) {
    const batch = newEvents(1 + (i % 3));
    await store.append(streamIds[i % streamIds.length], batch);
    written.push(...batch.map((e) => e.id));
    await turn();
  }
  return written;
}

/**
 * Subscribes from `from` while a writer appends concurrently, waits until everything written was
 * delivered, then checks the delivery against the log itself: the same events, in position order,
 * each exactly once.
 */
async function expectSeamless(store: EventStore, options: { from: string; writer: () => Promise<string[]>; filter?: EventFilter; slow?: boolean }): Promise<Collector> {
  const collector = new Collector(options.slow);
  const writing = options.writer();
  await turn();
  const subscription = store.subscribe({ fromPosition: options.from, batchSize: 7, filter: options.filter }, collector.handler);
  const written = await writing;
  await collector.waitFor(written, `${written.length} racing events`);
  await subscription.close();
  await expect(subscription.done).resolves.toBeUndefined();

  const expected = await readAllUpTo(store, options.from, collector.lastPosition, options.filter);
  expect(collector.events.map(idAt)).toEqual(expected.map(idAt));
  expectStrictlyIncreasing(collector.events.map((e) => e.position));
  expect(Math.max(...collector.batchSizes)).toBeLessThanOrEqual(7);
  return collector;
}

export function subscribeContract({ store }: ContractContext): void {
  describe('subscribe', () => {
    it('catches up from the start of the log, then goes live, with appends racing the catch-up', async () => {
      const streams = [uniqueStream(), uniqueStream()];
      await appendRacing(store(), streams, 30);
      const collector = await expectSeamless(store(), { from: '0', writer: () => appendRacing(store(), streams, 60), slow: true });
      expect(collector.events.filter((e) => e.streamId === streams[0]).map((e) => e.revision)).toEqual(
        (await store().readStream(streams[0])).map((e) => e.revision),
      );
    });

    it('catches up from a middle position (exclusive), then goes live, with appends racing the catch-up', async () => {
      const streamId = uniqueStream();
      await store().append(streamId, newEvents(40));
      const middle = (await store().readStream(streamId))[19];
      const collector = await expectSeamless(store(), { from: middle.position, writer: () => appendRacing(store(), [streamId], 50), slow: true });
      const delivered = collector.events.filter((e) => e.streamId === streamId);
      expect(delivered[0].revision).toBe(20);
      expect(delivered.map((e) => e.revision)).toEqual(Array.from({ length: delivered.length }, (_, i) => 20 + i));
      expect(delivered[delivered.length - 1].revision).toBe((await store().readStream(streamId)).length - 1);
    });

    it('delivers only matching events with a filter, also while appends race the catch-up', async () => {
      const category = uniqueCategory();
      const type = uniqueType();
      const wanted = [`${category}-1`, `${category}-2`];
      const other = uniqueStream();
      const start = await store().headPosition();
      await store().append(wanted[0], [newEvent(type), newEvent('Unwanted')]);
      await store().append(other, [newEvent(type)]);

      const filter = { categories: [category], types: [type] };
      const writer = async () => {
        const ids: string[] = [];
        for (let i = 0; i < 40; i++) {
          const batch = [newEvent(type), newEvent('Unwanted')];
          await store().append(i % 3 === 2 ? other : wanted[i % 2], batch);
          if (i % 3 !== 2) ids.push(batch[0].id);
          await turn();
        }
        return ids;
      };
      const collector = await expectSeamless(store(), { from: start, writer, filter });
      expect(collector.events.every((e) => e.type === type && wanted.includes(e.streamId))).toBe(true);
      expect(collector.events).toHaveLength(1 + 27);
    });

    it('delivers events appended after subscribing from the head', async () => {
      const streamId = uniqueStream();
      await store().append(streamId, newEvents(3));
      const collector = new Collector();
      const subscription = store().subscribe({ fromPosition: await store().headPosition(), filter: { streamIds: [streamId] } }, collector.handler);
      const live = newEvents(2);
      await store().append(streamId, live);
      await collector.waitFor(live.map((e) => e.id));
      await subscription.close();
      expect(collector.events.map((e) => e.revision)).toEqual([3, 4]);
    });

    it('close() lets a running handler finish, stops delivery and resolves done', async () => {
      const streamId = uniqueStream();
      const start = await store().headPosition();
      await store().append(streamId, newEvents(5));
      const entered = deferred();
      const release = deferred();
      let calls = 0;
      let running = false;
      const subscription = store().subscribe({ fromPosition: start, batchSize: 1, filter: { streamIds: [streamId] } }, async () => {
        calls += 1;
        running = true;
        entered.resolve();
        await release.promise;
        running = false;
      });
      await entered.promise;

      let closed = false;
      const closing = subscription.close().then(() => {
        closed = true;
      });
      for (let i = 0; i < 20; i++) await turn();
      expect(closed).toBe(false); // the handler is still running
      release.resolve();
      await closing;
      expect(running).toBe(false);
      await expect(subscription.done).resolves.toBeUndefined();

      // Live events after close are not delivered; a second subscription is the witness that they
      // were appended and deliverable.
      const later = newEvents(2);
      await store().append(streamId, later);
      const witness = new Collector();
      const witnessing = store().subscribe({ fromPosition: start, filter: { streamIds: [streamId] } }, witness.handler);
      await witness.waitFor(later.map((e) => e.id));
      await witnessing.close();
      expect(calls).toBe(1);
    });

    it('rejects done with the error of a handler that throws, and delivers nothing more', async () => {
      const streamId = uniqueStream();
      const start = await store().headPosition();
      await store().append(streamId, newEvents(3));
      let calls = 0;
      const subscription = store().subscribe({ fromPosition: start, batchSize: 1, filter: { streamIds: [streamId] } }, async () => {
        calls += 1;
        throw new Error('projection failed');
      });

      await expect(subscription.done).rejects.toThrow('projection failed');
      await expect(subscription.close()).resolves.toBeUndefined();
      await store().append(streamId, newEvents(1));
      expect(calls).toBe(1);
    });
  });
}
