import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from './sqlite-event-store';
import { eventStoreContract } from '../testing/contract';
import { startChildWriter } from '../testing/child-writer';
import { Collector, big, expectStrictlyIncreasing, idAt, newEvent, newEvents, readAllUpTo, turn, uniqueStream } from '../testing/helpers';

const dirs: string[] = [];
const stores: SqliteEventStore[] = [];

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-sqlite-'));
  dirs.push(dir);
  return join(dir, 'log', 'events.db');
}

function openStore(file: string): SqliteEventStore {
  const store = new SqliteEventStore(file, { pollMs: 20 });
  stores.push(store);
  return store;
}

afterAll(async () => {
  for (const store of stores) await store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

eventStoreContract('sqlite', async () => {
  const store = openStore(tempFile());
  return { store, cleanup: () => store.close() };
});

describe('SqliteEventStore on a real file', () => {
  it('runs in WAL mode with synchronous=FULL', async () => {
    const file = tempFile();
    const store = openStore(file);
    await store.append(uniqueStream(), newEvents(1));

    const other = new Database(file, { readonly: true });
    try {
      // journal_mode=WAL is a property of the file, so another connection sees it.
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      other.close();
    }
    // synchronous is per connection (a fresh better-sqlite3 connection on a WAL file says 1,
    // NORMAL), so only the adapter's own connection can show what its commits use.
    const own = (store as unknown as { db: Database.Database }).db;
    expect(own.pragma('synchronous', { simple: true })).toBe(2);
    expect(own.pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it("starts empty: head '0', nothing to read", async () => {
    const store = openStore(tempFile());
    expect(await store.headPosition()).toBe('0');
    expect(await store.readAll()).toEqual([]);
  });

  it('keeps positions, revisions and its log id across a reopen, and keeps increasing', async () => {
    const file = tempFile();
    const first = openStore(file);
    const streamId = uniqueStream();
    const written = await first.append(streamId, newEvents(3));
    const logId = await first.logId();
    await first.close();

    const second = openStore(file);
    expect(await second.logId()).toBe(logId);
    expect(await second.headPosition()).toBe(written.position);
    const more = await second.append(streamId, newEvents(2), { expectedRevision: 2 });
    expect(more.nextRevision).toBe(4);
    const all = await second.readAll();
    expect(all.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    expectStrictlyIncreasing(all.map((e) => e.position));
    expect(big(all[3].position)).toBeGreaterThan(big(written.position));
  });

  it('never reuses a position, even after the last row is gone (AUTOINCREMENT)', async () => {
    const file = tempFile();
    const first = openStore(file);
    const last = await first.append(uniqueStream(), newEvents(2));
    await first.close();
    const raw = new Database(file);
    raw.prepare('DELETE FROM events WHERE position = ?').run(BigInt(last.position));
    raw.close();

    const second = openStore(file);
    const next = await second.append(uniqueStream(), newEvents(1));
    expect(big(next.position)).toBeGreaterThan(big(last.position));
  });

  it('has a different log id per file', async () => {
    const a = openStore(tempFile());
    const b = openStore(tempFile());
    expect(await a.logId()).not.toBe(await b.logId());
  });

  it('appends a batch atomically: a failing event leaves nothing of its batch', async () => {
    const store = openStore(tempFile());
    const streamId = uniqueStream();
    const unserializable = newEvent('Broken', { amount: 1n });
    await expect(store.append(streamId, [newEvent(), unserializable])).rejects.toThrow(/BigInt/);
    expect(await store.readStream(streamId)).toEqual([]);
    expect(await store.headPosition()).toBe('0');
    expect(await store.append(streamId, newEvents(1), { expectedRevision: 'no_stream' })).toMatchObject({ nextRevision: 0, appended: 1 });
  });

  it('checks revisions against the file, not the instance: two stores on one file', async () => {
    const file = tempFile();
    const a = openStore(file);
    const b = openStore(file);
    const streamId = uniqueStream();
    await a.append(streamId, newEvents(1), { expectedRevision: 'no_stream' });
    await expect(b.append(streamId, newEvents(1), { expectedRevision: 'no_stream' })).rejects.toMatchObject({ name: 'WrongExpectedRevision', actual: 0 });
    const batch = newEvents(1);
    await b.append(streamId, batch, { expectedRevision: 0 });
    expect(await a.append(streamId, batch, { expectedRevision: 0 })).toMatchObject({ appended: 0, nextRevision: 1 });
  });

  it('closing the store ends its live subscriptions', async () => {
    const store = openStore(tempFile());
    const subscription = store.subscribe({}, new Collector().handler);
    await store.close();
    await expect(subscription.done).resolves.toBeUndefined();
  });

  it("delivers another process's appends to a live subscription, interleaved with this process's, once each and in order", async () => {
    const file = tempFile();
    const store = openStore(file);
    const ours = uniqueStream('parent');
    const theirs = uniqueStream('child');
    await store.append(ours, newEvents(5));
    const collector = new Collector();
    const subscription = store.subscribe({ fromPosition: '0', batchSize: 16 }, collector.handler);

    // Alone: only polling can notice another process's appends (no local append wakes the loop).
    const alone = startChildWriter({ file, streamId: theirs, appends: 5, batchSize: 2 });
    expect(await alone.exited).toMatchObject({ code: 0, stderr: '' });
    await collector.waitFor(alone.reported.flatMap((append) => append.ids), 'the first child’s events');

    // Together: both processes append at once, so their positions interleave. The child pauses
    // between appends, so even on a loaded machine it is still writing while this process writes.
    const child = startChildWriter({ file, streamId: theirs, appends: 60, batchSize: 2, pauseMs: 25 });
    let childExited = false;
    void child.exited.then(() => (childExited = true));
    await child.reportedAtLeast(1);
    const written: string[] = [];
    while (!childExited && written.length < 5_000) {
      const batch = newEvents(1);
      await store.append(ours, batch);
      written.push(batch[0].id);
      await turn();
    }
    expect(await child.exited).toMatchObject({ code: 0, stderr: '' });
    const childIds = [...alone.reported, ...child.reported].flatMap((append) => append.ids);
    expect(childIds).toHaveLength(130);
    await collector.waitFor([...childIds, ...written], 'both processes’ events');
    await subscription.close();

    const log = await readAllUpTo(store, '0', await store.headPosition());
    expect(collector.events.map(idAt)).toEqual(log.map(idAt));
    expectStrictlyIncreasing(collector.events.map((e) => e.position));
    const fromChild = collector.events.filter((e) => e.streamId === theirs);
    expect(fromChild.map((e) => e.position)).toEqual([...alone.reported, ...child.reported].flatMap((append) => append.positions));
    expect(fromChild.map((e) => e.revision)).toEqual(Array.from({ length: 130 }, (_, i) => i));
    // The two writers really overlapped: some of ours landed between the child's first and last.
    const childSpan = [big(child.reported[0].positions[0]), big(child.reported[59].positions[1])];
    expect(collector.events.some((e) => e.streamId === ours && big(e.position) > childSpan[0] && big(e.position) < childSpan[1])).toBe(true);
  });

  it('keeps every append a killed process reported as committed (SIGKILL while writing)', async () => {
    const file = tempFile();
    const setup = openStore(file);
    await setup.append(uniqueStream(), newEvents(1));
    await setup.close();

    const streamId = uniqueStream('crash');
    const child = startChildWriter({ file, streamId, appends: -1, batchSize: 3 });
    await child.reportedAtLeast(50);
    child.process.kill('SIGKILL');
    const { signal } = await child.exited;
    expect(signal).toBe('SIGKILL');

    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = openStore(file);
    const stored = await store.readStream(streamId);
    const byId = new Map(stored.map((e) => [e.id, e.position]));
    for (const { ids, positions } of child.reported) {
      ids.forEach((id, i) => expect(byId.get(id)).toBe(positions[i]));
    }
    // Whatever was committed after the last report is whole: batches of 3, no gaps in revisions.
    expect(stored.length % 3).toBe(0);
    expect(stored.map((e) => e.revision)).toEqual(stored.map((_, i) => i));
    const after = await store.append(streamId, newEvents(1), { expectedRevision: stored.length - 1 });
    expect(big(after.position)).toBeGreaterThan(big(stored[stored.length - 1].position));
  });
});
