import { existsSync } from 'node:fs';
import neo4j, { type Driver } from 'neo4j-driver';
import { testDriver, uniqueId } from '@test/support';
import { ATTACKS } from './attacks';
import { CypherSandboxError } from './errors';
import { CypherSandbox, type CypherResult } from './runner';

/** Against the run's real Neo4j, which has APOC loaded with apoc.* unrestricted (tools/neo4j). */
describe('CypherSandbox against real Neo4j', () => {
  let driver: Driver;
  let sandbox: CypherSandbox;
  const marker = uniqueId('sandbox');

  const write = async (query: string, params: Record<string, unknown> = {}) => {
    const session = driver.session();
    try {
      return await session.executeWrite((tx) => tx.run(query, params));
    } finally {
      await session.close();
    }
  };
  const read = async (query: string, params: Record<string, unknown> = {}) => {
    const session = driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      return (await session.executeRead((tx) => tx.run(query, params))).records.map((r) => r.toObject());
    } finally {
      await session.close();
    }
  };
  const markerState = () =>
    read('MATCH (n:SandboxMarker) WHERE n.id STARTS WITH $marker RETURN n.id AS id, labels(n) AS labels, properties(n) AS props ORDER BY id', { marker });

  beforeAll(async () => {
    driver = testDriver();
    sandbox = new CypherSandbox(driver, { timeoutMs: 5000, maxRows: 10 });
    await write(
      `CREATE (a:SandboxMarker {id: $marker, name: 'a', at: datetime('2024-01-02T03:04:05Z')})-[:SANDBOX_LINK {w: 2}]->(b:SandboxMarker {id: $marker + '-b', name: 'b'})`,
      { marker },
    );
  });

  afterAll(async () => {
    await write('MATCH (n:SandboxMarker) WHERE n.id STARTS WITH $marker DETACH DELETE n', { marker });
    await driver.close();
  });

  describe('refuses every attack, and none of them changes anything', () => {
    let before: unknown;
    const refusals: { name: string; code: string; rule: string }[] = [];

    beforeAll(async () => {
      before = await markerState();
    });

    it.each(ATTACKS)('$name', async ({ name, query }) => {
      const outcome = await sandbox.run(query, { marker }).then(
        () => null,
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(CypherSandboxError);
      const error = outcome as CypherSandboxError;
      expect(['FORBIDDEN', 'BAD_USER_INPUT']).toContain(error.code);
      refusals.push({ name, code: error.code, rule: error.rule });
    });

    it('left the graph, the server and the file system as they were', async () => {
      expect(refusals).toHaveLength(ATTACKS.length);
      expect(ATTACKS.length).toBeGreaterThanOrEqual(30);
      expect(await markerState()).toEqual(before);
      expect(await read('MATCH (n:Pwned) RETURN count(n) AS c')).toEqual([{ c: neo4j.int(0) }]);
      expect(existsSync('/tmp/catalyst-pwned.json')).toBe(false);
      const triggers = await read("SHOW PROCEDURES YIELD name WHERE name = 'apoc.trigger.list' RETURN count(*) AS c");
      if (Number(triggers[0].c) > 0) {
        const installed = await read("CALL apoc.trigger.list() YIELD name WHERE name = 'pwn' RETURN count(*) AS c").catch(() => [{ c: neo4j.int(0) }]);
        expect(Number(installed[0].c)).toBe(0);
      }
    });
  });

  it('second line: the READ transaction itself refuses a write the lexer would not have seen', async () => {
    const session = driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      await expect(session.executeRead((tx) => tx.run('CREATE (:Pwned {id: $marker})', { marker }))).rejects.toMatchObject({
        code: expect.stringMatching(/AccessMode|Forbidden/),
      });
    } finally {
      await session.close();
    }
  });

  describe('runs what analysts need', () => {
    const run = (query: string, params: Record<string, unknown> = {}): Promise<CypherResult> => sandbox.run(query, { marker, ...params });

    it('returns columns and rows as JSON', async () => {
      const result = await run('MATCH (n:SandboxMarker {id: $marker}) RETURN n.id AS id, n.name AS name, n.at AS at');
      expect(result).toEqual({ columns: ['id', 'name', 'at'], rows: [[marker, 'a', '2024-01-02T03:04:05Z']], truncated: false });
    });

    it('returns nodes, relationships and paths', async () => {
      const result = await run('MATCH p = (a:SandboxMarker {id: $marker})-[r:SANDBOX_LINK]->(b) RETURN a, r, p');
      const [a, r, p] = result.rows[0] as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
      expect(a).toMatchObject({ labels: ['SandboxMarker'], properties: { id: marker, name: 'a' } });
      expect(r).toMatchObject({ type: 'SANDBOX_LINK', properties: { w: 2 }, startElementId: a.elementId });
      expect(p).toMatchObject({ start: { properties: { name: 'a' } }, end: { properties: { name: 'b' } } });
      expect(p.segments).toHaveLength(1);
    });

    it('passes parameters, whole numbers as integers', async () => {
      const result = await run('UNWIND range(1, 100) AS x RETURN x LIMIT $limit', { limit: 3 });
      expect(result.rows).toEqual([[1], [2], [3]]);
    });

    it('stops at the row limit and says so', async () => {
      const cut = await run('UNWIND range(1, 1000000) AS x RETURN x');
      expect(cut.rows).toHaveLength(10);
      expect(cut.rows[9]).toEqual([10]);
      expect(cut.truncated).toBe(true);
      const exact = await run('UNWIND range(1, 10) AS x RETURN x');
      expect(exact.truncated).toBe(false);
    });

    it('stops a query that runs past the timeout', async () => {
      const quick = new CypherSandbox(driver, { timeoutMs: 300, maxRows: 10 });
      const started = Date.now();
      await expect(quick.run('UNWIND range(1, 2000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS c', {})).rejects.toMatchObject({
        code: 'TOO_COMPLEX',
        rule: 'timeout',
      });
      expect(Date.now() - started).toBeLessThan(10_000);
    });

    it.each([
      ['labels', 'CALL db.labels() YIELD label WHERE label = "SandboxMarker" RETURN label'],
      ['a read subquery', 'CALL { MATCH (n:SandboxMarker) WHERE n.id STARTS WITH $marker RETURN count(n) AS c } RETURN c'],
      ['COUNT and EXISTS subqueries', 'MATCH (n:SandboxMarker {id: $marker}) RETURN COUNT { (n)-->() } AS out, EXISTS { (n)<--() } AS hasIn'],
      ['APOC functions', "RETURN apoc.coll.sum([1, 2, 3]) AS s, apoc.text.join(['a', 'b'], '-') AS j"],
      ['an APOC path expansion', 'MATCH (n:SandboxMarker {id: $marker}) CALL apoc.path.subgraphNodes(n, {maxLevel: 1}) YIELD node RETURN count(node) AS c'],
      ['temporal functions', "RETURN duration.between(date('2024-01-01'), date('2024-02-01')) AS d, date.truncate('month', date('2024-05-17')) AS m"],
      ['keywords in strings, comments, map keys and labels', "MATCH (n:SandboxMarker {id: $marker}) // CREATE\nRETURN {create: n.name, set: 'DELETE'} AS m"],
      ['aggregation', 'MATCH (n:SandboxMarker) WHERE n.id STARTS WITH $marker RETURN count(*) AS c, collect(n.name) AS names'],
    ])('runs %s', async (_name, query) => {
      const result = await run(query);
      expect(result.columns.length).toBeGreaterThan(0);
      expect(result.rows.length).toBeGreaterThan(0);
    });

    it('reports a syntax error as bad input, with Neo4j’s message', async () => {
      await expect(run('MATCH (n RETURN n')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', rule: 'cypher' });
    });

    it('refuses params that are not an object', async () => {
      await expect(sandbox.run('RETURN 1 AS one', [1, 2])).rejects.toMatchObject({ code: 'BAD_USER_INPUT', rule: 'isObject' });
    });
  });
});
