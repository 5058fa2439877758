import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { SqliteEventStore } from '@app/event-store';

/** A prefix unique to one test, so tests sharing the run's Neo4j never see each other's nodes. */
export function uniqueId(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function tempDir(prefix = 'catalyst-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The run's shared Neo4j (started by test/setup/global-setup.ts, or NEO4J_URI). */
export function testDriver(): Driver {
  const uri = process.env.NEO4J_URI;
  if (!uri) throw new Error('NEO4J_URI is not set: integration tests need the global setup or an external Neo4j');
  const user = process.env.NEO4J_USER;
  return neo4j.driver(uri, user ? neo4j.auth.basic(user, process.env.NEO4J_PASSWORD ?? '') : undefined);
}

/** Polls `check` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A path in the project's real sample data (`../shared/data` beside the repository, see its
 * SOURCES.md): CATALYST_SHARED_DATA if set, else the first of `<repo>/../shared/data` and
 * `/work/shared/data` that exists.
 */
export function sharedData(...parts: string[]): string {
  const candidates = [process.env.CATALYST_SHARED_DATA, resolve(__dirname, '..', '..', '..', 'shared', 'data'), '/work/shared/data'];
  const base = candidates.find((dir): dir is string => !!dir && existsSync(dir)) ?? resolve(__dirname, '..', '..', '..', 'shared', 'data');
  return join(base, ...parts);
}

/**
 * Real SQLite logs in a temp dir for one describe block: `open()` gives a new one each call, `dir` is
 * the temp dir (for other files); the logs are closed and the dir removed after the block.
 */
export function tempStores(prefix: string): { open(): SqliteEventStore; readonly dir: string } {
  let dir: string;
  const stores: SqliteEventStore[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    open() {
      const store = new SqliteEventStore(join(dir, `events-${stores.length}.sqlite`));
      stores.push(store);
      return store;
    },
  };
}
