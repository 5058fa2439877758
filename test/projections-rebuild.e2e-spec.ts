import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import neo4j, { type Driver } from 'neo4j-driver';
import pino from 'pino';
import { SqliteEventStore } from '@app/event-store';
import { Projector, readCheckpoint } from '@app/graph';
import { canonicalDump } from '@app/graph/testing/canonical-dump';
import { appendAll, generateHistory, interleave } from '@app/graph/testing/history';
import { startLocalNeo4j, silentLogger, type LocalNeo4j } from '@app/neo4j-local';
import { eventually, tempDir, uniqueId } from '@test/support';
import { exitOf, REPO_ROOT } from '@test/support/process';

/**
 * `catalyst projections rebuild` drops every node of its database, so this test has a Neo4j of
 * its own: the run's shared one holds the other tests' graphs.
 */
describe('catalyst projections rebuild', () => {
  let server: LocalNeo4j;
  let driver: Driver;
  const children = new Set<ChildProcess>();
  afterEach(() => children.forEach((child) => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL')));

  beforeAll(async () => {
    server = await startLocalNeo4j({ dataDir: tempDir('catalyst-rebuild-neo4j-'), boltPort: 0, heapMb: 512, pageCacheMb: 128, log: silentLogger });
    driver = neo4j.driver(server.uri);
  }, 180_000);
  afterAll(async () => {
    await driver?.close();
    await server?.stop();
  });

  async function checkpoint(name: string) {
    const session = driver.session();
    try {
      return await session.executeRead((tx) => readCheckpoint(tx, name));
    } finally {
      await session.close();
    }
  }

  /** Runs the built CLI; `interruptWhen` sends SIGINT once a progress line matches it. */
  async function rebuild(env: Record<string, string>, interruptWhen?: (line: string) => boolean) {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), 'projections', 'rebuild', '--progress-interval', '100'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const stderr: string[] = [];
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    createInterface({ input: child.stderr! }).on('line', (line) => {
      stderr.push(line);
      if (interruptWhen?.(line) && child.exitCode === null) child.kill('SIGINT');
    });
    const exit = await exitOf(child);
    return { exit, stderr, summary: stdout.trim() ? (JSON.parse(stdout.trim()) as Record<string, unknown>) : null };
  }

  it('drops and rebuilds the graph with progress; Ctrl-C stops it, running it again resumes; a running projector pauses and follows', async () => {
    const prefix = `${uniqueId('rb')}.`;
    const history = generateHistory({ prefix, seed: 5, people: 20, teams: 5, services: 8, incidents: 16 });
    const dataDir = tempDir('catalyst-rebuild-');
    const store = new SqliteEventStore(join(dataDir, 'events.sqlite'));
    const name = uniqueId('graph');
    const live = new Projector(driver, store, { name, batchSize: 200, onError: 'stop', logger: pino({ level: 'silent' }), pausePollMs: 100 });
    try {
      const head = await appendAll(store, interleave(history, 'shuffled'));
      await live.start();
      // A fresh Neo4j compiles the projection's statements first: slow on a busy machine.
      expect(await live.waitForPosition(head, 240_000)).toBe(true);
      const before = await canonicalDump(driver, { prefix });
      // Something the log does not say: the rebuild must drop it.
      await driver.executeQuery('CREATE (:Person {id: $id, name: "stale"})', { id: `${prefix}stale` });

      const env = { DATA_DIR: dataDir, NEO4J_URI: server.uri, PROJECTION_NAME: name, PROJECTION_BATCH_SIZE: '3', LOG_LEVEL: 'warn' };
      const stopped = await rebuild(env, (line) => /projecting · position [1-9]/.test(line));
      expect(stopped.exit).toEqual({ code: 130, signal: null });
      expect(stopped.stderr.join('\n')).toMatch(/deleting the old graph · [\d,]+ nodes deleted/);
      expect(stopped.summary).toMatchObject({ outcome: 'stopped', resumed: false, generation: 1 });
      const interrupted = await checkpoint(name);
      expect(interrupted).toMatchObject({ generation: 1, rebuild: { phase: 'projecting' } });
      expect(BigInt(interrupted.position)).toBeGreaterThan(0n);
      expect(BigInt(interrupted.position)).toBeLessThan(BigInt(head));
      await eventually(async () => (live.state === 'paused' ? true : undefined), 10_000, 'the running projector to pause');

      const resumed = await rebuild(env);
      expect(resumed.exit).toEqual({ code: 0, signal: null });
      expect(resumed.summary).toMatchObject({ outcome: 'completed', resumed: true, generation: 1, position: head, deletedNodes: 0 });
      expect(resumed.stderr.join('\n')).toMatch(/projecting · position \d+\/\d+ \([\d.]+%\) · [\d,]+ events\/s/);
      expect(await checkpoint(name)).toMatchObject({ position: head, generation: 1, rebuild: null, lastError: null });
      expect(await canonicalDump(driver, { prefix })).toEqual(before);

      // The paused projector follows the rebuilt checkpoint and projects what comes next.
      const next = await store.append(`incident-${prefix}INC-0`, [
        { id: randomUUID(), type: 'IncidentSeverityChanged', data: { incidentId: `${prefix}INC-0`, severity: 'SEV1', occurredAt: '2025-01-01T00:00:00Z' }, metadata: {} },
      ]);
      expect(await live.waitForPosition(next.position, 30_000)).toBe(true);
      const severity = await driver.executeQuery('MATCH (i:Incident {id: $id}) RETURN i.severity AS severity', { id: `${prefix}INC-0` });
      expect(severity.records[0].get('severity')).toBe('SEV1');
    } finally {
      await live.stop();
      await store.close();
    }
  }, 400_000);
});
