import { eventually, uniqueId } from '@test/support';
import { startTestApp, type TestApp } from '@test/support/app';
import { gqlOk } from '@test/support/graphql';
import { collect, wsClient } from '@test/support/ws';

const EVENTS = `subscription($filter: EventFilterInput) { events(filter: $filter) { id type streamId revision position data } }`;
type Delivered = { id: string; type: string; streamId: string; position: string; data: Record<string, unknown> };

describe('subscriptions over graphql-ws', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  const registerPeople = (count: number, prefix: string) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        gqlOk(app.url, `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { position } }`, {
          i: { personId: `${prefix}-${i}`, name: `P${i}`, timeZone: 'Europe/Paris' },
        }),
      ),
    );

  it('catches up from a position and goes live with nothing missed or repeated, while appends race the catch-up', async () => {
    await registerPeople(20, uniqueId('before'));
    const client = wsClient(app.url);
    try {
      const racing = registerPeople(40, uniqueId('racing'));
      const subscription = collect(client, EVENTS, { filter: { fromPosition: '0' } }, (d) => d.events as Delivered);
      await racing;
      await registerPeople(10, uniqueId('after'));
      const head = await app.infrastructure.store.headPosition();
      await eventually(async () => (subscription.items.at(-1)?.position === head ? true : undefined), 20_000, 'the head to be delivered');
      subscription.stop();
      const log = await app.infrastructure.store.readAll({ fromPosition: '0', maxCount: 10_000 });
      expect(subscription.errors).toEqual([]);
      expect(subscription.items.map((e) => [e.position, e.id])).toEqual(log.map((e) => [e.position, e.id]));
    } finally {
      await client.dispose();
    }
  });

  it('filters by type, stream and category, and delivers upcast events', async () => {
    const client = wsClient(app.url);
    try {
      const incidentId = uniqueId('INC');
      const subscription = collect(client, EVENTS, { filter: { types: ['ResponderJoined'], categories: ['incident'] } }, (d) => d.events as Delivered);
      await new Promise((resolve) => setTimeout(resolve, 300)); // live only: subscribe before appending
      await gqlOk(app.url, `mutation($i: DeclareIncidentInput!) { declareIncident(input: $i) { position } }`, { i: { incidentId, title: 'Live', severity: 'SEV4' } });
      await gqlOk(app.url, `mutation($i: AddResponderInput!) { addResponder(input: $i) { position } }`, { i: { incidentId, personId: 'someone', role: 'scribe' } });
      await eventually(async () => (subscription.items.length >= 1 ? true : undefined), 10_000, 'the ResponderJoined event');
      subscription.stop();
      expect(subscription.items.map((e) => [e.type, e.streamId, e.data.role])).toEqual([['ResponderJoined', `incident-${incidentId}`, 'scribe']]);
    } finally {
      await client.dispose();
    }
  });

  it('refuses an unknown event type in the filter, naming it', async () => {
    const client = wsClient(app.url);
    try {
      const subscription = collect(client, EVENTS, { filter: { types: ['NoSuchThing'] } }, (d) => d.events as Delivered);
      await subscription.done;
      expect(JSON.stringify(subscription.errors)).toContain('filter.types[0]');
    } finally {
      await client.dispose();
    }
  });

  it('streams projection progress until the projection reaches the head', async () => {
    const client = wsClient(app.url);
    try {
      const progress = collect(client, `subscription { projectionProgress { position headPosition lag } }`, {}, (d) => d.projectionProgress as { position: string; headPosition: string; lag: string });
      const [last] = (await registerPeople(1, uniqueId('progress'))) as { registerPerson: { position: string } }[];
      await eventually(
        async () => (progress.items.some((p) => p.position === last.registerPerson.position && p.lag === '0') ? true : undefined),
        20_000,
        'progress to reach the last write',
      );
      progress.stop();
      expect(progress.errors).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});
