import { GraphQLSchemaHost } from '@nestjs/graphql';
import { uniqueId } from '@test/support';
import { startTestApp, type TestApp } from '@test/support/app';
import { gql, gqlOk } from '@test/support/graphql';

/**
 * Custom views (docs/custom-views.md) end to end: a history loaded through `importEvents`, then the
 * generated read layer answers "SEV1 incidents of the last quarter whose responders include someone
 * outside the owning team, longest first", two pages with cursors and the total count.
 * The Neo4j is shared with other tests: every view is filtered by this test's id prefix.
 */
const p = `${uniqueId('cv')}-`;
const id = (name: string) => `${p}${name}`;

// The last quarter: the calendar quarter before the current one.
const now = new Date();
const thisQuarter = Date.UTC(now.getUTCFullYear(), Math.floor(now.getUTCMonth() / 3) * 3, 1);
const quarterStart = new Date(thisQuarter);
quarterStart.setUTCMonth(quarterStart.getUTCMonth() - 3);
const from = quarterStart.toISOString();
const to = new Date(thisQuarter).toISOString();
/** `days` days and `minutes` minutes into the last quarter. */
const inQuarter = (days: number, minutes = 0) => new Date(quarterStart.getTime() + days * 86_400_000 + minutes * 60_000).toISOString();
const before = new Date(quarterStart.getTime() - 30 * 86_400_000).toISOString();
const longAgo = new Date(quarterStart.getTime() - 400 * 86_400_000).toISOString();

interface Spec { key: string; severity: string; declaredAt: string; minutes: number; responders: string[] }
/** Incidents on the Payments-owned service; `bo` (Platform) is the outsider. */
const incidents: Spec[] = [
  { key: 'I1', severity: 'SEV1', declaredAt: inQuarter(3), minutes: 30, responders: ['ana', 'bo'] }, // match
  { key: 'I2', severity: 'SEV1', declaredAt: inQuarter(4), minutes: 300, responders: ['ana', 'cy'] }, // only the owners
  { key: 'I3', severity: 'SEV2', declaredAt: inQuarter(5), minutes: 200, responders: ['bo'] }, // SEV2
  { key: 'I4', severity: 'SEV1', declaredAt: before, minutes: 400, responders: ['bo'] }, // before the quarter
  { key: 'I5', severity: 'SEV1', declaredAt: inQuarter(10), minutes: 90, responders: ['bo', 'cy'] }, // match
  { key: 'I6', severity: 'SEV1', declaredAt: inQuarter(20), minutes: 10, responders: ['bo'] }, // match
  { key: 'I7', severity: 'SEV1', declaredAt: inQuarter(30), minutes: 60, responders: ['ana', 'bo'] }, // match
];

function history() {
  const e = (type: string, data: Record<string, unknown>) => ({ type, data });
  const events = [
    e('TeamFormed', { teamId: id('payments'), name: 'Payments', occurredAt: longAgo }),
    e('TeamFormed', { teamId: id('platform'), name: 'Platform', occurredAt: longAgo }),
    e('PersonRegistered', { personId: id('ana'), name: 'Ana', timeZone: 'Europe/Berlin', occurredAt: longAgo }),
    e('PersonRegistered', { personId: id('bo'), name: 'Bo', timeZone: 'Asia/Tokyo', occurredAt: longAgo }),
    e('PersonRegistered', { personId: id('cy'), name: 'Cy', timeZone: 'Europe/Berlin', occurredAt: longAgo }),
    e('TeamMemberAdded', { teamId: id('payments'), personId: id('ana'), role: 'lead', occurredAt: longAgo }),
    e('TeamMemberAdded', { teamId: id('payments'), personId: id('cy'), occurredAt: longAgo }),
    e('TeamMemberAdded', { teamId: id('platform'), personId: id('bo'), occurredAt: longAgo }),
    e('ServiceRegistered', { serviceId: id('checkout'), name: 'Checkout', occurredAt: longAgo }),
    e('ServiceOwnershipAssigned', { serviceId: id('checkout'), teamId: id('payments'), occurredAt: longAgo }),
  ];
  for (const spec of incidents) {
    const incidentId = id(spec.key);
    const declared = new Date(spec.declaredAt).getTime();
    const plus = (minutes: number) => new Date(declared + minutes * 60_000).toISOString();
    events.push(e('IncidentDeclared', { incidentId, title: `Incident ${spec.key}`, severity: spec.severity, impactedServiceIds: [id('checkout')], occurredAt: spec.declaredAt }));
    spec.responders.forEach((person, i) =>
      events.push(e('ResponderJoined', { incidentId, personId: id(person), role: i === 0 ? 'commander' : 'expert', occurredAt: plus(1 + i) })),
    );
    events.push(e('IncidentResolved', { incidentId, occurredAt: plus(spec.minutes) }));
  }
  return events;
}

const VIEW = `
  query($prefix: ID!, $from: ViewDateTime!, $to: ViewDateTime!, $first: Int, $after: String) {
    viewIncidentsConnection(
      first: $first
      after: $after
      where: {
        id: { startsWith: $prefix }
        severity: { eq: "SEV1" }
        declaredAt: { gte: $from, lt: $to }
        engagementsConnection: { some: { edge: { outsider: { eq: true } } } }
      }
      sort: [{ durationSeconds: DESC }]
    ) {
      totalCount
      aggregate { count { nodes } node { declaredAt { min max } } }
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id severity declaredAt resolvedAt durationSeconds
          respondersConnection(sort: [{ edge: { joinedAt: ASC } }]) {
            edges {
              properties { role joinedAt }
              node { id memberOfConnection { edges { properties { role since until } node { id name } } } }
            }
          }
          impactedServices { id owners { id } }
        }
      }
    }
  }`;

interface Page {
  viewIncidentsConnection: {
    totalCount: number;
    aggregate: { count: { nodes: number }; node: { declaredAt: { min: string; max: string } } };
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: {
      cursor: string;
      node: {
        id: string;
        severity: string;
        declaredAt: string;
        resolvedAt: string;
        durationSeconds: number;
        respondersConnection: {
          edges: { properties: { role: string; joinedAt: string }; node: { id: string; memberOfConnection: { edges: { properties: { role: string; since: string; until: string | null }; node: { id: string; name: string } }[] } } }[];
        };
        impactedServices: { id: string; owners: { id: string }[] }[];
      };
    }[];
  };
}

describe('custom views (generated read layer)', () => {
  let app: TestApp;
  let minPosition: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({ MIN_POSITION_WAIT_MS: '200000', VIEWS_MAX_PAGE_SIZE: '50' });
    const result = await gqlOk<{ importEvents: { appended: number; lastPosition: string } }>(
      app.url,
      `mutation($events: [EventInput!]!) { importEvents(events: $events) { appended lastPosition } }`,
      { events: history() },
    );
    expect(result.importEvents.appended).toBe(history().length);
    minPosition = { 'x-min-position': result.importEvents.lastPosition };
    // Wait here for the projection (a cold, shared Neo4j can take tens of seconds on a busy machine).
    await gqlOk(app.url, `query { projection { position } }`, {}, minPosition);
  }, 240_000);
  afterAll(async () => {
    await app?.close();
  });

  it('SEV1 incidents of the last quarter with an outside responder, longest first, two pages with the total count', async () => {
    // Worked out from the history: I1, I5, I6, I7 match (I2 has only owners, I3 is SEV2, I4 is before the quarter).
    const expected = incidents
      .filter((s) => s.severity === 'SEV1' && s.declaredAt >= from && s.declaredAt < to && s.responders.includes('bo'))
      .sort((a, b) => b.minutes - a.minutes);
    expect(expected.map((s) => s.key)).toEqual(['I5', 'I7', 'I1', 'I6']);

    const vars = { prefix: p, from, to, first: 3 };
    const page1 = await gqlOk<Page>(app.url, VIEW, vars, minPosition);
    const c1 = page1.viewIncidentsConnection;
    expect(c1.totalCount).toBe(4);
    expect(c1.aggregate.count.nodes).toBe(4);
    expect(new Date(c1.aggregate.node.declaredAt.min).toISOString()).toBe(inQuarter(3));
    expect(new Date(c1.aggregate.node.declaredAt.max).toISOString()).toBe(inQuarter(30));
    expect(c1.edges.map((e) => e.node.id)).toEqual(expected.slice(0, 3).map((s) => id(s.key)));
    expect(c1.edges.map((e) => e.node.durationSeconds)).toEqual(expected.slice(0, 3).map((s) => s.minutes * 60));
    expect(c1.pageInfo.hasNextPage).toBe(true);
    expect(c1.pageInfo.endCursor).toBe(c1.edges[2].cursor);

    const page2 = await gqlOk<Page>(app.url, VIEW, { ...vars, after: c1.pageInfo.endCursor }, minPosition);
    const c2 = page2.viewIncidentsConnection;
    expect(c2.totalCount).toBe(4);
    expect(c2.edges.map((e) => e.node.id)).toEqual([id('I6')]);
    expect(c2.pageInfo.hasNextPage).toBe(false);

    // Relationship properties come through: the responders' stints and their (temporal) memberships.
    const i5 = c1.edges[0].node;
    expect(i5.severity).toBe('SEV1');
    expect(new Date(i5.declaredAt).toISOString()).toBe(inQuarter(10));
    expect(i5.respondersConnection.edges.map((e) => [e.node.id, e.properties.role, new Date(e.properties.joinedAt).toISOString()])).toEqual([
      [id('bo'), 'commander', inQuarter(10, 1)],
      [id('cy'), 'expert', inQuarter(10, 2)],
    ]);
    const bo = i5.respondersConnection.edges[0].node.memberOfConnection.edges;
    expect(bo.map((m) => [m.node.id, m.node.name, m.properties.role, new Date(m.properties.since).toISOString(), m.properties.until])).toEqual([
      [id('platform'), 'Platform', 'member', longAgo, null],
    ]);
    expect(i5.impactedServices).toEqual([{ id: id('checkout'), owners: [{ id: id('payments') }] }]);
  });

  it('filters on related nodes: people of the Payments team, with counts per list', async () => {
    const data = await gqlOk<{ viewPeople: { id: string; memberOf: { id: string }[] }[]; viewPeopleConnection: { totalCount: number } }>(
      app.url,
      `query($prefix: ID!, $team: ID!) {
         viewPeople(where: { id: { startsWith: $prefix }, memberOf: { some: { id: { eq: $team } } } }, sort: [{ id: ASC }]) { id memberOf { id } }
         viewPeopleConnection(where: { id: { startsWith: $prefix } }) { totalCount }
       }`,
      { prefix: p, team: id('payments') },
      minPosition,
    );
    expect(data.viewPeople).toEqual([
      { id: id('ana'), memberOf: [{ id: id('payments') }] },
      { id: id('cy'), memberOf: [{ id: id('payments') }] },
    ]);
    expect(data.viewPeopleConnection.totalCount).toBe(3);
  });

  it('refuses a page larger than VIEWS_MAX_PAGE_SIZE, naming the argument, at the root and nested', async () => {
    const root = await gql(app.url, `query { viewIncidentsConnection(first: 51) { totalCount } }`);
    expect(root.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(root.errors?.[0].message).toMatch(/first of viewIncidentsConnection is 51; the maximum page size is 50 \(VIEWS_MAX_PAGE_SIZE\)/);
    const nested = await gql(app.url, `query($n: Int) { viewTeams(limit: 5) { id membersConnection(first: $n) { totalCount } } }`, { n: 500 });
    expect(nested.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(nested.errors?.[0].message).toMatch(/first of viewTeams\.membersConnection is 500/);
    const ok = await gql(app.url, `query { viewIncidents(limit: 50, where: { id: { eq: "${p}none" } }) { id } }`);
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ viewIncidents: [] });
  });

  it('is read-only and keeps internal nodes and the hand-written names apart', () => {
    const schema = app.app.get(GraphQLSchemaHost).schema;
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
    // No generated create/update/delete: every write goes through the event-sourced commands.
    expect(mutations.filter((m) => m.startsWith('view') || /View/.test(m))).toEqual([]);
    expect(schema.getSubscriptionType()?.getFields().viewIncidentCreated).toBeUndefined();
    const queries = Object.keys(schema.getQueryType()!.getFields());
    expect(queries.filter((q) => q.startsWith('view')).sort()).toEqual(
      ['ActionItems', 'ContributingFactors', 'Incidents', 'People', 'Reviews', 'Services', 'Teams', 'TimeZones']
        .flatMap((n) => [`view${n}`, `view${n}Connection`])
        .sort(),
    );
    expect(queries.some((q) => /checkpoint|timelinenote/i.test(q))).toBe(false);
    for (const hand of ['incident', 'team', 'service', 'events', 'projection']) expect(queries).toContain(hand);
    // Both DateTime scalars exist: the hand-written one and the generated layer's, renamed.
    expect(schema.getType('DateTime')).toBeDefined();
    expect(schema.getType('ViewDateTime')).toBeDefined();
    expect(schema.getQueryType()!.getFields().viewIncidents.extensions.requiredRole).toBe('analyst');
  });
});
