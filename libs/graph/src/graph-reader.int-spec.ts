import { createServer, type AddressInfo } from 'node:net';
import neo4j, { type Driver } from 'neo4j-driver';
import { testDriver, uniqueId } from '@test/support';
import { readRows } from './graph-reader';

/** Counts the sessions a driver opens (one per attempt of readRows). */
function counting(driver: Driver): { driver: Driver; sessions: () => number } {
  let sessions = 0;
  const counted = new Proxy(driver, {
    get(target, prop, receiver) {
      if (prop === 'session') {
        return (...args: Parameters<Driver['session']>) => {
          sessions++;
          return target.session(...args);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { driver: counted, sessions: () => sessions };
}

describe('readRows on a real Neo4j', () => {
  let driver: Driver;
  beforeAll(() => {
    driver = testDriver();
  });
  afterAll(async () => {
    await driver.close();
  });

  it('returns the rows as plain objects (integers as numbers, temporals as ISO strings), in one attempt', async () => {
    const id = uniqueId('reader');
    await driver.executeQuery("CREATE (:ReaderProbe {id: $id, n: 42, at: datetime('2024-01-02T03:04:05Z')})", { id });
    const { driver: counted, sessions } = counting(driver);
    const rows = await readRows<{ id: string; n: number; at: string }>(counted, 'MATCH (p:ReaderProbe {id: $id}) RETURN p.id AS id, p.n AS n, p.at AS at', { id });
    expect(rows).toEqual([{ id, n: 42, at: '2024-01-02T03:04:05Z' }]);
    expect(sessions()).toBe(1);
    await driver.executeQuery('MATCH (p:ReaderProbe {id: $id}) DELETE p', { id });
  });

  it('fails at once on an error that a retry cannot fix (a syntax error), with Neo4j\'s code', async () => {
    const { driver: counted, sessions } = counting(driver);
    await expect(readRows(counted, 'MATCH (n RETURN n', {})).rejects.toMatchObject({ code: 'Neo.ClientError.Statement.SyntaxError' });
    expect(sessions()).toBe(1);
  });

  it('retries a retryable error (no server on the port) 3 times, 50 then 100 ms apart, then throws it', async () => {
    // A port that was free a moment ago: connections to it are refused (ServiceUnavailable).
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const unreachable = neo4j.driver(`bolt://127.0.0.1:${port}`, undefined, { connectionTimeout: 1000 });
    const { driver: counted, sessions } = counting(unreachable);
    const started = Date.now();
    try {
      await expect(readRows(counted, 'RETURN 1 AS one', {})).rejects.toMatchObject({ code: 'ServiceUnavailable' });
      expect(sessions()).toBe(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    } finally {
      await unreachable.close();
    }
  });
});
