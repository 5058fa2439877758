import { uniqueId } from '@test/support';
import { startTestApp, type TestApp } from '@test/support/app';
import { gql, gqlOk } from '@test/support/graphql';

/**
 * Every analysis over GraphQL on one small history whose answers are worked out by hand below.
 * The run's Neo4j is shared with other tests: this history lives in a year of its own (the window
 * keeps other tests' incidents out) and results are filtered to this test's ids.
 */
const year = 2100 + Math.floor(Math.random() * 800);
const p = `${uniqueId('an')}-`;
const id = (name: string) => `${p}${name}`;
const ids = {
  org: id('org'),
  payments: id('payments'),
  platform: id('platform'),
  ana: id('ana'),
  bo: id('bo'),
  cy: id('cy'),
  ghost: id('ghost'),
  checkout: id('checkout'),
  incident: id('INC-1'),
};

/** The first Monday of January of the test's year, at hh:mm UTC, plus `days`. */
function at(hh: number, mm: number, days = 0): string {
  const first = new Date(Date.UTC(year, 0, 1));
  const monday = 1 + ((8 - first.getUTCDay()) % 7);
  return new Date(Date.UTC(year, 0, monday + days, hh, mm)).toISOString();
}
const before = new Date(Date.UTC(year - 1, 11, 1)).toISOString();
const window = { from: new Date(Date.UTC(year, 0, 1)).toISOString(), to: new Date(Date.UTC(year + 1, 0, 1)).toISOString() };

function history() {
  const e = (type: string, data: Record<string, unknown>) => ({ type, data });
  const inc = ids.incident;
  return [
    e('TeamFormed', { teamId: ids.org, name: 'Engineering', occurredAt: before }),
    e('TeamFormed', { teamId: ids.payments, name: 'Payments', parentTeamId: ids.org, occurredAt: before }),
    e('TeamFormed', { teamId: ids.platform, name: 'Platform', occurredAt: before }),
    e('PersonRegistered', { personId: ids.ana, name: 'Ana', timeZone: 'Europe/Berlin', occurredAt: before }),
    e('PersonRegistered', { personId: ids.bo, name: 'Bo', timeZone: 'Asia/Tokyo', occurredAt: before }),
    e('PersonRegistered', { personId: ids.cy, name: 'Cy', timeZone: 'Europe/Berlin', occurredAt: before }),
    e('TeamMemberAdded', { teamId: ids.payments, personId: ids.ana, occurredAt: before }),
    e('TeamMemberAdded', { teamId: ids.payments, personId: ids.cy, occurredAt: before }),
    e('TeamMemberAdded', { teamId: ids.platform, personId: ids.bo, occurredAt: before }),
    e('OnCallShiftScheduled', { teamId: ids.payments, shiftId: 'w1', personId: ids.cy, startsAt: at(0, 0), endsAt: at(0, 0, 7), occurredAt: before }),
    e('ServiceRegistered', { serviceId: ids.checkout, name: 'Checkout', occurredAt: before }),
    e('ServiceOwnershipAssigned', { serviceId: ids.checkout, teamId: ids.payments, occurredAt: before }),
    // Monday 10:00 UTC: 11:00 in Berlin (office hours), 19:00 in Tokyo (off hours).
    e('IncidentDeclared', { incidentId: inc, title: 'Card payments time out', severity: 'SEV2', impactedServiceIds: [ids.checkout], occurredAt: at(10, 0) }),
    e('ResponderPaged', { incidentId: inc, personId: ids.ana, occurredAt: at(10, 1) }),
    e('ResponderPaged', { incidentId: inc, personId: ids.cy, occurredAt: at(10, 1) }),
    e('ResponderPaged', { incidentId: inc, personId: ids.ghost, occurredAt: at(10, 2) }),
    e('ResponderJoined', { incidentId: inc, personId: ids.ana, role: 'commander', occurredAt: at(10, 5) }),
    e('ResponderJoined', { incidentId: inc, personId: ids.bo, role: 'expert', occurredAt: at(10, 10) }),
    e('CommandHandedOff', { incidentId: inc, fromPersonId: ids.ana, toPersonId: ids.bo, occurredAt: at(10, 30) }),
    e('IncidentResolved', { incidentId: inc, occurredAt: at(11, 5) }),
    e('IncidentCostEstimated', { incidentId: inc, amount: 1200, currency: 'EUR', occurredAt: at(12, 0) }),
    e('ActionItemCreated', { incidentId: inc, actionItemId: 'a1', title: 'Retry budget', ownerTeamId: ids.payments, dueAt: at(12, 0, 7), occurredAt: at(12, 0) }),
  ];
}

const ref = 'id name';
const mine = <T extends Record<string, unknown>>(rows: T[], key: keyof T) => rows.filter((row) => String((row[key] as { id: string }).id).startsWith(p));

describe('analyses over GraphQL', () => {
  let app: TestApp;
  let minPosition: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({ MIN_POSITION_WAIT_MS: '60000' });
    const result = await gqlOk<{ importEvents: { appended: number; lastPosition: string } }>(
      app.url,
      `mutation($events: [EventInput!]!) { importEvents(events: $events) { appended lastPosition } }`,
      { events: history() },
    );
    expect(result.importEvents.appended).toBe(history().length);
    minPosition = { 'x-min-position': result.importEvents.lastPosition };
  });
  afterAll(async () => {
    await app?.close();
  });

  const query = <T>(text: string, variables: Record<string, unknown> = {}) => gqlOk<T>(app.url, text, { window, ...variables }, minPosition);

  it('serviceResponse: half of the engagements come from outside the owning team', async () => {
    const { serviceResponse } = await query<{ serviceResponse: Record<string, unknown> }>(
      `query($window: AnalysisWindowInput, $id: String!) { serviceResponse(serviceId: $id, window: $window) {
         service { ${ref} } incidents engagements outsiderEngagements outsiderShare topResponderShare
         topOutsiders { person { ${ref} } incidents { id title declaredAt } teams { ${ref} } } } }`,
      { id: ids.checkout },
    );
    expect(serviceResponse).toEqual({
      service: { id: ids.checkout, name: 'Checkout' },
      incidents: 1,
      engagements: 2,
      outsiderEngagements: 1,
      outsiderShare: 0.5,
      topResponderShare: 1,
      topOutsiders: [
        {
          person: { id: ids.bo, name: 'Bo' },
          incidents: [{ id: ids.incident, title: 'Card payments time out', declaredAt: at(10, 0) }],
          teams: [{ id: ids.platform, name: 'Platform' }],
        },
      ],
    });
    const unknown = await query<{ serviceResponse: null }>(`query($window: AnalysisWindowInput) { serviceResponse(serviceId: "${p}nope", window: $window) { incidents } }`);
    expect(unknown.serviceResponse).toBeNull();
  });

  it('heroes, load and team load: who joined, from where, at what hour, for how long', async () => {
    const data = await query<{ heroes: Record<string, unknown>[]; load: Record<string, unknown>[]; teamLoad: Record<string, unknown>[] }>(
      `query($window: AnalysisWindowInput) {
         heroes(window: $window, limit: 1000) { person { ${ref} } incidents outsiderIncidents teamsHelped helpedTeams { ${ref} } offHoursIncidents share }
         load(window: $window, limit: 1000) { person { ${ref} } incidents offHoursIncidents responderHours maxConcurrent }
         teamLoad(window: $window) { team { ${ref} } members incidents incidentsPerMember responderHours offHoursShare } }`,
    );
    // The window holds one incident: both responders joined all of it (share 1); ids order the tie.
    expect(mine(data.heroes, 'person')).toEqual([
      { person: { id: ids.ana, name: 'Ana' }, incidents: 1, outsiderIncidents: 0, teamsHelped: 0, helpedTeams: [], offHoursIncidents: 0, share: 1 },
      { person: { id: ids.bo, name: 'Bo' }, incidents: 1, outsiderIncidents: 1, teamsHelped: 1, helpedTeams: [{ id: ids.payments, name: 'Payments' }], offHoursIncidents: 1, share: 1 },
    ]);
    // Ana 10:05 -> 11:05 (resolution) = 1 h; Bo 10:10 -> 11:05 = 55 min.
    expect(mine(data.load, 'person')).toEqual([
      { person: { id: ids.ana, name: 'Ana' }, incidents: 1, offHoursIncidents: 0, responderHours: 1, maxConcurrent: 1 },
      { person: { id: ids.bo, name: 'Bo' }, incidents: 1, offHoursIncidents: 1, responderHours: 55 / 60, maxConcurrent: 1 },
    ]);
    // Members at the end of the window: Payments has Ana and Cy, Platform has Bo, Engineering nobody (not listed).
    expect(mine(data.teamLoad, 'team')).toEqual([
      { team: { id: ids.payments, name: 'Payments' }, members: 2, incidents: 1, incidentsPerMember: 0.5, responderHours: 1, offHoursShare: 0 },
      { team: { id: ids.platform, name: 'Platform' }, members: 1, incidents: 1, incidentsPerMember: 1, responderHours: 55 / 60, offHoursShare: 1 },
    ]);
  });

  it('team collaboration and hidden coupling: Payments and Platform share an incident and no ancestor', async () => {
    const data = await query<{ teamCollaboration: Record<string, unknown>[]; hiddenCoupling: Record<string, unknown>[] }>(
      `query($window: AnalysisWindowInput) {
         teamCollaboration(window: $window) { teamA { ${ref} } teamB { ${ref} } sharedIncidents orgDistance }
         hiddenCoupling(window: $window, limit: 1000) { teamA { id } teamB { id } sharedIncidents orgDistance } }`,
    );
    const edge = { teamA: { id: ids.payments, name: 'Payments' }, teamB: { id: ids.platform, name: 'Platform' }, sharedIncidents: 1, orgDistance: null };
    expect(mine(data.teamCollaboration, 'teamA')).toEqual([edge]);
    expect(mine(data.hiddenCoupling, 'teamA')).toEqual([{ teamA: { id: ids.payments }, teamB: { id: ids.platform }, sharedIncidents: 1, orgDistance: null }]);
  });

  it('responseEdges: Ana answered for her own team, Bo for Payments from outside it', async () => {
    const data = await query<{ responseEdges: Record<string, unknown>[]; twice: Record<string, unknown>[] }>(
      `query($window: AnalysisWindowInput) {
         responseEdges(window: $window, limit: 10000) { person { ${ref} } team { ${ref} } incidents outsiderIncidents }
         twice: responseEdges(window: $window, minIncidents: 2) { person { id } } }`,
    );
    // INC-1 impacted Checkout, owned by Payments at declaration; Ana (Payments) and Bo (Platform) joined.
    expect(mine(data.responseEdges, 'person')).toEqual([
      { person: { id: ids.ana, name: 'Ana' }, team: { id: ids.payments, name: 'Payments' }, incidents: 1, outsiderIncidents: 0 },
      { person: { id: ids.bo, name: 'Bo' }, team: { id: ids.payments, name: 'Payments' }, incidents: 1, outsiderIncidents: 1 },
    ]);
    expect(mine(data.twice, 'person')).toEqual([]);
    const bad = await gql(app.url, `query { responseEdges(limit: 10001) { incidents } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(bad.errors?.[0].message).toContain('limit must be an integer from 1 to 10000');
  });

  it('time zones: two zones on the incident, a handoff from UTC+1 to UTC+9, Platform answers off hours', async () => {
    const { timeZones } = await query<{ timeZones: { incidents: { incident: { id: string }; zones: number }[]; handoffsAcrossZones: Record<string, unknown>[]; teams: Record<string, unknown>[] } }>(
      `query($window: AnalysisWindowInput) { timeZones(window: $window) {
         incidents { incident { id } zones }
         handoffsAcrossZones { incident { id } from { id } to { id } at fromTimeZone toTimeZone fromOffsetMinutes toOffsetMinutes }
         teams { team { ${ref} } engagements offHoursEngagements offHoursShare } } }`,
    );
    expect(timeZones.incidents.filter((x) => x.incident.id.startsWith(p))).toEqual([{ incident: { id: ids.incident }, zones: 2 }]);
    expect(mine(timeZones.handoffsAcrossZones, 'incident')).toEqual([
      { incident: { id: ids.incident }, from: { id: ids.ana }, to: { id: ids.bo }, at: at(10, 30), fromTimeZone: 'Europe/Berlin', toTimeZone: 'Asia/Tokyo', fromOffsetMinutes: 60, toOffsetMinutes: 540 },
    ]);
    expect(mine(timeZones.teams, 'team')).toEqual([
      { team: { id: ids.platform, name: 'Platform' }, engagements: 1, offHoursEngagements: 1, offHoursShare: 1 },
      { team: { id: ids.payments, name: 'Payments' }, engagements: 1, offHoursEngagements: 0, offHoursShare: 0 },
    ]);
  });

  it('action-item debt, on-call drift and paging vs presence', async () => {
    const data = await query<{
      actionItemDebt: Record<string, unknown>[];
      onCallDrift: { incidents: Record<string, unknown>[] };
      pagingVsPresence: { people: Record<string, unknown>[]; teams: Record<string, unknown>[] };
    }>(
      `query($window: AnalysisWindowInput, $asOf: DateTime) {
         actionItemDebt(window: $window, asOf: $asOf) { team { ${ref} } created completed cancelled open overdue completionRate medianOpenAgeDays }
         onCallDrift(window: $window) { covered drifted driftShare incidents { incident { id } onCall { id } absent { id } responders { id } } }
         pagingVsPresence(window: $window) { people { person { ${ref} } pagedNotJoined joinedUnpaged } teams { team { id } pagedNotJoined joinedUnpaged } } }`,
      { asOf: at(12, 0, 30) },
    );
    // Created at 12:00, due a week later, still open 30 days later.
    expect(mine(data.actionItemDebt, 'team')).toEqual([
      { team: { id: ids.payments, name: 'Payments' }, created: 1, completed: 0, cancelled: 0, open: 1, overdue: 1, completionRate: 0, medianOpenAgeDays: 30 },
    ]);
    // Cy was on call for Payments when the incident was declared, was paged, and never joined.
    expect(mine(data.onCallDrift.incidents, 'incident')).toEqual([
      { incident: { id: ids.incident }, onCall: [{ id: ids.cy }], absent: [{ id: ids.cy }], responders: [{ id: ids.ana }, { id: ids.bo }] },
    ]);
    expect(mine(data.pagingVsPresence.people, 'person')).toEqual([
      { person: { id: ids.cy, name: 'Cy' }, pagedNotJoined: 1, joinedUnpaged: 0 },
      { person: { id: ids.ghost, name: null }, pagedNotJoined: 1, joinedUnpaged: 0 },
      { person: { id: ids.bo, name: 'Bo' }, pagedNotJoined: 0, joinedUnpaged: 1 },
    ]);
    expect(mine(data.pagingVsPresence.teams, 'team')).toEqual([
      { team: { id: ids.payments }, pagedNotJoined: 1, joinedUnpaged: 0 },
      { team: { id: ids.platform }, pagedNotJoined: 0, joinedUnpaged: 1 },
    ]);
  });

  it('coordination cost, service burden and finding priority', async () => {
    const data = await query<{ serviceBurden: Record<string, unknown>[]; prioritizeFindings: Record<string, unknown>[] }>(
      `query($window: AnalysisWindowInput, $findings: [FindingInput!]!) {
         serviceBurden(window: $window, limit: 1000) { service { ${ref} } incidents bySeverity { severity count } weightedIncidents responderHours people teams medianDurationMinutes cost { currency amount } }
         prioritizeFindings(findings: $findings, window: $window) { rank findingId burden { service { id } incidents weightedIncidents } } }`,
      { findings: [{ id: 'no-incidents', serviceId: `${p}unknown` }, { id: 'retries', serviceId: ids.checkout }] },
    );
    expect(mine(data.serviceBurden, 'service')).toEqual([
      {
        service: { id: ids.checkout, name: 'Checkout' },
        incidents: 1,
        bySeverity: [{ severity: 'SEV2', count: 1 }],
        weightedIncidents: 8,
        responderHours: 115 / 60,
        people: 2,
        teams: 2,
        medianDurationMinutes: 65,
        cost: [{ currency: 'EUR', amount: 1200 }],
      },
    ]);
    expect(data.prioritizeFindings).toEqual([
      { rank: 1, findingId: 'retries', burden: { service: { id: ids.checkout }, incidents: 1, weightedIncidents: 8 } },
      { rank: 2, findingId: 'no-incidents', burden: { service: { id: `${p}unknown` }, incidents: 0, weightedIncidents: 0 } },
    ]);
    // Only this test's year: one incident, two people from two teams, first join after 5 minutes.
    const { coordinationCost } = await query<{ coordinationCost: Record<string, unknown> }>(
      `query($window: AnalysisWindowInput) { coordinationCost(window: $window) { incidents people { median p90 max } teams { median p90 max } minutesToFirstJoin { median p90 max } slowestToFirstJoin { incident { id } minutesToFirstJoin } } }`,
      { window: { from: at(9, 0), to: at(11, 0) } },
    );
    expect(coordinationCost).toEqual({
      incidents: 1,
      people: { median: 2, p90: 2, max: 2 },
      teams: { median: 2, p90: 2, max: 2 },
      minutesToFirstJoin: { median: 5, p90: 5, max: 5 },
      slowestToFirstJoin: [{ incident: { id: ids.incident }, minutesToFirstJoin: 5 }],
    });
  });

  it('orgDelta, placeholders and the org as of an instant', async () => {
    const data = await query<{ orgDelta: { window: unknown; heroes: Record<string, unknown>[] }; placeholders: { kind: string; id: string; referencedBy: unknown[] }[]; orgTree: Record<string, unknown>[] }>(
      `query($window: AnalysisWindowInput, $asOf: DateTime) {
         orgDelta(window: $window) { window { from to } heroes { person { id } incidents } servicesKeptByOutsiders { service { id } } onCallDrift { covered } }
         placeholders { kind id referencedBy { kind id relationship } }
         orgTree(asOf: $asOf) { team { ${ref} } parent { id } members { person { id } role } services { id } } }`,
      { asOf: at(12, 0) },
    );
    expect(data.orgDelta.window).toEqual(window);
    expect(mine(data.orgDelta.heroes, 'person').length).toBeLessThanOrEqual(2);
    expect(data.placeholders.find((x) => x.id === ids.ghost)).toEqual({
      kind: 'PERSON',
      id: ids.ghost,
      referencedBy: [{ kind: 'INCIDENT', id: ids.incident, relationship: 'PAGED' }],
    });
    expect(mine(data.orgTree, 'team')).toEqual([
      { team: { id: ids.org, name: 'Engineering' }, parent: null, members: [], services: [] },
      { team: { id: ids.payments, name: 'Payments' }, parent: { id: ids.org }, members: [{ person: { id: ids.ana }, role: 'member' }, { person: { id: ids.cy }, role: 'member' }], services: [{ id: ids.checkout }] },
      { team: { id: ids.platform, name: 'Platform' }, parent: null, members: [{ person: { id: ids.bo }, role: 'member' }], services: [] },
    ]);
    const past = await query<{ orgTree: { team: { id: string } }[] }>(`query($asOf: DateTime) { orgTree(asOf: $asOf) { team { id } } }`, { asOf: new Date(Date.UTC(year - 2, 0, 1)).toISOString() });
    expect(past.orgTree.filter((x) => x.team.id.startsWith(p))).toEqual([]);
  });

  it('refuses a bad window, asOf or limit, naming the field and the rule', async () => {
    const bad = await gql(app.url, `query { heroes(window: { from: "2026-13-01T00:00:00Z", to: "2020-01-01T00:00:00Z" }, limit: 0) { incidents } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const reversed = await gql(app.url, `query { load(window: { from: "2026-02-01T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { incidents } }`);
    expect(reversed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'window.to', rule: 'notBeforeFrom' }] });
    const limit = await gql(app.url, `query { serviceBurden(limit: 0) { incidents } }`);
    expect(limit.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'limit', rule: 'range' }] });
    const asOf = await gql(app.url, `query { actionItemDebt(asOf: "yesterday") { open } }`);
    expect(asOf.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'asOf', rule: 'isIsoDateTimeWithOffset' }] });
  });
});
