'use strict';
/**
 * A second process writing to the same SQLite log, for the adapter's integration tests.
 * It mimics SqliteEventStore.append (sqlite/sqlite-event-store.ts) without needing a TypeScript
 * build: the same pragmas, one BEGIN IMMEDIATE transaction per append, revision = MAX(revision) + 1,
 * the same INSERT ... RETURNING position. Keep it in step with the adapter's SQL.
 *
 * argv[2]: JSON { file, streamId, appends (a count, or -1 for "until killed"), batchSize?, pauseMs? (between appends) }
 * stdout: one JSON line per committed append: { ids: [...], positions: [...] }, then "done".
 */
const { randomUUID } = require('node:crypto');
const Database = require('better-sqlite3');

const { file, streamId, appends, batchSize = 1, pauseMs = 0 } = JSON.parse(process.argv[2]);
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 10000');

const currentRevision = db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream_id = ?');
const insert = db
  .prepare(
    `INSERT INTO events (stream_id, category, revision, event_id, type, data, metadata, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING position`,
  )
  .safeIntegers(true);
const dash = streamId.indexOf('-');
const category = dash < 0 ? streamId : streamId.slice(0, dash);

const append = db.transaction((events) => {
  const { revision } = currentRevision.get(streamId);
  const recordedAt = new Date().toISOString();
  return events.map((event, i) => {
    const row = insert.get(streamId, category, (revision ?? -1) + 1 + i, event.id, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), recordedAt);
    return row.position.toString();
  });
});

async function main() {
  for (let n = 0; appends < 0 || n < appends; n++) {
    const events = Array.from({ length: batchSize }, (_, i) => ({
      id: randomUUID(),
      type: 'ChildAppended',
      data: { occurredAt: new Date().toISOString(), n, i, pid: process.pid },
      metadata: { schemaVersion: 1, source: 'test:child' },
    }));
    const positions = append.immediate(events);
    // Reported only after the commit returned: a reported event must survive a kill.
    process.stdout.write(`${JSON.stringify({ ids: events.map((e) => e.id), positions })}\n`);
    await new Promise((resolve) => (pauseMs > 0 ? setTimeout(resolve, pauseMs) : setImmediate(resolve)));
  }
  db.close();
  process.stdout.write('done\n');
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
