/**
 * Test harness for the analytics int specs: a dedicated local Neo4j (so that whole-graph analyses
 * see only the history under test), and a loader that empties the graph, imports a history into a
 * fresh SQLite log through the importer (which re-decides every event) and projects it to head.
 */
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { SqliteEventStore } from '@app/event-store';
import { importEventList } from '@app/importers';
import { silentLogger, startLocalNeo4j, type LocalNeo4j } from '@app/neo4j-local';
import { tempDir, uniqueId } from '@test/support';
import { projectToHead } from '../../testing/log';
import type { HistoryEvent } from './reference';

export interface DedicatedNeo4j {
  server: LocalNeo4j;
  driver: Driver;
  stop(): Promise<void>;
}

export async function startDedicatedNeo4j(): Promise<DedicatedNeo4j> {
  const server = await startLocalNeo4j({ dataDir: tempDir('catalyst-analytics-neo4j-'), boltPort: 0, heapMb: 512, pageCacheMb: 128, log: silentLogger });
  const driver = neo4j.driver(server.uri);
  // Warm up (schema, query planning) so that the first history does not pay for it.
  await loadHistory(driver, [{ type: 'PersonRegistered', data: { personId: 'warm-up', name: 'Warm up', timeZone: 'UTC', occurredAt: '2024-01-01T00:00:00Z' } }]);
  return {
    server,
    driver,
    async stop() {
      await driver.close();
      await server.stop();
    },
  };
}

/** Deletes every node, then imports `events` (all or nothing) into a new SQLite log and projects it. */
export async function loadHistory(driver: Driver, events: readonly HistoryEvent[], dir = tempDir('catalyst-analytics-log-')): Promise<void> {
  await driver.executeQuery('MATCH (n) DETACH DELETE n');
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  try {
    const summary = await importEventList(store, events, { source: 'import:ndjson', path: 'events' });
    if (summary.problems.length > 0) {
      throw new Error(`the importer refused the history: ${JSON.stringify(summary.problems.slice(0, 3))}`);
    }
    const name = uniqueId('analytics');
    try {
      await projectToHead(driver, store, name, { batchSize: 200, timeoutMs: 90_000 });
    } catch (error) {
      const { records } = await driver.executeQuery('MATCH (c:ProjectionCheckpoint {name: $name}) RETURN c.lastError AS lastError', { name });
      throw new Error(`${(error as Error).message}; last projection error: ${String(records[0]?.get('lastError'))}`);
    }
  } finally {
    await store.close();
  }
}

/** Numbers rounded to 9 significant digits (relative tolerance ~1e-9), everything else as is. */
export function rounded<T>(value: T): T {
  if (typeof value === 'number') return (Number.isFinite(value) ? Number(value.toPrecision(9)) : value) as T;
  if (Array.isArray(value)) return value.map((x) => rounded(x)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, rounded(v)])) as T;
  }
  return value;
}
