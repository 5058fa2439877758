import type { NewEvent, RecordedEvent } from '@app/domain';
import type { ContractContext } from './contract';
import { big, expectStrictlyIncreasing, idAt, newEvent, newEvents, readAllUpTo, uniqueCategory, uniqueStream, uniqueType } from './helpers';

const ids = (events: readonly { id: string }[]) => events.map((e) => e.id);

export function readContract({ store }: ContractContext): void {
  describe('readStream', () => {
    it('reads from a revision, at most maxCount, in revision order', async () => {
      const streamId = uniqueStream();
      const written = newEvents(10);
      await store().append(streamId, written, { expectedRevision: 'no_stream' });

      const all = await store().readStream(streamId);
      expect(ids(all)).toEqual(ids(written));
      expect((await store().readStream(streamId, { fromRevision: 3 })).map((e) => e.revision)).toEqual([3, 4, 5, 6, 7, 8, 9]);
      expect((await store().readStream(streamId, { maxCount: 4 })).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      expect((await store().readStream(streamId, { fromRevision: 5, maxCount: 2 })).map((e) => e.revision)).toEqual([5, 6]);
      expect((await store().readStream(streamId, { fromRevision: 8, maxCount: 5 })).map((e) => e.revision)).toEqual([8, 9]);
      expect(await store().readStream(streamId, { fromRevision: 10 })).toEqual([]);
      expect(await store().readStream(streamId, { fromRevision: 4, maxCount: 1 })).toEqual([all[4]]);
    });

    it('reads an unknown stream as empty', async () => {
      expect(await store().readStream(uniqueStream())).toEqual([]);
    });
  });

  describe('readAll', () => {
    it('reads strictly after a position, in position order, at most maxCount', async () => {
      const start = await store().headPosition();
      const streamA = uniqueStream();
      const streamB = uniqueStream();
      for (let i = 0; i < 4; i++) {
        await store().append(streamA, newEvents(2));
        await store().append(streamB, newEvents(1));
      }
      const ours = [...(await store().readStream(streamA)), ...(await store().readStream(streamB))].sort((x, y) =>
        big(x.position) < big(y.position) ? -1 : 1,
      );
      const last = ours[ours.length - 1].position;

      // Between two positions this test observed, the log holds at least our events; on an
      // isolated store exactly them.
      const between = await readAllUpTo(store(), start, last);
      expectStrictlyIncreasing(between.map((e) => e.position));
      expect(between.filter((e) => e.streamId === streamA || e.streamId === streamB).map(idAt)).toEqual(ours.map(idAt));
      expect(between.every((e) => big(e.position) > big(start))).toBe(true);

      const from = ours[4].position;
      const after = await store().readAll({ fromPosition: from, filter: { streamIds: [streamA, streamB] } });
      expect(after.map(idAt)).toEqual(ours.slice(5).map(idAt));
      const page = await store().readAll({ fromPosition: from, maxCount: 3, filter: { streamIds: [streamA, streamB] } });
      expect(page.map(idAt)).toEqual(ours.slice(5, 8).map(idAt));

      const unfiltered = await store().readAll({ fromPosition: from, maxCount: 3 });
      expect(unfiltered.length).toBeLessThanOrEqual(3);
      expect(unfiltered.length).toBeGreaterThan(0);
      expect(big(unfiltered[0].position)).toBeGreaterThan(big(from));
      expectStrictlyIncreasing(unfiltered.map((e) => e.position));

      expect(await store().readAll({ fromPosition: last, filter: { streamIds: [streamA, streamB] } })).toEqual([]);
      // Without fromPosition: from the start of the log.
      expect((await store().readAll({ filter: { streamIds: [streamA] } })).map(idAt)).toEqual(
        ours.filter((e) => e.streamId === streamA).map(idAt),
      );
    });

    it('filters by type, stream id and category (text before the first "-"): any value of a field, all fields', async () => {
      const catA = uniqueCategory('ca');
      const catB = uniqueCategory('cb');
      const typeX = uniqueType('X');
      const typeY = uniqueType('Y');
      // An entity id may itself contain '-': the category is only the text before the first one.
      const a1 = `${catA}-INC-1042`;
      const a2 = `${catA}-${uniqueCategory('e')}`;
      const b1 = `${catB}-${catA}-x`;
      const start = await store().headPosition();
      const plan: [string, NewEvent<string>][] = [
        [a1, newEvent(typeX)],
        [b1, newEvent(typeX)],
        [a2, newEvent(typeY)],
        [a1, newEvent(typeY)],
        [b1, newEvent(typeY)],
        [a2, newEvent(typeX)],
      ];
      for (const [streamId, event] of plan) await store().append(streamId, [event]);
      const expectIds = (predicate: (streamId: string, type: string) => boolean) =>
        plan.filter(([streamId, event]) => predicate(streamId, event.type)).map(([, event]) => event.id);
      const read = async (filter: Parameters<typeof readAllUpTo>[3], maxCount?: number): Promise<RecordedEvent[]> => {
        const events = await store().readAll({ fromPosition: start, filter, maxCount });
        expectStrictlyIncreasing(events.map((e) => e.position));
        return events;
      };

      expect(ids(await read({ types: [typeX] }))).toEqual(expectIds((_, type) => type === typeX));
      expect(ids(await read({ types: [typeX, typeY] }))).toEqual(expectIds(() => true));
      expect(ids(await read({ streamIds: [a1] }))).toEqual(expectIds((s) => s === a1));
      expect(ids(await read({ streamIds: [a1, b1] }))).toEqual(expectIds((s) => s === a1 || s === b1));
      expect(ids(await read({ categories: [catA] }))).toEqual(expectIds((s) => s === a1 || s === a2));
      expect(ids(await read({ categories: [catB] }))).toEqual(expectIds((s) => s === b1));
      expect(ids(await read({ categories: [catA], types: [typeY] }))).toEqual(expectIds((s, t) => s !== b1 && t === typeY));
      expect(ids(await read({ streamIds: [a1, b1], categories: [catB], types: [typeX] }))).toEqual(expectIds((s, t) => s === b1 && t === typeX));
      expect(ids(await read({ categories: [catA] }, 2))).toEqual(expectIds((s) => s !== b1).slice(0, 2));
      expect(await read({ categories: [uniqueCategory('none')] })).toEqual([]);
      // A filtered read from a later position still only returns events after it.
      const second = (await read({ types: [typeX] }))[1];
      expect(ids(await store().readAll({ fromPosition: second.position, filter: { types: [typeX] } }))).toEqual([plan[5][1].id]);
    });
  });

  describe('headPosition', () => {
    it('is the position of the last event in the log', async () => {
      const before = await store().headPosition();
      expect(before).toMatch(/^\d+$/);
      const first = await store().append(uniqueStream(), newEvents(3));
      const afterFirst = await store().headPosition();
      expect(big(afterFirst)).toBeGreaterThanOrEqual(big(first.position));
      expect(big(afterFirst)).toBeGreaterThan(big(before));
      const second = await store().append(uniqueStream(), newEvents(1));
      expect(big(second.position)).toBeGreaterThan(big(first.position));
      expect(big(await store().headPosition())).toBeGreaterThanOrEqual(big(second.position));
      // Nothing in the log lies beyond the head this test just read.
      const head = await store().headPosition();
      expect(await store().readAll({ fromPosition: head, filter: { streamIds: [first.streamId, second.streamId] } })).toEqual([]);
    });
  });

  describe('logId', () => {
    it('identifies the log and does not change', async () => {
      const id = await store().logId();
      expect(typeof id).toBe('string');
      expect(id.length).toBeGreaterThan(0);
      await store().append(uniqueStream(), newEvents(1));
      expect(await store().logId()).toBe(id);
    });
  });
}
