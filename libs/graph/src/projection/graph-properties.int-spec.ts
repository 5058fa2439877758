import { join } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { SqliteEventStore } from '@app/event-store';
import { tempDir, testDriver, uniqueId } from '@test/support';
import { canonicalDump } from '../testing/canonical-dump';
import { appendAll, countEvents, generateHistory, interleave, type Interleaving } from '../testing/history';
import { entry, projectToHead, type LogEntry } from '../testing/log';

/** Properties of the whole graph: order independence, idempotency, placeholders in any order. */
describe('the projected graph (real Neo4j, real SQLite)', () => {
  let driver: Driver;
  const stores: SqliteEventStore[] = [];

  beforeAll(() => {
    driver = testDriver();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await driver.close();
  });

  function newStore(): SqliteEventStore {
    const store = new SqliteEventStore(join(tempDir(), 'events.sqlite'));
    stores.push(store);
    return store;
  }

  /** A log of `entries` in its own store, projected by its own projection; the dump of its prefix. */
  async function project(prefix: string, entries: LogEntry[], batchSize = 50) {
    const store = newStore();
    await appendAll(store, entries);
    await projectToHead(driver, store, uniqueId('proj'), { batchSize });
    return canonicalDump(driver, { prefix });
  }

  const size = { people: 16, teams: 5, services: 8, incidents: 14 };

  it('is the same whether the org history comes before the incidents, after them, or interleaved', async () => {
    const orders: Interleaving[] = ['org-first', 'incidents-first', 'shuffled'];
    const dumps = [];
    for (const [n, order] of orders.entries()) {
      const prefix = `${uniqueId('order')}.`;
      // The same seed: the same events (ids included) in another id space.
      dumps.push(await project(prefix, interleave(generateHistory({ prefix, seed: 42, ...size }), order), [50, 1, 13][n]));
    }
    expect(dumps[0].nodes.length).toBeGreaterThan(60);
    expect(dumps[0].relationships.length).toBeGreaterThan(200);
    expect(dumps[0].nodes.some((node) => node.includes('"placeholder":true'))).toBe(true);
    expect(dumps[1]).toEqual(dumps[0]);
    expect(dumps[2]).toEqual(dumps[0]);
    // Three projections, one of them an event per transaction: about 60 s alone on 2 cores since the incident
    // rollups, over 120 s beside the property test. A harness limit, not a speed goal (bench/ has those).
  }, 300_000);

  it('changes nothing when the same log is projected again', async () => {
    const prefix = `${uniqueId('again')}.`;
    const history = generateHistory({ prefix, seed: 7, ...size });
    const store = newStore();
    await appendAll(store, interleave(history, 'shuffled'));
    const name = uniqueId('proj');
    await projectToHead(driver, store, name, { batchSize: 40 });
    const first = await canonicalDump(driver, { prefix });

    await driver.executeQuery('MATCH (c:ProjectionCheckpoint {name: $name}) SET c.position = 0', { name });
    const replay = await projectToHead(driver, store, name, { batchSize: 9 });
    expect(replay.metrics().eventsProjected).toBe(countEvents(history));
    expect(await canonicalDump(driver, { prefix })).toEqual(first);
  });

  it('completes placeholders in place whatever the order of registration and reference', async () => {
    const at = (day: number) => `2024-02-${String(day).padStart(2, '0')}T00:00:00Z`;
    const org = (p: string) => [
      entry('PersonRegistered', { personId: `${p}ana`, name: 'Ana', timeZone: 'Europe/Berlin', occurredAt: at(1) }),
      entry('TeamFormed', { teamId: `${p}pay`, name: 'Payments', occurredAt: at(1) }),
      entry('TeamMemberAdded', { teamId: `${p}pay`, personId: `${p}ana`, occurredAt: at(2) }),
      entry('ServiceRegistered', { serviceId: `${p}checkout`, name: 'Checkout', tier: 1, occurredAt: at(1) }),
      entry('ServiceOwnershipAssigned', { serviceId: `${p}checkout`, teamId: `${p}pay`, occurredAt: at(3) }),
    ];
    const incident = (p: string) => [
      entry('IncidentDeclared', { incidentId: `${p}INC`, title: 'Down', severity: 'SEV1', declaredBy: `${p}ana`, impactedServiceIds: [`${p}checkout`], occurredAt: at(5) }),
      entry('ResponderJoined', { incidentId: `${p}INC`, personId: `${p}ana`, role: 'commander', occurredAt: at(5) }),
      entry('ResponderJoined', { incidentId: `${p}INC`, personId: `${p}ghost`, role: 'expert', occurredAt: at(5) }),
      entry('ActionItemCreated', { incidentId: `${p}INC`, actionItemId: 'a1', title: 'Fix', ownerTeamId: `${p}pay`, ownerPersonId: `${p}ana`, occurredAt: at(6) }),
    ];
    // Event ids are part of the graph (relationship keys): both orders use the same events.
    const pair = (p: string, q: string) => {
      const [left, right] = [org(p), incident(p)];
      const rename = (e: LogEntry): LogEntry => JSON.parse(JSON.stringify(e).split(p).join(q)) as LogEntry;
      return { registeredFirst: [...left, ...right], referencedFirst: [...right, ...left].map(rename) };
    };
    const [p, q] = [`${uniqueId('ph')}.`, `${uniqueId('ph')}.`];
    const logs = pair(p, q);
    const registeredFirst = await project(p, logs.registeredFirst, 1);
    const referencedFirst = await project(q, logs.referencedFirst, 1);
    expect(referencedFirst).toEqual(registeredFirst);
    const placeholders = registeredFirst.nodes.filter((node) => node.includes('"placeholder":true'));
    expect(placeholders).toEqual([expect.stringContaining('Person:<prefix>ghost')]);
  });
});
