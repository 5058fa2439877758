// TEMPORARY: checks that the contract fails for broken stores. Deleted after use.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { EventStore, Subscription } from '../../event-store';
import { SqliteEventStore } from '../../sqlite/sqlite-event-store';
import { eventStoreContract } from '../contract';

jest.setTimeout(5_000);
const mutant = process.env.MUTANT ?? 'none';

function wrap(inner: SqliteEventStore): EventStore {
  const w: EventStore = {
    logId: () => inner.logId(),
    append: (s, e, o) => inner.append(s, e, o),
    readStream: (s, o) => inner.readStream(s, o),
    readAll: (o) => inner.readAll(o),
    subscribe: (o, h) => inner.subscribe(o, h),
    headPosition: () => inner.headPosition(),
    close: () => inner.close(),
  };
  if (mutant === 'inclusive') w.readAll = (o = {}) => inner.readAll({ ...o, fromPosition: o.fromPosition && o.fromPosition !== '0' ? (BigInt(o.fromPosition) - 1n).toString() : o.fromPosition });
  if (mutant === 'nodedup') w.append = (s, e, o) => inner.append(s, e.map((x) => ({ ...x, id: randomUUID() })), o);
  if (mutant === 'closenowait') w.subscribe = (o, h) => { const s = inner.subscribe(o, h); return { done: s.done, close: async () => { void s.close(); } }; };
  if (mutant === 'swallow') w.subscribe = (o, h) => inner.subscribe(o, async (b) => { try { await h(b); } catch { /* */ } });
  if (mutant === 'nobatch') w.subscribe = (o, h) => inner.subscribe({ ...o, batchSize: 1000 }, h);
  if (mutant === 'gap') w.subscribe = (o, h): Subscription => {
    let closed = false;
    const done = (async () => {
      const head0 = BigInt(await inner.headPosition());
      let cursor = o.fromPosition ?? '0';
      for (;;) {
        const batch = (await inner.readAll({ fromPosition: cursor, maxCount: o.batchSize ?? 500, filter: o.filter })).filter((e) => BigInt(e.position) <= head0);
        if (!batch.length || closed) break;
        await h(batch);
        cursor = batch[batch.length - 1].position;
      }
      let live = await inner.headPosition(); // BUG: live starts at the current head, not where catch-up ended
      while (!closed) {
        const batch = await inner.readAll({ fromPosition: live, maxCount: o.batchSize ?? 500, filter: o.filter });
        if (batch.length) { await h(batch); live = batch[batch.length - 1].position; } else await new Promise((r) => setTimeout(r, 5));
      }
    })();
    done.catch(() => undefined);
    return { done, close: async () => { closed = true; await done.catch(() => undefined); } };
  };
  return w;
}

eventStoreContract(`mutant ${mutant}`, async () => {
  const inner = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'mut-')), 'e.db'), { pollMs: 20 });
  return { store: wrap(inner), cleanup: () => inner.close() };
});
