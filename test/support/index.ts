import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';

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
