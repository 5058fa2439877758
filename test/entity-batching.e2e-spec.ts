import { uniqueId } from '@test/support';
import { startTestApp, type TestApp } from '@test/support/app';
import { gqlOk } from '@test/support/graphql';
import { StatementCounter } from '../apps/api/src/views/statement-counter';

/**
 * Reads of related data are batched: 100 incidents with their responders and impacted services cost
 * one Cypher statement, through the hand-written `incident(id)` (DataLoader over one UNWIND query)
 * and through the generated layer's `viewIncidents` (one statement per request by design).
 * Statements are counted by the StatementCounter that wraps the API's Neo4j driver.
 */
const p = `${uniqueId('batch')}-`;
const N = 100;
const incidentId = (i: number) => `${p}INC-${String(i).padStart(3, '0')}`;
const declaredAt = (i: number) => new Date(Date.UTC(2031, 0, 1, 0, i)).toISOString();

function history() {
  const e = (type: string, data: Record<string, unknown>) => ({ type, data });
  const events = [
    e('PersonRegistered', { personId: `${p}ana`, name: 'Ana', timeZone: 'Europe/Berlin', occurredAt: '2030-01-01T00:00:00Z' }),
    e('PersonRegistered', { personId: `${p}bo`, name: 'Bo', timeZone: 'Europe/Berlin', occurredAt: '2030-01-01T00:00:00Z' }),
    e('ServiceRegistered', { serviceId: `${p}api`, name: 'API', occurredAt: '2030-01-01T00:00:00Z' }),
    e('ServiceRegistered', { serviceId: `${p}db`, name: 'DB', occurredAt: '2030-01-01T00:00:00Z' }),
  ];
  for (let i = 0; i < N; i++) {
    const id = incidentId(i);
    const services = i % 2 === 0 ? [`${p}api`] : [`${p}api`, `${p}db`];
    events.push(e('IncidentDeclared', { incidentId: id, title: `Incident ${i}`, severity: 'SEV2', impactedServiceIds: services, occurredAt: declaredAt(i) }));
    events.push(e('ResponderJoined', { incidentId: id, personId: `${p}ana`, role: 'commander', occurredAt: declaredAt(i + 1) }));
    if (i % 3 === 0) events.push(e('ResponderJoined', { incidentId: id, personId: `${p}bo`, role: 'expert', occurredAt: declaredAt(i + 2) }));
  }
  return events;
}

interface IncidentRow {
  id: string;
  responders: { person: { id: string } }[];
  impactedServices: { service: { id: string } }[];
}

describe('batched reads of related data', () => {
  let app: TestApp;
  let counter: StatementCounter;
  let minPosition: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({ MIN_POSITION_WAIT_MS: '200000', MAX_ALIASES: '200', MAX_TOKENS: '20000' });
    counter = app.app.get(StatementCounter);
    const result = await gqlOk<{ importEvents: { lastPosition: string } }>(
      app.url,
      `mutation($events: [EventInput!]!) { importEvents(events: $events) { lastPosition } }`,
      { events: history() },
    );
    minPosition = { 'x-min-position': result.importEvents.lastPosition };
    // Wait here for the projection (a cold, shared Neo4j can take tens of seconds on a busy machine).
    await gqlOk(app.url, `query { projection { position } }`, {}, minPosition);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
  });

  const check = (rows: IncidentRow[]) => {
    expect(rows).toHaveLength(N);
    rows.forEach((row, i) => {
      expect(row.id).toBe(incidentId(i));
      expect(row.responders.map((r) => r.person.id)).toEqual(i % 3 === 0 ? [`${p}ana`, `${p}bo`] : [`${p}ana`]);
      expect(row.impactedServices.map((s) => s.service.id)).toEqual(i % 2 === 0 ? [`${p}api`] : [`${p}api`, `${p}db`]);
    });
  };

  it('hand-written incident(id) x 100 (aliases) with responders and services: one statement', async () => {
    const fields = Array.from({ length: N }, (_, i) => `i${i}: incident(id: "${incidentId(i)}") { ...f }`).join('\n');
    const query = `query { ${fields} unknown: incident(id: "${p}nope") { id } }
      fragment f on Incident { id responders { person { id } } impactedServices { service { id } } }`;
    await gqlOk(app.url, `query { incident(id: "${incidentId(0)}") { id } }`, {}, minPosition); // projection caught up
    counter.reset();
    const data = await gqlOk<Record<string, IncidentRow | null>>(app.url, query);
    const statements = counter.count;
    check(Array.from({ length: N }, (_, i) => data[`i${i}`]!));
    expect(data.unknown).toBeNull();
    expect(statements).toBe(1);
  });

  it('generated viewIncidents(limit: 100) with responders and services: one statement', async () => {
    const query = `query($prefix: ID!) { viewIncidents(limit: 100, where: { id: { startsWith: $prefix } }, sort: [{ id: ASC }]) {
         id responders(sort: [{ id: ASC }]) { id } impactedServices(sort: [{ id: ASC }]) { id } } }`;
    // The first request of the generated layer also reads the database version once (dbms.components).
    counter.reset();
    await gqlOk(app.url, query, { prefix: p });
    expect(counter.count).toBeLessThanOrEqual(2);
    counter.reset();
    const data = await gqlOk<{ viewIncidents: { id: string; responders: { id: string }[]; impactedServices: { id: string }[] }[] }>(app.url, query, { prefix: p });
    const statements = counter.count;
    check(
      data.viewIncidents.map((row) => ({
        id: row.id,
        responders: row.responders.map((r) => ({ person: r })),
        impactedServices: row.impactedServices.map((s) => ({ service: s })),
      })),
    );
    expect(statements).toBe(1);
  });
});
