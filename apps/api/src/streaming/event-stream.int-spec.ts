import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { tempDir } from '@test/support';
import { eventStream, SubscriberTooSlow } from './event-stream';

const event = (n: number) => ({ id: randomUUID(), type: 'TeamRenamed', data: { teamId: 't', name: `n${n}`, occurredAt: '2026-01-01T00:00:00Z' }, metadata: {} });

describe('eventStream (real SQLite)', () => {
  it('closes a subscriber whose transport buffer is over the bound, naming the position to resume from', async () => {
    const store = new SqliteEventStore(join(tempDir(), 'events.sqlite'));
    try {
      await store.append('team-t', [event(1), event(2), event(3)]);
      let buffered = 0;
      const stream = eventStream(store, { fromPosition: '0', maxBufferedBytes: 1000, bufferedBytes: () => buffered });
      expect((await stream.next()).value?.position).toBe('1');
      expect((await stream.next()).value?.position).toBe('2');
      buffered = 5000;
      const error = await stream.next().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SubscriberTooSlow);
      expect((error as SubscriberTooSlow).lastPosition).toBe('2');

      // Resuming from the named position delivers the rest, once.
      const resumed = eventStream(store, { fromPosition: (error as SubscriberTooSlow).lastPosition });
      expect((await resumed.next()).value?.position).toBe('3');
      await resumed.return!();
    } finally {
      await store.close();
    }
  });

  it('reads ahead a bounded number of events while the client is not consuming, and never slows appends', async () => {
    const store = new SqliteEventStore(join(tempDir(), 'events.sqlite'));
    try {
      const stream = eventStream(store, { fromPosition: '0', maxQueued: 10 });
      for (let i = 0; i < 50; i++) await store.append('team-t', [event(i)]);
      // Reaching this line is the point: the appends completed although nobody was reading.
      const positions: string[] = [];
      for (let i = 0; i < 50; i++) positions.push((await stream.next()).value!.position);
      expect(positions).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 1)));
      await stream.return!();
    } finally {
      await store.close();
    }
  });
});
