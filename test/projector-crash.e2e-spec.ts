import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { SqliteEventStore } from '@app/event-store';
import { canonicalDump } from '@app/graph/testing/canonical-dump';
import { appendAll, countEvents, generateHistory, interleave } from '@app/graph/testing/history';
import { projectToHead } from '@app/graph/testing/log';
import { tempDir, testDriver, uniqueId } from '@test/support';
import { exitOf, REPO_ROOT } from '@test/support/process';

const KILLS = 20;
const HISTORY = { seed: 2024, people: 100, teams: 12, services: 30, incidents: 110 };

/**
 * Exactly-once effect under crashes: the built projector process is SIGKILLed at random points
 * (while starting, between batches, inside a write transaction) and restarted each time; the graph
 * it ends with must equal a clean, uninterrupted projection of the same events.
 */
describe('projector crash safety', () => {
  let driver: Driver;
  const children = new Set<ChildProcess>();
  beforeAll(() => {
    driver = testDriver();
  });
  // A failed or timed-out run must not leave a projector behind.
  afterEach(() => children.forEach((child) => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));
  afterAll(() => driver.close());

  async function checkpoint(name: string): Promise<string> {
    const result = await driver.executeQuery('MATCH (c:ProjectionCheckpoint {name: $name}) RETURN c.position AS position', { name });
    return result.records[0]?.get('position')?.toString() ?? '0';
  }

  function spawnProjector(env: Record<string, string>, output: string[]): ChildProcess {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', 'projector', 'src', 'main.js')], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean).slice(-5));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    children.add(child);
    child.once('exit', () => children.delete(child));
    return child;
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it(`ends with the graph of a clean projection after ${KILLS}+ SIGKILLs at random points`, async () => {
    const prefix = `${uniqueId('crash')}.`;
    const history = generateHistory({ prefix, ...HISTORY });
    const dataDir = tempDir('catalyst-crash-');
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    const head = await appendAll(store, interleave(history, 'shuffled'));
    await store.close();
    expect(countEvents(history)).toBeGreaterThan(2500);

    // The clean rebuild: the same events (same seed, same ids) in a fresh id space, never interrupted.
    // Done first, it also has Neo4j compile the projection's statements (slow on a cold server).
    const cleanPrefix = `${uniqueId('clean')}.`;
    const cleanStore = new SqliteEventStore(join(tempDir('catalyst-clean-'), 'events.sqlite'));
    try {
      await appendAll(cleanStore, interleave(generateHistory({ prefix: cleanPrefix, ...HISTORY }), 'shuffled'));
      await projectToHead(driver, cleanStore, uniqueId('clean'), { batchSize: 500, timeoutMs: 180_000 });
    } finally {
      await cleanStore.close();
    }

    const name = uniqueId('crash');
    const env = { DATA_DIR: dataDir, NEO4J_URI: process.env.NEO4J_URI!, PROJECTION_NAME: name, PROJECTION_BATCH_SIZE: '20', LOG_LEVEL: 'warn' };
    const output: string[] = [];
    const kills: { position: string; how: string }[] = [];
    const early = () => kills.filter((kill) => BigInt(kill.position) < BigInt(head)).length;
    while (early() < KILLS) {
      const before = BigInt(await checkpoint(name));
      if (before >= BigInt(head)) break;
      const child = spawnProjector(env, output);
      const exited = exitOf(child);
      let how: string;
      if (Math.random() < 0.2) {
        // Anywhere from start-up (schema, subscription) to the first batches.
        how = 'after a delay';
        await Promise.race([sleep(20 + Math.random() * 500), exited]);
      } else {
        // Once it has moved a random step ahead, plus a random moment: often inside the next transaction.
        const left = BigInt(head) - before;
        const spread = Number(left / BigInt(KILLS - early() + 4));
        const step = BigInt(Math.max(1, Math.min(Number(left) - 1, 1 + Math.floor(Math.random() * spread))));
        how = `after +${step}`;
        const deadline = Date.now() + 60_000;
        while (BigInt(await checkpoint(name)) < before + step && child.exitCode === null && Date.now() < deadline) await sleep(5);
        await sleep(Math.random() * 25);
      }
      child.kill('SIGKILL');
      const exit = await exited;
      if (exit.signal !== 'SIGKILL') throw new Error(`the projector exited by itself (${JSON.stringify(exit)}):\n${output.slice(-20).join('\n')}`);
      kills.push({ position: await checkpoint(name), how });
    }
    // At least KILLS of them happened before the projection was complete.
    expect(early()).toBeGreaterThanOrEqual(KILLS);
    expect(new Set(kills.map((kill) => kill.position)).size).toBeGreaterThan(KILLS / 2);

    const last = spawnProjector(env, output);
    const deadline = Date.now() + 120_000;
    while ((await checkpoint(name)) !== head && Date.now() < deadline) await sleep(50);
    last.kill('SIGTERM');
    expect(await exitOf(last)).toEqual({ code: 0, signal: null });
    expect(await checkpoint(name)).toBe(head);

    const crashed = await canonicalDump(driver, { prefix });
    const clean = await canonicalDump(driver, { prefix: cleanPrefix });
    expect(crashed.relationships.length).toBeGreaterThan(3000);
    expect(crashed).toEqual(clean);
    // 20+ projector processes started and killed, then a clean projection, at batch 20: about 210 s on a quiet
    // 2-core machine since the incident rollups (derived.ts). A harness limit, not a speed goal (bench/ has those).
  }, 480_000);
});
