import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { WrongExpectedRevision } from '../event-store';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
import { big, newEvent, newEvents, uniqueStream } from '../testing/helpers';

/**
 * Group commit: appends made while a commit is pending (concurrent callers of one instance) are
 * written in one transaction, each in its own savepoint. The number of commits is read from the
 * store's own counter, so these tests do not depend on timing.
 */

const dirs: string[] = [];
const stores: SqliteEventStore[] = [];

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-group-commit-'));
  dirs.push(dir);
  return join(dir, 'events.db');
}

function openStore(file = tempFile(), options: SqliteEventStoreOptions = {}): SqliteEventStore {
  const store = new SqliteEventStore(file, { pollMs: 20, ...options });
  stores.push(store);
  return store;
}

afterAll(async () => {
  for (const store of stores) await store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Runs `appends` (started in the same turn, so in one group) and returns how many commits they took. */
async function inOneTurn<T>(store: SqliteEventStore, appends: () => Promise<T>[]): Promise<{ settled: PromiseSettledResult<T>[]; commits: number }> {
  const before = store.groupCommitStats().commits;
  const settled = await Promise.allSettled(appends());
  return { settled, commits: store.groupCommitStats().commits - before };
}

function fulfilled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw new Error(`expected fulfilled, got ${String(result.reason)}`);
  return result.value;
}

function rejected<T>(result: PromiseSettledResult<T>): unknown {
  if (result.status === 'fulfilled') throw new Error(`expected rejected, got ${JSON.stringify(result.value)}`);
  return result.reason;
}

describe('SqliteEventStore group commit', () => {
  it('commits many concurrent appends to different streams in one transaction, contiguous positions in call order, each acknowledged after the commit', async () => {
    const file = tempFile();
    const store = openStore(file);
    await store.append(uniqueStream(), newEvents(1));
    const head = big(await store.headPosition());
    // A second connection: an acknowledged event must already be visible (committed) to it.
    const other = new Database(file, { readonly: true });
    const stored = other.prepare('SELECT COUNT(*) AS n FROM events WHERE event_id = ?').pluck();
    const streams = Array.from({ length: 50 }, () => uniqueStream());
    const batches = streams.map((_, i) => newEvents(1 + (i % 3)));

    try {
      const { settled, commits } = await inOneTurn(store, () =>
        streams.map((streamId, i) =>
          store.append(streamId, batches[i], { expectedRevision: 'no_stream' }).then((result) => {
            for (const event of batches[i]) expect(stored.get(event.id)).toBe(1);
            return result;
          }),
        ),
      );

      expect(commits).toBe(1);
      const results = settled.map(fulfilled);
      let expected = head;
      results.forEach((result, i) => {
        expected += BigInt(batches[i].length);
        expect(result).toEqual({ streamId: streams[i], nextRevision: batches[i].length - 1, position: expected.toString(), appended: batches[i].length });
      });
      expect(await store.headPosition()).toBe(expected.toString());
      const log = await store.readAll({ fromPosition: head.toString(), maxCount: 1000 });
      expect(log.map((e) => e.id)).toEqual(batches.flat().map((e) => e.id));
      expect(log.map((e) => big(e.position))).toEqual(log.map((_, i) => head + 1n + BigInt(i)));
    } finally {
      other.close();
    }
  });

  it('checks expected revisions against the earlier appends of the group: of two with the same revision, the first wins, the second gets the conflict and stores nothing', async () => {
    const store = openStore();
    const existing = uniqueStream();
    await store.append(existing, newEvents(1), { expectedRevision: 'no_stream' });
    const fresh = uniqueStream();
    const [a, b, c, d] = newEvents(4);

    const { settled, commits } = await inOneTurn(store, () => [
      store.append(existing, [a], { expectedRevision: 0 }),
      store.append(existing, [b], { expectedRevision: 0 }),
      store.append(fresh, [c], { expectedRevision: 'no_stream' }),
      store.append(fresh, [d], { expectedRevision: 'no_stream' }),
    ]);

    expect(commits).toBe(1);
    expect(fulfilled(settled[0])).toMatchObject({ nextRevision: 1, appended: 1 });
    expect(rejected(settled[1])).toBeInstanceOf(WrongExpectedRevision);
    expect(rejected(settled[1])).toMatchObject({ streamId: existing, expected: 0, actual: 1 });
    expect(fulfilled(settled[2])).toMatchObject({ nextRevision: 0, appended: 1 });
    expect(rejected(settled[3])).toMatchObject({ name: 'WrongExpectedRevision', streamId: fresh, expected: 'no_stream', actual: 0 });
    expect((await store.readStream(existing)).map((e) => e.id)).toEqual([expect.any(String), a.id]);
    expect((await store.readStream(fresh)).map((e) => e.id)).toEqual([c.id]);
    // The losers' positions were not taken: the winners are adjacent in the log.
    expect(big(fulfilled(settled[2]).position)).toBe(big(fulfilled(settled[0]).position) + 1n);
  });

  it('rolls back only the failing append of a group; the others commit, and later ones see the state without it', async () => {
    const store = openStore();
    const [first, broken, wrong, last] = [uniqueStream(), uniqueStream(), uniqueStream(), uniqueStream()];
    const unserializable = newEvent('Broken', { amount: 1n });

    const { settled, commits } = await inOneTurn(store, () => [
      store.append(first, newEvents(2)),
      store.append(broken, [newEvent(), newEvent(), unserializable]),
      store.append(wrong, newEvents(1), { expectedRevision: 3 }),
      // The broken append's stream is still empty for the appends after it.
      store.append(broken, newEvents(1), { expectedRevision: 'no_stream' }),
      store.append(last, newEvents(1)),
    ]);

    expect(commits).toBe(1);
    expect(rejected(settled[1])).toBeInstanceOf(TypeError);
    expect(String(rejected(settled[1]))).toMatch(/BigInt/);
    expect(rejected(settled[2])).toMatchObject({ name: 'WrongExpectedRevision', streamId: wrong, actual: -1 });
    const [one, , , again, end] = settled.map((result) => (result.status === 'fulfilled' ? result.value : undefined));
    expect(one).toMatchObject({ appended: 2, nextRevision: 1 });
    expect(again).toMatchObject({ appended: 1, nextRevision: 0 });
    expect(end).toMatchObject({ appended: 1, nextRevision: 0 });
    expect(await store.readStream(wrong)).toEqual([]);
    expect(await store.readStream(broken)).toHaveLength(1);
    // Nothing of the rolled-back events remains, not even their positions.
    expect(big(again!.position)).toBe(big(one!.position) + 1n);
    expect(big(end!.position)).toBe(big(again!.position) + 1n);
    expect(await store.headPosition()).toBe(end!.position);
  });

  it('treats a re-append of the same event ids inside a group as a retry: nothing stored twice, the original position returned', async () => {
    const store = openStore();
    const streamId = uniqueStream();
    const batch = newEvents(2);
    const [c] = newEvents(1);

    const { settled, commits } = await inOneTurn(store, () => [
      store.append(streamId, batch, { expectedRevision: 'no_stream' }),
      store.append(streamId, batch, { expectedRevision: 'no_stream' }),
      store.append(streamId, [batch[1], c, c], { expectedRevision: 1 }),
      store.append(streamId, [batch[0]], { expectedRevision: 'any' }),
    ]);

    expect(commits).toBe(1);
    const [first, retry, mixed, single] = settled.map(fulfilled);
    expect(first).toEqual({ streamId, nextRevision: 1, position: first.position, appended: 2 });
    expect(retry).toEqual({ streamId, nextRevision: 1, position: first.position, appended: 0 });
    expect(mixed).toMatchObject({ nextRevision: 2, appended: 1 });
    expect(single).toMatchObject({ nextRevision: 2, appended: 0 });
    expect(big(single.position)).toBe(big(first.position) - 1n);
    const stored = await store.readStream(streamId);
    expect(stored.map((e) => [e.id, e.revision])).toEqual([
      [batch[0].id, 0],
      [batch[1].id, 1],
      [c.id, 2],
    ]);
    expect(mixed.position).toBe(stored[2].position);
  });

  it('finds an id stored by an earlier commit through the unique index when the revision holds: the group is written again, the retry gets its original position, the others commit without a gap', async () => {
    const store = openStore();
    const [a, b, c] = [uniqueStream(), uniqueStream(), uniqueStream()];
    const stored = newEvents(2);
    const original = await store.append(b, stored, { expectedRevision: 'no_stream' });
    const [fresh] = newEvents(1);

    const { settled, commits } = await inOneTurn(store, () => [
      store.append(a, newEvents(2), { expectedRevision: 'no_stream' }),
      // Revision 1 holds, so the first try inserts without looking up: the second id collides.
      store.append(b, [fresh, stored[1]], { expectedRevision: 1 }),
      store.append(c, newEvents(1)),
    ]);

    expect(commits).toBe(1);
    const [first, retry, last] = settled.map(fulfilled);
    expect(retry).toEqual({ streamId: b, nextRevision: 2, position: retry.position, appended: 1 });
    expect((await store.readStream(b)).map((e) => [e.id, e.revision])).toEqual([
      [stored[0].id, 0],
      [stored[1].id, 1],
      [fresh.id, 2],
    ]);
    // Nothing of the rolled-back first try remains, not even its positions.
    expect(big(first.position)).toBe(big(original.position) + 2n);
    expect(big(retry.position)).toBe(big(first.position) + 1n);
    expect(big(last.position)).toBe(big(retry.position) + 1n);
    expect(await store.headPosition()).toBe(last.position);
  });

  it('keeps appendMany all or nothing inside a group, and chains it with the appends around it', async () => {
    const store = openStore();
    const [s1, s2, s3] = [uniqueStream(), uniqueStream(), uniqueStream()];

    const { settled, commits } = await inOneTurn<unknown>(store, () => [
      store.append(s1, newEvents(1), { expectedRevision: 'no_stream' }),
      store.appendMany([
        { streamId: s2, events: newEvents(2), expectedRevision: 'no_stream' },
        { streamId: s1, events: newEvents(1), expectedRevision: 'no_stream' }, // s1 exists by now
      ]),
      store.appendMany([
        { streamId: s3, events: newEvents(1), expectedRevision: 'no_stream' },
        { streamId: s1, events: newEvents(1), expectedRevision: 0 },
      ]),
    ]);

    expect(commits).toBe(1);
    expect(rejected(settled[1])).toMatchObject({ name: 'WrongExpectedRevision', streamId: s1, expected: 'no_stream', actual: 0 });
    expect(fulfilled(settled[2])).toMatchObject([
      { streamId: s3, nextRevision: 0, appended: 1 },
      { streamId: s1, nextRevision: 1, appended: 1 },
    ]);
    expect(await store.readStream(s2)).toEqual([]);
    expect(await store.readStream(s1)).toHaveLength(2);
  });

  it('bounds a group by maxGroupEvents, one group per turn, keeping call order across groups; a larger single append is a group of its own', async () => {
    const store = openStore(tempFile(), { maxGroupEvents: 10 });
    const streamId = uniqueStream();
    const batches = [...Array.from({ length: 25 }, () => newEvents(1)), newEvents(15), newEvents(1)];
    const commitsWhenAcknowledged: number[] = [];

    const { settled, commits } = await inOneTurn(store, () =>
      batches.map((batch) =>
        store.append(streamId, batch).then((result) => {
          commitsWhenAcknowledged.push(store.groupCommitStats().commits);
          return result;
        }),
      ),
    );

    // 10 + 10 + 5 single events, then the 15 alone, then the last one.
    expect(commits).toBe(5);
    // The first group's callers ran before the second group was committed.
    const start = commitsWhenAcknowledged[0];
    expect(commitsWhenAcknowledged.map((n) => n - start)).toEqual([...Array(10).fill(0), ...Array(10).fill(1), ...Array(5).fill(2), 3, 4]);
    const results = settled.map(fulfilled);
    expect(results.map((r) => r.nextRevision)).toEqual(batches.map((_, i) => batches.slice(0, i + 1).flat().length - 1));
    const stored = await store.readStream(streamId);
    expect(stored.map((e) => e.id)).toEqual(batches.flat().map((e) => e.id));
    expect(stored.map((e) => big(e.position) - big(stored[0].position))).toEqual(stored.map((_, i) => BigInt(i)));
  });

  it('commits one append alone when nothing else is waiting, and counts what it settled', async () => {
    const store = openStore();
    const before = store.groupCommitStats();
    await store.append(uniqueStream(), newEvents(3));
    await store.append(uniqueStream(), newEvents(1));
    expect(store.groupCommitStats()).toEqual({ commits: before.commits + 2, appends: before.appends + 2 });
  });

  it('commits the appends queued before close(), and refuses appends after it', async () => {
    const file = tempFile();
    const store = new SqliteEventStore(file);
    const streamId = uniqueStream();
    const queued = store.append(streamId, newEvents(2));
    await store.close();
    await expect(queued).resolves.toMatchObject({ appended: 2 });
    await expect(store.append(streamId, newEvents(1))).rejects.toThrow(/closed/);

    const reopened = openStore(file);
    expect(await reopened.readStream(streamId)).toHaveLength(2);
  });
});
