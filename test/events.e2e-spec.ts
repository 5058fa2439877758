import { randomUUID } from 'node:crypto';
import { uniqueId } from '@test/support';
import { startTestApp, type TestApp } from '@test/support/app';
import { gql, gqlOk } from '@test/support/graphql';

interface Page {
  events: {
    edges: { cursor: string; node: { id: string; type: string; revision: number; position: string; data: Record<string, unknown>; metadata: Record<string, unknown> } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const EVENTS = `query($streamId: String, $fromPosition: String, $first: Int, $after: String) {
  events(streamId: $streamId, fromPosition: $fromPosition, first: $first, after: $after) {
    edges { cursor node { id type revision position data metadata } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('the raw log over GraphQL, upcast', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('pages through a stream and the log, and upcasts a v0 ResponderJoined on every read path', async () => {
    const incidentId = uniqueId('INC');
    const personId = uniqueId('old');
    const streamId = `incident-${incidentId}`;
    await gqlOk(app.url, `mutation($i: DeclareIncidentInput!) { declareIncident(input: $i) { position } }`, {
      i: { incidentId, title: 'Legacy import', severity: 'SEV3', occurredAt: '2020-05-01T10:00:00Z' },
    });
    // A v0 event as an old writer stored it: no role.
    const legacy = await app.infrastructure.store.append(streamId, [
      { id: randomUUID(), type: 'ResponderJoined', data: { incidentId, personId, occurredAt: '2020-05-01T10:05:00Z' }, metadata: { schemaVersion: 0, source: 'legacy' } },
    ]);
    await gqlOk(app.url, `mutation($i: AddTimelineNoteInput!) { addTimelineNote(input: $i) { position } }`, {
      i: { incidentId, noteId: 'n1', text: 'Found it', occurredAt: '2020-05-01T10:06:00Z' },
    });

    const first = await gqlOk<Page>(app.url, EVENTS, { streamId, first: 2 });
    expect(first.events.edges.map((e) => [e.cursor, e.node.type])).toEqual([
      ['0', 'IncidentDeclared'],
      ['1', 'ResponderJoined'],
    ]);
    expect(first.events.edges[1].node.data).toEqual({ incidentId, personId, occurredAt: '2020-05-01T10:05:00Z', role: 'responder' });
    expect(first.events.edges[1].node.metadata).toMatchObject({ schemaVersion: 1, source: 'legacy' });
    expect(first.events.pageInfo).toEqual({ hasNextPage: true, endCursor: '1' });

    const second = await gqlOk<Page>(app.url, EVENTS, { streamId, first: 2, after: '1' });
    expect(second.events.edges.map((e) => e.node.type)).toEqual(['TimelineNoteAdded']);
    expect(second.events.pageInfo.hasNextPage).toBe(false);

    const log = await gqlOk<Page>(app.url, EVENTS, { fromPosition: String(BigInt(legacy.position) - 1n), first: 1 });
    expect(log.events.edges[0].node).toMatchObject({ position: legacy.position, type: 'ResponderJoined', data: { role: 'responder' } });

    const incident = await gqlOk<{ incident: { responders: { person: { id: string }; role: string }[] } }>(
      app.url,
      `query($id: String!) { incident(id: $id) { responders { person { id } role } } }`,
      { id: incidentId },
      { 'X-Min-Position': legacy.position },
    );
    expect(incident.incident.responders).toEqual([{ person: { id: personId }, role: 'responder' }]);
  });

  it('names the argument and the rule of a bad request', async () => {
    const both = await gql(app.url, EVENTS, { streamId: 'incident-x', fromPosition: '0' });
    expect(both.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'fromPosition', rule: 'exclusive' }] });
    const tooMany = await gql(app.url, EVENTS, { first: 5000 });
    expect(tooMany.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'first', rule: 'range' }] });
  });
});
