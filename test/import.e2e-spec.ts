import { SqliteEventStore } from '@app/event-store';
import { ImportService } from '../apps/api/src/commands/import.service';
import { uniqueId } from '@test/support';
import { sqlitePathOf, startTestApp, type TestApp } from '@test/support/app';
import { gql, gqlOk } from '@test/support/graphql';

const IMPORT = `mutation Import($events: [EventInput!]!) { importEvents(events: $events) { appended skippedDuplicates lastPosition } }`;

interface ImportResult {
  importEvents: { appended: number; skippedDuplicates: number; lastPosition: string | null };
}

function history(ids: { person: string; team: string; service: string; incident: string }) {
  const at = (minute: number) => `2022-11-03T14:${String(minute).padStart(2, '0')}:00Z`;
  return [
    { type: 'PersonRegistered', data: { personId: ids.person, name: 'Ana Lima', timeZone: 'America/Sao_Paulo', occurredAt: '2022-01-01T00:00:00Z' } },
    { type: 'TeamFormed', data: { teamId: ids.team, name: 'Payments', occurredAt: '2022-01-01T00:00:00Z' } },
    { type: 'ServiceRegistered', data: { serviceId: ids.service, name: 'Checkout', tier: 1, occurredAt: '2022-01-01T00:00:00Z' } },
    { type: 'ServiceOwnershipAssigned', data: { serviceId: ids.service, teamId: ids.team, occurredAt: '2022-01-02T00:00:00Z' } },
    {
      type: 'IncidentDeclared',
      data: { incidentId: ids.incident, title: 'Card payments time out', severity: 'SEV2', impactedServiceIds: [ids.service], occurredAt: at(0) },
      metadata: { actor: 'legacy-tracker', correlationId: 'export-2022' },
    },
    { type: 'ResponderJoined', data: { incidentId: ids.incident, personId: ids.person, role: 'commander', occurredAt: at(5) } },
    { type: 'IncidentResolved', data: { incidentId: ids.incident, resolvedBy: ids.person, occurredAt: at(50) } },
  ];
}

describe('importEvents over HTTP', () => {
  let app: TestApp;
  let store: SqliteEventStore;

  beforeAll(async () => {
    // A loaded machine can take more than the default 10 s to project the first events.
    app = await startTestApp({ MIN_POSITION_WAIT_MS: '60000' });
    store = new SqliteEventStore(sqlitePathOf(app.dataDir));
  });
  afterAll(async () => {
    await store?.close();
    await app?.close();
  });

  const newIds = () => ({ person: uniqueId('ana'), team: uniqueId('payments'), service: uniqueId('checkout'), incident: uniqueId('INC') });

  it('refuses the whole list when one event is bad, naming its field and rule, and appends nothing', async () => {
    const events = history(newIds());
    events.splice(2, 0, { type: 'PersonRegistered', data: { personId: uniqueId('bo'), name: 'Bo', timeZone: 'CET', occurredAt: '2022-01-01T00:00:00Z' } });
    const before = await store.headPosition();
    const result = await gql(app.url, IMPORT, { events });
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fieldErrors: [{ field: 'events[2].data.timeZone', rule: 'isIanaTimeZone', message: expect.any(String) }],
    });
    expect(await store.headPosition()).toBe(before);
  });

  it('refuses a list with an event its stream does not allow as a CONFLICT naming the event and the rule', async () => {
    const ids = newIds();
    const events = history(ids);
    events.push({ type: 'ResponderJoined', data: { incidentId: ids.incident, personId: uniqueId('cy'), role: 'scribe', occurredAt: '2022-11-03T15:00:00Z' } });
    const before = await store.headPosition();
    const result = await gql(app.url, IMPORT, { events });
    expect(result.errors![0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'incident.resolved', fieldErrors: [{ field: 'events[7]', rule: 'incident.resolved' }] });
    expect(await store.headPosition()).toBe(before);
  });

  it('appends a valid list, skips it as duplicates the second time, and the graph shows it at lastPosition', async () => {
    const ids = newIds();
    const events = history(ids);
    const first = await gqlOk<ImportResult>(app.url, IMPORT, { events });
    expect(first.importEvents).toEqual({ appended: events.length, skippedDuplicates: 0, lastPosition: await store.headPosition() });

    const again = await gqlOk<ImportResult>(app.url, IMPORT, { events });
    expect(again.importEvents).toEqual({ appended: 0, skippedDuplicates: events.length, lastPosition: null });

    const stored = await store.readStream(`incident-${ids.incident}`);
    expect(stored.map((e) => e.type)).toEqual(['IncidentDeclared', 'ResponderJoined', 'IncidentResolved']);
    expect(stored[0].metadata).toMatchObject({ source: 'import:graphql', actor: 'legacy-tracker', correlationId: 'export-2022', schemaVersion: 1 });
    expect(stored[1].metadata).toMatchObject({ source: 'import:graphql', actor: 'anonymous' });

    const read = await gqlOk<{ incident: Record<string, unknown> }>(
      app.url,
      `query($id: String!) { incident(id: $id) { id title severity status declaredAt resolvedAt
        responders { person { id name } role joinedAt }
        impactedServices { service { id name } owningTeam { id name } } } }`,
      { id: ids.incident },
      { 'X-Min-Position': first.importEvents.lastPosition! },
    );
    expect(read.incident).toEqual({
      id: ids.incident,
      title: 'Card payments time out',
      severity: 'SEV2',
      status: 'resolved',
      declaredAt: '2022-11-03T14:00:00Z',
      resolvedAt: '2022-11-03T14:50:00Z',
      responders: [{ person: { id: ids.person, name: 'Ana Lima' }, role: 'commander', joinedAt: '2022-11-03T14:05:00Z' }],
      impactedServices: [{ service: { id: ids.service, name: 'Checkout' }, owningTeam: { id: ids.team, name: 'Payments' } }],
    });
  });

  it('bounds the list size with a clear error', async () => {
    // Called on the running app's service: over HTTP a list this long is already over the server's
    // JSON body limit (Nest's default, 100 kB), which answers 413 before GraphQL sees it.
    const events = Array.from({ length: 10_001 }, () => ({ type: 'PersonRegistered', data: {} }));
    const service = app.app.get(ImportService);
    await expect(service.importEvents(events, { correlationId: 'c', actor: 'test' })).rejects.toMatchObject({
      code: 'INVALID',
      fieldErrors: [{ field: 'events', rule: 'arrayMaxSize', message: expect.stringContaining('at most 10000 events') }],
    });
  });
});
