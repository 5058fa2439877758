import { WrongExpectedRevision, type ExpectedRevision } from '../event-store';
import type { ContractContext } from './contract';
import { big, expectStrictlyIncreasing, newEvent, newEvents, uniqueStream } from './helpers';

async function expectWrongRevision(promise: Promise<unknown>, streamId: string, expected: ExpectedRevision, actual: number): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(WrongExpectedRevision);
  expect(error).toMatchObject({ streamId, expected, actual });
}

export function appendContract({ store }: ContractContext): void {
  describe('append', () => {
    it("appends to a new stream with 'no_stream': revisions from 0, increasing positions, recordedAt, payload round-trip", async () => {
      const streamId = uniqueStream('order');
      const data = { occurredAt: '2024-05-01T10:00:00+02:00', nested: { list: [1, 'two', { three: 3 }], flag: false, none: null }, text: 'Grüße 👋 "quoted"\n' };
      const metadata = { schemaVersion: 1, correlationId: 'corr-1', causationId: 'cause-1', actor: 'ana', source: 'test' };
      const events = [{ ...newEvent('OrderPlaced'), data, metadata }, newEvent('OrderPaid', { amount: 12.5 }), newEvent('OrderShipped')];
      const before = Date.now();

      const result = await store().append(streamId, events, { expectedRevision: 'no_stream' });

      const stored = await store().readStream(streamId);
      expect(result).toEqual({ streamId, nextRevision: 2, position: stored[2].position, appended: 3 });
      expect(stored.map((e) => [e.id, e.type, e.streamId, e.revision])).toEqual(events.map((e, i) => [e.id, e.type, streamId, i]));
      expectStrictlyIncreasing(stored.map((e) => e.position));
      expect(stored[0].data).toEqual(data);
      expect(stored[0].metadata).toEqual(metadata);
      expect(stored[1].data).toEqual(events[1].data);
      for (const event of stored) {
        const recordedAt = Date.parse(event.recordedAt);
        expect(event.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
        // Generous bounds: a remote server's clock may differ a little from this machine's.
        expect(recordedAt).toBeGreaterThan(before - 60_000);
        expect(recordedAt).toBeLessThan(Date.now() + 60_000);
      }

      const next = await store().append(streamId, newEvents(2), { expectedRevision: 2 });
      expect(next).toMatchObject({ nextRevision: 4, appended: 2 });
      const all = await store().readStream(streamId);
      expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expectStrictlyIncreasing(all.map((e) => e.position));
    });

    it("refuses 'no_stream' on an existing stream and appends nothing", async () => {
      const streamId = uniqueStream();
      await store().append(streamId, newEvents(2), { expectedRevision: 'no_stream' });
      const head = await store().readStream(streamId);

      await expectWrongRevision(store().append(streamId, newEvents(1), { expectedRevision: 'no_stream' }), streamId, 'no_stream', 1);

      expect(await store().readStream(streamId)).toEqual(head);
    });

    it('accepts the exact current revision and refuses a stale or future one, appending nothing', async () => {
      const streamId = uniqueStream();
      await store().append(streamId, newEvents(1), { expectedRevision: 'no_stream' });
      expect(await store().append(streamId, newEvents(2), { expectedRevision: 0 })).toMatchObject({ nextRevision: 2, appended: 2 });
      const before = await store().readStream(streamId);

      await expectWrongRevision(store().append(streamId, newEvents(1), { expectedRevision: 0 }), streamId, 0, 2);
      await expectWrongRevision(store().append(streamId, newEvents(3), { expectedRevision: 1 }), streamId, 1, 2);
      await expectWrongRevision(store().append(streamId, newEvents(1), { expectedRevision: 7 }), streamId, 7, 2);
      expect(await store().readStream(streamId)).toEqual(before);

      expect(await store().append(streamId, newEvents(1), { expectedRevision: 2 })).toMatchObject({ nextRevision: 3, appended: 1 });
    });

    it('refuses a numeric revision on a stream that does not exist', async () => {
      const streamId = uniqueStream();
      await expectWrongRevision(store().append(streamId, newEvents(1), { expectedRevision: 0 }), streamId, 0, -1);
      expect(await store().readStream(streamId)).toEqual([]);
    });

    it("appends with 'any' (and by default) whatever the stream's revision", async () => {
      const streamId = uniqueStream();
      expect(await store().append(streamId, newEvents(2), { expectedRevision: 'any' })).toMatchObject({ nextRevision: 1, appended: 2 });
      expect(await store().append(streamId, newEvents(1), { expectedRevision: 'any' })).toMatchObject({ nextRevision: 2, appended: 1 });
      expect(await store().append(streamId, newEvents(1))).toMatchObject({ nextRevision: 3, appended: 1 });
      expect((await store().readStream(streamId)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    });

    it('stores an event id once per stream: a retry appends nothing and returns the original position', async () => {
      const streamId = uniqueStream();
      const batch = newEvents(2);
      const first = await store().append(streamId, batch, { expectedRevision: 'no_stream' });

      const retry = await store().append(streamId, batch, { expectedRevision: 'no_stream' });
      expect(retry).toEqual({ streamId, nextRevision: 1, position: first.position, appended: 0 });
      expect(await store().append(streamId, batch, { expectedRevision: 'any' })).toEqual(retry);
      expect(await store().append(streamId, [batch[1]])).toEqual(retry);

      // The stream moves on; a late retry still carries the revision the first attempt was made with.
      await store().append(streamId, newEvents(1), { expectedRevision: 1 });
      const late = await store().append(streamId, batch, { expectedRevision: 'no_stream' });
      expect(late).toMatchObject({ streamId, position: first.position, appended: 0 });
      const stale = await store().append(streamId, [batch[0]], { expectedRevision: 0 });
      expect(stale).toMatchObject({ appended: 0 });
      expect(big(stale.position)).toBeLessThan(big(first.position));

      const stored = await store().readStream(streamId);
      expect(stored).toHaveLength(3);
      expect(stored.slice(0, 2).map((e) => e.id)).toEqual(batch.map((e) => e.id));
    });

    it('stores a duplicate id inside one batch once, and skips already stored ids in a mixed batch', async () => {
      const streamId = uniqueStream();
      const [a, b, c, d] = newEvents(4);

      const result = await store().append(streamId, [a, a, b, a], { expectedRevision: 'no_stream' });
      expect(result).toMatchObject({ nextRevision: 1, appended: 2 });
      expect((await store().readStream(streamId)).map((e) => [e.id, e.revision])).toEqual([
        [a.id, 0],
        [b.id, 1],
      ]);

      const mixed = await store().append(streamId, [b, c, c], { expectedRevision: 1 });
      expect(mixed).toMatchObject({ nextRevision: 2, appended: 1 });
      const stored = await store().readStream(streamId);
      expect(stored.map((e) => e.id)).toEqual([a.id, b.id, c.id]);
      expect(mixed.position).toBe(stored[2].position);

      // A stored id after a fresh one, at a revision that holds: the fresh one is stored once.
      const tail = await store().append(streamId, [d, a], { expectedRevision: 'any' });
      expect(tail).toMatchObject({ nextRevision: 3, appended: 1 });
      const after = await store().readStream(streamId);
      expect(after.map((e) => [e.id, e.revision])).toEqual([
        [a.id, 0],
        [b.id, 1],
        [c.id, 2],
        [d.id, 3],
      ]);
      expect(tail.position).toBe(after[3].position);
    });
  });
}
