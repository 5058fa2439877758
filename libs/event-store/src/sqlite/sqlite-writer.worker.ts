import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { GroupWriter, WRITER_PRAGMAS, type WriteCall } from './sqlite-writer';

/**
 * The log's writer thread (started by SqliteEventStore): its own connection, so that a commit's
 * fsync (synchronous=FULL) blocks this thread, never the process's event loop. The calls that
 * arrive while a group commits are the next group: at most maxGroupEvents events per group (a
 * larger single call is a group of its own), one group per turn, in arrival order.
 */
const { path, busyTimeoutMs, maxGroupEvents } = workerData as { path: string; busyTimeoutMs: number; maxGroupEvents: number };
const db = new Database(path);
for (const pragma of WRITER_PRAGMAS) db.pragma(pragma);
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
const writer = new GroupWriter(db);
const queue: WriteCall[] = [];
let scheduled = false;
let closing = false;

function takeGroup(): WriteCall[] {
  let events = queue[0].events;
  let count = 1;
  while (count < queue.length && events + queue[count].events <= maxGroupEvents) {
    events += queue[count].events;
    count += 1;
  }
  return queue.splice(0, count);
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    if (queue.length > 0) parentPort!.postMessage(writer.commit(takeGroup()));
    if (queue.length > 0) schedule();
    else if (closing) {
      db.close();
      // The last message: every outcome before it has been delivered; the store then ends this thread.
      parentPort!.postMessage({ closed: true });
    }
  });
}

parentPort!.on('message', (message: { calls: WriteCall[] } | { close: true }) => {
  if ('close' in message) closing = true;
  else queue.push(...message.calls);
  schedule();
});
