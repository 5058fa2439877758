/**
 * Hand-built fixtures for the analyses of ANALYTICS.md: each a small list of events and its
 * expected results, worked out BY HAND from the definitions (the arithmetic is in the comments).
 * They run against the reference (testing/reference.spec.ts) and against the Cypher
 * implementation on a dedicated Neo4j (analytics.fixtures.int-spec.ts).
 *
 * The org (all registered 2024-03-01):
 *   people: ana Europe/Berlin, bo America/New_York, chen Asia/Kolkata, dee UTC, eve Europe/London
 *   teams:  root; pay and web (children of root); ops (top level, a tree of its own)
 *   members: pay {ana, chen}, web {bo, chen} (chen is in two teams), ops {dee, eve}
 *   services: checkout (owned by pay), site (owned by web), legacy (no owner)
 * 2024-03-04 is a Monday. New York is UTC-5 until 10 March, UTC-4 after; Berlin UTC+1 until
 * 31 March 01:00Z, UTC+2 after; London UTC+0 until 31 March 01:00Z, UTC+1 after; Kolkata UTC+5:30.
 */
import type { Analytics, AnalysisOptions, EntityRef, IncidentRef, ServiceBurden } from '../types';
import type { HistoryEvent } from './reference';

export interface Fixture {
  name: string;
  events: HistoryEvent[];
  check(a: Analytics): Promise<void>;
}

const NOW = '2024-05-01T00:00:00.000Z';
const open: AnalysisOptions = { now: NOW };
const ev = (type: string, data: Record<string, unknown>): HistoryEvent => ({ type, data });

const NAMES: Record<string, string | null> = {
  ana: 'Ana',
  bo: 'Bo',
  chen: 'Chen',
  dee: 'Dee',
  eve: 'Eve',
  root: 'Root',
  pay: 'Payments',
  web: 'Web',
  ops: 'Ops',
  checkout: 'Checkout',
  site: 'Site',
  legacy: 'Legacy',
};
const r = (id: string): EntityRef => ({ id, name: NAMES[id] ?? null });
const inc = (id: string, declaredAt: string): IncidentRef => ({ id, title: `Incident ${id}`, declaredAt: new Date(declaredAt).toISOString() });

function org(): HistoryEvent[] {
  const at = '2024-03-01T00:00:00Z';
  const people: [string, string][] = [
    ['ana', 'Europe/Berlin'],
    ['bo', 'America/New_York'],
    ['chen', 'Asia/Kolkata'],
    ['dee', 'UTC'],
    ['eve', 'Europe/London'],
  ];
  const members: [string, string][] = [
    ['pay', 'ana'],
    ['pay', 'chen'],
    ['web', 'bo'],
    ['web', 'chen'],
    ['ops', 'dee'],
    ['ops', 'eve'],
  ];
  return [
    ...people.map(([personId, timeZone]) => ev('PersonRegistered', { personId, name: NAMES[personId], timeZone, occurredAt: at })),
    ev('TeamFormed', { teamId: 'root', name: 'Root', occurredAt: at }),
    ev('TeamFormed', { teamId: 'pay', name: 'Payments', parentTeamId: 'root', occurredAt: at }),
    ev('TeamFormed', { teamId: 'web', name: 'Web', parentTeamId: 'root', occurredAt: at }),
    ev('TeamFormed', { teamId: 'ops', name: 'Ops', occurredAt: at }),
    ...members.map(([teamId, personId]) => ev('TeamMemberAdded', { teamId, personId, occurredAt: '2024-03-01T01:00:00Z' })),
    ...['checkout', 'site', 'legacy'].map((serviceId) => ev('ServiceRegistered', { serviceId, name: NAMES[serviceId], occurredAt: at })),
    ev('ServiceOwnershipAssigned', { serviceId: 'checkout', teamId: 'pay', occurredAt: '2024-03-01T02:00:00Z' }),
    ev('ServiceOwnershipAssigned', { serviceId: 'site', teamId: 'web', occurredAt: '2024-03-01T02:00:00Z' }),
  ];
}

/** An incident: declared at `at` (no declaredBy), then the given steps (each gets incidentId). */
function incident(id: string, at: string, severity: string, services: string[], steps: [string, Record<string, unknown>][]): HistoryEvent[] {
  return [
    ev('IncidentDeclared', { incidentId: id, title: `Incident ${id}`, severity, impactedServiceIds: services, occurredAt: at }),
    ...steps.map(([type, data]) => ev(type, { incidentId: id, ...data })),
  ];
}
const join = (personId: string, occurredAt: string, role = 'responder'): [string, Record<string, unknown>] => ['ResponderJoined', { personId, role, occurredAt }];
const resolve = (occurredAt: string): [string, Record<string, unknown>] => ['IncidentResolved', { occurredAt }];

const emptyBurden = (id: string): ServiceBurden => ({
  service: r(id),
  incidents: 0,
  bySeverity: [],
  weightedIncidents: 0,
  responderHours: 0,
  people: 0,
  teams: 0,
  medianDurationMinutes: null,
  cost: [],
});

// A. Insiders and outsiders, no owning team, a person in two teams, ties, costs -------------------

const A_EVENTS = [
  ...org(),
  // INC-1 on checkout (owner pay): ana (pay) insider, bo (web) outsider, chen (pay + web) insider.
  ...incident('INC-1', '2024-03-05T10:00:00Z', 'SEV2', ['checkout'], [
    join('ana', '2024-03-05T10:00:00Z', 'commander'),
    join('bo', '2024-03-05T10:30:00Z'),
    join('chen', '2024-03-05T11:00:00Z', 'expert'),
    ['IncidentCostEstimated', { amount: 100, currency: 'EUR', occurredAt: '2024-03-05T11:30:00Z' }],
    ['IncidentCostEstimated', { amount: 250, currency: 'EUR', occurredAt: '2024-03-05T11:45:00Z' }],
    resolve('2024-03-05T12:00:00Z'),
  ]),
  // INC-2 on legacy: no owning team, so bo is an outsider.
  ...incident('INC-2', '2024-03-06T10:00:00Z', 'SEV1', ['legacy'], [join('bo', '2024-03-06T10:00:00Z'), resolve('2024-03-06T11:00:00Z')]),
  // INC-3 on checkout: bo outsider again.
  ...incident('INC-3', '2024-03-07T10:00:00Z', 'SEV3', ['checkout'], [
    join('bo', '2024-03-07T10:00:00Z'),
    ['IncidentCostEstimated', { amount: 40, currency: 'USD', occurredAt: '2024-03-07T10:10:00Z' }],
    resolve('2024-03-07T10:30:00Z'),
  ]),
];
const I1 = inc('INC-1', '2024-03-05T10:00:00Z');
const I2 = inc('INC-2', '2024-03-06T10:00:00Z');
const I3 = inc('INC-3', '2024-03-07T10:00:00Z');

const fixtureA: Fixture = {
  name: 'A: insiders and outsiders, no owning team, a person in two teams, ties, costs',
  events: A_EVENTS,
  async check(a) {
    // checkout: INC-1, INC-3; engagements ana, bo, chen (INC-1) + bo (INC-3) = 4; outsiders bo x2 -> 2/4.
    // topResponderShare: bo joined 2 of its 2 incidents = 1.
    expect(await a.serviceResponse('checkout', open)).toEqual({
      service: r('checkout'),
      incidents: 2,
      engagements: 4,
      outsiderEngagements: 2,
      outsiderShare: 0.5,
      topResponderShare: 1,
      topOutsiders: [{ person: r('bo'), incidents: [I1, I3], teams: [r('web')] }],
    });
    // legacy has no owner: its only responder is an outsider.
    expect(await a.serviceResponse('legacy', open)).toEqual({
      service: r('legacy'),
      incidents: 1,
      engagements: 1,
      outsiderEngagements: 1,
      outsiderShare: 1,
      topResponderShare: 1,
      topOutsiders: [{ person: r('bo'), incidents: [I2], teams: [r('web')] }],
    });
    expect(await a.serviceResponse('never-seen', open)).toBeNull();
    // Window [INC-2's declaredAt, INC-3's declaredAt): only INC-2 (from inclusive, to exclusive).
    const middle: AnalysisOptions = { now: NOW, window: { from: '2024-03-06T10:00:00Z', to: '2024-03-07T10:00:00Z' } };
    expect(await a.serviceResponse('checkout', middle)).toEqual({
      service: r('checkout'),
      incidents: 0,
      engagements: 0,
      outsiderEngagements: 0,
      outsiderShare: null,
      topResponderShare: null,
      topOutsiders: [],
    });
    expect(await a.heroes(middle)).toEqual([
      { person: r('bo'), incidents: 1, outsiderIncidents: 1, teamsHelped: 0, helpedTeams: [], offHoursIncidents: 1, share: 1 },
    ]);
    // Heroes over 3 incidents. bo: 3 joined, all as outsider; owning teams of those: pay (INC-1,
    // INC-3), none (INC-2) -> [pay]. Off hours: bo joined at 10:30Z/10:00Z/10:00Z = 05:30/05:00/05:00
    // in New York (UTC-5) -> 3. ana 10:00Z = 11:00 Berlin, chen 11:00Z = 16:30 Kolkata: on hours.
    // ana and chen tie at 1 incident: by id.
    expect(await a.heroes(open)).toEqual([
      { person: r('bo'), incidents: 3, outsiderIncidents: 3, teamsHelped: 1, helpedTeams: [r('pay')], offHoursIncidents: 3, share: 1 },
      { person: r('ana'), incidents: 1, outsiderIncidents: 0, teamsHelped: 0, helpedTeams: [], offHoursIncidents: 0, share: 1 / 3 },
      { person: r('chen'), incidents: 1, outsiderIncidents: 0, teamsHelped: 0, helpedTeams: [], offHoursIncidents: 0, share: 1 / 3 },
    ]);
    expect(await a.heroes({ ...open, limit: 1 })).toHaveLength(1);
    // Load: bo 1.5 h (10:30-12:00) + 1 h + 0.5 h = 3 h; ana 2 h; chen 1 h. No overlaps: 1 each.
    expect(await a.load(open)).toEqual([
      { person: r('bo'), incidents: 3, offHoursIncidents: 3, responderHours: 3, maxConcurrent: 1 },
      { person: r('ana'), incidents: 1, offHoursIncidents: 0, responderHours: 2, maxConcurrent: 1 },
      { person: r('chen'), incidents: 1, offHoursIncidents: 0, responderHours: 1, maxConcurrent: 1 },
    ]);
    // Coordination: people [3, 1, 1] -> sorted [1, 1, 3]: median 1, p90 = 3rd (ceil 2.7), max 3.
    // teams: INC-1 {pay, web} (chen brings both) = 2, INC-2 {web}, INC-3 {web} -> [1, 1, 2].
    // Minutes to first join all 0; slowest ties broken by id.
    expect(await a.coordinationCost(open)).toEqual({
      incidents: 3,
      people: { median: 1, p90: 3, max: 3 },
      teams: { median: 1, p90: 2, max: 2 },
      minutesToFirstJoin: { median: 0, p90: 0, max: 0 },
      slowestToFirstJoin: [
        { incident: I1, people: 3, teams: 2, minutesToFirstJoin: 0 },
        { incident: I2, people: 1, teams: 1, minutesToFirstJoin: 0 },
        { incident: I3, people: 1, teams: 1, minutesToFirstJoin: 0 },
      ],
    });
    // Burden: legacy SEV1 = 16; checkout SEV2 + SEV3 = 8 + 4 = 12. checkout hours: INC-1 2 + 1.5 + 1,
    // INC-3 0.5 -> 5; durations 120 and 30 min -> median 75; cost: INC-1's latest EUR 250 (replaces
    // 100), INC-3 USD 40.
    const checkout: ServiceBurden = {
      service: r('checkout'),
      incidents: 2,
      bySeverity: [
        { severity: 'SEV2', count: 1 },
        { severity: 'SEV3', count: 1 },
      ],
      weightedIncidents: 12,
      responderHours: 5,
      people: 3,
      teams: 2,
      medianDurationMinutes: 75,
      cost: [
        { currency: 'EUR', amount: 250 },
        { currency: 'USD', amount: 40 },
      ],
    };
    const legacy: ServiceBurden = {
      service: r('legacy'),
      incidents: 1,
      bySeverity: [{ severity: 'SEV1', count: 1 }],
      weightedIncidents: 16,
      responderHours: 1,
      people: 1,
      teams: 1,
      medianDurationMinutes: 60,
      cost: [],
    };
    expect(await a.serviceBurden(open)).toEqual([legacy, checkout]);
    // Findings: legacy (16) first, the two on checkout (12) by finding id, site (no incidents) last.
    expect(
      await a.prioritizeFindings(
        [
          { id: 'f1', serviceId: 'site' },
          { id: 'f4', serviceId: 'checkout' },
          { id: 'f3', serviceId: 'legacy' },
          { id: 'f2', serviceId: 'checkout' },
        ],
        open,
      ),
    ).toEqual([
      { rank: 1, findingId: 'f3', burden: legacy },
      { rank: 2, findingId: 'f2', burden: checkout },
      { rank: 3, findingId: 'f4', burden: checkout },
      { rank: 4, findingId: 'f1', burden: emptyBurden('site') },
    ]);
    // Collaboration: INC-1 brings {pay, web}; siblings under root -> distance 2, not hidden.
    expect(await a.teamCollaboration(open)).toEqual([{ teamA: r('pay'), teamB: r('web'), sharedIncidents: 1, orgDistance: 2 }]);
    expect(await a.teamCollaboration({ ...open, minSharedIncidents: 2 })).toEqual([]);
    expect(await a.hiddenCoupling(open)).toEqual([]);
    // Team load (members now): web: bo x3 + chen (INC-1) -> incidents {1, 2, 3} = 3, hours 3 + 1 = 4,
    // off hours 3 of 4 zoned; pay: ana + chen on INC-1 -> 1 incident, 2 + 1 = 3 h, 0 of 2;
    // ops: 2 members, nothing else: per member 0, share null. root: no members, no incidents.
    expect(await a.teamLoad(open)).toEqual([
      { team: r('web'), members: 2, incidents: 3, incidentsPerMember: 1.5, responderHours: 4, offHoursShare: 0.75 },
      { team: r('pay'), members: 2, incidents: 1, incidentsPerMember: 0.5, responderHours: 3, offHoursShare: 0 },
      { team: r('ops'), members: 2, incidents: 0, incidentsPerMember: 0, responderHours: 0, offHoursShare: null },
    ]);
    // Zones: INC-1 Berlin, New York, Kolkata = 3; INC-2, INC-3 one each. No handoffs.
    expect(await a.timeZones(open)).toEqual({
      incidents: [
        { incident: I1, zones: 3 },
        { incident: I2, zones: 1 },
        { incident: I3, zones: 1 },
      ],
      handoffsAcrossZones: [],
      teams: [
        { team: r('web'), engagements: 4, offHoursEngagements: 3, offHoursShare: 0.75 },
        { team: r('pay'), engagements: 2, offHoursEngagements: 0, offHoursShare: 0 },
      ],
    });
    // Nobody paged: everyone joined unpaged. Teams sum over members at declaredAt: web bo 3 + chen 1.
    expect(await a.pagingVsPresence(open)).toEqual({
      people: [
        { person: r('bo'), pagedNotJoined: 0, joinedUnpaged: 3 },
        { person: r('ana'), pagedNotJoined: 0, joinedUnpaged: 1 },
        { person: r('chen'), pagedNotJoined: 0, joinedUnpaged: 1 },
      ],
      teams: [
        { team: r('web'), pagedNotJoined: 0, joinedUnpaged: 4 },
        { team: r('pay'), pagedNotJoined: 0, joinedUnpaged: 2 },
      ],
    });
    // No shifts: nothing covered, share null (not NaN).
    expect(await a.onCallDrift(open)).toEqual({ covered: 0, drifted: 0, driftShare: null, incidents: [] });
    expect(await a.placeholders()).toEqual([]);
  },
};

// B. Membership and ownership changes between incidents, a dissolution, hidden coupling ----------

const B_EVENTS = [
  ...org(),
  // 03-06: ana moves from pay to ops; checkout passes from pay to web.
  ev('TeamMemberRemoved', { teamId: 'pay', personId: 'ana', occurredAt: '2024-03-06T00:00:00Z' }),
  ev('TeamMemberAdded', { teamId: 'ops', personId: 'ana', occurredAt: '2024-03-06T00:00:00Z' }),
  ev('ServiceOwnershipAssigned', { serviceId: 'checkout', teamId: 'web', occurredAt: '2024-03-06T00:00:00Z' }),
  // 03-08: root is dissolved: pay and web have no parent from then on.
  ev('TeamDissolved', { teamId: 'root', occurredAt: '2024-03-08T00:00:00Z' }),
  // INC-4 (owner pay): ana insider (still in pay), dee (ops) outsider.
  ...incident('INC-4', '2024-03-05T10:00:00Z', 'SEV4', ['checkout'], [join('ana', '2024-03-05T10:00:00Z'), join('dee', '2024-03-05T10:00:00Z'), resolve('2024-03-05T11:00:00Z')]),
  // INC-5 (owner web): ana now in ops -> outsider; bo insider.
  ...incident('INC-5', '2024-03-07T10:00:00Z', 'SEV4', ['checkout'], [join('ana', '2024-03-07T10:00:00Z'), join('bo', '2024-03-07T10:00:00Z'), resolve('2024-03-07T10:30:00Z')]),
  // INC-6: ana outsider again.
  ...incident('INC-6', '2024-03-07T12:00:00Z', 'SEV4', ['checkout'], [join('ana', '2024-03-07T12:00:00Z'), resolve('2024-03-07T12:30:00Z')]),
  // INC-7 on site: bo (web) and chen (pay + web) -> teams {pay, web}.
  ...incident('INC-7', '2024-03-07T14:00:00Z', 'SEV5', ['site'], [join('bo', '2024-03-07T14:00:00Z'), join('chen', '2024-03-07T14:00:00Z'), resolve('2024-03-07T15:00:00Z')]),
];

const fixtureB: Fixture = {
  name: 'B: membership and ownership changes between incidents, a dissolution, hidden coupling',
  events: B_EVENTS,
  async check(a) {
    // checkout: INC-4, 5, 6; engagements ana x3, dee, bo = 5; outsiders dee@4, ana@5, ana@6 = 3 -> 0.6.
    // topResponderShare: ana 3 of 3. topOutsiders: ana (2) before dee (1); both were in ops then.
    const checkout = {
      service: r('checkout'),
      incidents: 3,
      engagements: 5,
      outsiderEngagements: 3,
      outsiderShare: 0.6,
      topResponderShare: 1,
      topOutsiders: [
        { person: r('ana'), incidents: [inc('INC-5', '2024-03-07T10:00:00Z'), inc('INC-6', '2024-03-07T12:00:00Z')], teams: [r('ops')] },
        { person: r('dee'), incidents: [inc('INC-4', '2024-03-05T10:00:00Z')], teams: [r('ops')] },
      ],
    };
    expect(await a.serviceResponse('checkout', open)).toEqual(checkout);
    // Pairs: INC-4 {pay, ops}, INC-5 {ops, web}, INC-7 {pay, web}. At now root is dissolved: no
    // team has a parent, every distance is null, every edge is hidden. Ties: by teamA, then teamB.
    const atNow = [
      { teamA: r('ops'), teamB: r('pay'), sharedIncidents: 1, orgDistance: null },
      { teamA: r('ops'), teamB: r('web'), sharedIncidents: 1, orgDistance: null },
      { teamA: r('pay'), teamB: r('web'), sharedIncidents: 1, orgDistance: null },
    ];
    expect(await a.teamCollaboration(open)).toEqual(atNow);
    expect(await a.hiddenCoupling(open)).toEqual(atNow);
    // The tree at the end of a window that ends before the dissolution: pay and web are siblings (2).
    const before: AnalysisOptions = { now: NOW, window: { to: '2024-03-07T23:00:00Z' } };
    expect(await a.teamCollaboration(before)).toEqual([atNow[0], atNow[1], { ...atNow[2], orgDistance: 2 }]);
    expect(await a.hiddenCoupling(before)).toEqual([atNow[0], atNow[1]]);
    // The window ends exactly at the dissolution: "from its dissolution on" -> no parents.
    expect(await a.hiddenCoupling({ now: NOW, window: { to: '2024-03-08T00:00:00Z' } })).toEqual(atNow);
    // Team load, members now: pay {chen}, web {bo, chen}, ops {dee, eve, ana}.
    // ops: INC-4 dee 1 h, INC-5 ana 0.5 h, INC-6 ana 0.5 h -> 3 incidents, 2 h; all on hours
    //   (dee 10:00 UTC Tue; ana 11:00 and 13:00 Berlin Thu) -> 0.
    // pay: INC-4 ana 1 h (11:00 Berlin, on), INC-7 chen 1 h (14:00Z = 19:30 Kolkata, off) -> 2, 2 h, 1/2.
    // web: INC-5 bo 0.5 h (05:00 New York, off), INC-7 bo 1 h (09:00, on) + chen 1 h (off) -> 2, 2.5 h, 2/3.
    // pay and web tie at 2 incidents: by id.
    expect(await a.teamLoad(open)).toEqual([
      { team: r('ops'), members: 3, incidents: 3, incidentsPerMember: 1, responderHours: 2, offHoursShare: 0 },
      { team: r('pay'), members: 1, incidents: 2, incidentsPerMember: 2, responderHours: 2, offHoursShare: 0.5 },
      { team: r('web'), members: 2, incidents: 2, incidentsPerMember: 1, responderHours: 2.5, offHoursShare: 2 / 3 },
    ]);
    // Members at the end of a window ending 03-05T12:00 (before the move): pay {ana, chen}, web
    // {bo, chen}, ops {dee, eve}. Only INC-4 is in it: ana (pay) and dee (ops), 1 h each, on hours.
    expect(await a.teamLoad({ now: NOW, window: { to: '2024-03-05T12:00:00Z' } })).toEqual([
      { team: r('ops'), members: 2, incidents: 1, incidentsPerMember: 0.5, responderHours: 1, offHoursShare: 0 },
      { team: r('pay'), members: 2, incidents: 1, incidentsPerMember: 0.5, responderHours: 1, offHoursShare: 0 },
      { team: r('web'), members: 2, incidents: 0, incidentsPerMember: 0, responderHours: 0, offHoursShare: null },
    ]);
    // Org delta: checkout is kept by outsiders (0.6 >= 0.5, 3 incidents); site has 1 incident.
    const delta = await a.orgDelta(open);
    expect(delta.window).toEqual({ from: null, to: null });
    expect(delta.servicesKeptByOutsiders).toEqual([checkout]);
    expect(delta.hiddenCoupling).toEqual(atNow);
    expect(delta.teamLoad).toEqual(await a.teamLoad(open));
    expect(delta.actionItemDebt).toEqual([]);
  },
};

// C. Time zones: a zone change, handoffs across a daylight-saving change ---------------------------

const C_EVENTS = [
  ...org(),
  // chen moves from Kolkata to UTC on 03-20: INC-9 (03-05) keeps Kolkata, INC-10 (03-21) has UTC.
  ev('PersonUpdated', { personId: 'chen', timeZone: 'UTC', occurredAt: '2024-03-20T00:00:00Z' }),
  ...incident('INC-9', '2024-03-05T10:00:00Z', 'SEV3', ['site'], [join('chen', '2024-03-05T10:00:00Z'), resolve('2024-03-05T11:00:00Z')]),
  ...incident('INC-10', '2024-03-21T10:00:00Z', 'SEV3', ['site'], [
    join('chen', '2024-03-21T10:00:00Z', 'commander'),
    join('bo', '2024-03-21T10:00:00Z'),
    // UTC (0) to New York, already on summer time (-240): across zones.
    ['CommandHandedOff', { fromPersonId: 'chen', toPersonId: 'bo', occurredAt: '2024-03-21T10:30:00Z' }],
    resolve('2024-03-21T11:00:00Z'),
  ]),
  // Sunday 31 March: London and UTC agree until 01:00Z, then London is +60.
  ...incident('INC-8', '2024-03-31T00:00:00Z', 'SEV3', ['site'], [
    join('dee', '2024-03-31T00:00:00Z', 'commander'),
    join('eve', '2024-03-31T00:00:00Z'),
    ['CommandHandedOff', { fromPersonId: 'dee', toPersonId: 'eve', occurredAt: '2024-03-31T00:30:00Z' }],
    ['CommandHandedOff', { fromPersonId: 'eve', toPersonId: 'dee', occurredAt: '2024-03-31T01:30:00Z' }],
    resolve('2024-03-31T02:00:00Z'),
  ]),
];
const I8 = inc('INC-8', '2024-03-31T00:00:00Z');
const I10 = inc('INC-10', '2024-03-21T10:00:00Z');

const fixtureC: Fixture = {
  name: 'C: time zones, a zone change, handoffs across a daylight-saving change',
  events: C_EVENTS,
  async check(a) {
    // Zones: INC-9 {Kolkata} 1; INC-10 {UTC, New York} 2; INC-8 {UTC, London} 2 (by declaredAt).
    // Handoffs: INC-10 chen (UTC, 0) -> bo (New York, -240): listed. INC-8 00:30Z dee -> eve: both 0,
    // not listed; 01:30Z eve (London, +60 after the change) -> dee (0): listed.
    // Teams (members at declaredAt): pay: chen @9 (15:30 Kolkata, on), chen @10 (10:00 UTC, on) -> 0/2;
    // web: chen x2 + bo @10 (06:00 New York, off) -> 1/3; ops: dee, eve on a Sunday -> 2/2.
    expect(await a.timeZones(open)).toEqual({
      incidents: [
        { incident: inc('INC-9', '2024-03-05T10:00:00Z'), zones: 1 },
        { incident: I10, zones: 2 },
        { incident: I8, zones: 2 },
      ],
      handoffsAcrossZones: [
        {
          incident: I10,
          from: r('chen'),
          to: r('bo'),
          at: '2024-03-21T10:30:00.000Z',
          fromTimeZone: 'UTC',
          toTimeZone: 'America/New_York',
          fromOffsetMinutes: 0,
          toOffsetMinutes: -240,
        },
        {
          incident: I8,
          from: r('eve'),
          to: r('dee'),
          at: '2024-03-31T01:30:00.000Z',
          fromTimeZone: 'Europe/London',
          toTimeZone: 'UTC',
          fromOffsetMinutes: 60,
          toOffsetMinutes: 0,
        },
      ],
      teams: [
        { team: r('ops'), engagements: 2, offHoursEngagements: 2, offHoursShare: 1 },
        { team: r('web'), engagements: 3, offHoursEngagements: 1, offHoursShare: 1 / 3 },
        { team: r('pay'), engagements: 2, offHoursEngagements: 0, offHoursShare: 0 },
      ],
    });
    // Heroes: chen 2 incidents (first), then bo, dee, eve with 1 each by id; off hours as above.
    // Outsiders: site is owned by web; dee and eve (ops) are outsiders, helping web; share of 3.
    expect(await a.heroes(open)).toEqual([
      { person: r('chen'), incidents: 2, outsiderIncidents: 0, teamsHelped: 0, helpedTeams: [], offHoursIncidents: 0, share: 2 / 3 },
      { person: r('bo'), incidents: 1, outsiderIncidents: 0, teamsHelped: 0, helpedTeams: [], offHoursIncidents: 1, share: 1 / 3 },
      { person: r('dee'), incidents: 1, outsiderIncidents: 1, teamsHelped: 1, helpedTeams: [r('web')], offHoursIncidents: 1, share: 1 / 3 },
      { person: r('eve'), incidents: 1, outsiderIncidents: 1, teamsHelped: 1, helpedTeams: [r('web')], offHoursIncidents: 1, share: 1 / 3 },
    ]);
  },
};

// D. Action-item debt -----------------------------------------------------------------------------

const D_EVENTS = [
  ...org(),
  ...incident('INC-11', '2024-03-05T10:00:00Z', 'SEV3', ['checkout'], [
    resolve('2024-03-05T11:00:00Z'),
    ['ActionItemCreated', { actionItemId: 'a1', title: 'a1', ownerTeamId: 'pay', dueAt: '2024-03-10T00:00:00Z', occurredAt: '2024-03-05T12:00:00Z' }],
    ['ActionItemCreated', { actionItemId: 'a2', title: 'a2', ownerTeamId: 'pay', dueAt: '2024-03-20T00:00:00Z', occurredAt: '2024-03-05T12:00:00Z' }],
    ['ActionItemCreated', { actionItemId: 'a3', title: 'a3', ownerTeamId: 'pay', occurredAt: '2024-03-06T00:00:00Z' }],
    ['ActionItemCreated', { actionItemId: 'a4', title: 'a4', ownerTeamId: 'pay', occurredAt: '2024-03-06T00:00:00Z' }],
    ['ActionItemCreated', { actionItemId: 'a5', title: 'a5', ownerTeamId: 'web', occurredAt: '2024-03-06T00:00:00Z' }],
    ['ActionItemCreated', { actionItemId: 'a6', title: 'a6 (no owner team)', occurredAt: '2024-03-06T00:00:00Z' }],
    ['ActionItemCompleted', { actionItemId: 'a4', occurredAt: '2024-03-07T00:00:00Z' }],
    ['ActionItemCancelled', { actionItemId: 'a3', occurredAt: '2024-03-08T00:00:00Z' }],
    ['ActionItemCancelled', { actionItemId: 'a5', occurredAt: '2024-03-08T00:00:00Z' }],
    ['ActionItemCreated', { actionItemId: 'a7', title: 'a7', ownerTeamId: 'pay', occurredAt: '2024-03-16T00:00:00Z' }],
    ['ActionItemCompleted', { actionItemId: 'a1', occurredAt: '2024-03-20T00:00:00Z' }],
  ]),
];

const fixtureD: Fixture = {
  name: 'D: action-item debt at asOf, overdue items, zero denominators',
  events: D_EVENTS,
  async check(a) {
    // asOf 03-15: pay has a1..a4 (a7 is created later, a6 has no team): completed a4, cancelled a3,
    // open a1, a2 (a1's completion is after asOf); overdue a1 (due 03-10); rate 1 / (4 - 1);
    // open ages 03-05T12:00 -> 03-15 = 9.5 days each. web: a5 cancelled: rate 0 / 0 -> null.
    expect(await a.actionItemDebt({ ...open, asOf: '2024-03-15T00:00:00Z' })).toEqual([
      { team: r('pay'), created: 4, completed: 1, cancelled: 1, open: 2, overdue: 1, completionRate: 1 / 3, medianOpenAgeDays: 9.5 },
      { team: r('web'), created: 1, completed: 0, cancelled: 1, open: 0, overdue: 0, completionRate: null, medianOpenAgeDays: null },
    ]);
    // asOf = now (05-01): pay a1..a4 + a7 = 5; completed a4, a1; cancelled a3; open a2, a7;
    // overdue a2 (due 03-20); rate 2 / 4; ages a2 03-05T12:00 -> 05-01 = 56.5 d, a7 03-16 -> 05-01 = 46 d,
    // median 51.25.
    const pay = { team: r('pay'), created: 5, completed: 2, cancelled: 1, open: 2, overdue: 1, completionRate: 0.5, medianOpenAgeDays: 51.25 };
    expect(await a.actionItemDebt(open)).toEqual([
      pay,
      { team: r('web'), created: 1, completed: 0, cancelled: 1, open: 0, overdue: 0, completionRate: null, medianOpenAgeDays: null },
    ]);
    // Window from 03-06 (on creation times): pay a3, a4 (a7 after asOf) -> rate 1 / 1; ties at 0 open by id.
    expect(await a.actionItemDebt({ now: NOW, window: { from: '2024-03-06T00:00:00Z' }, asOf: '2024-03-15T00:00:00Z' })).toEqual([
      { team: r('pay'), created: 2, completed: 1, cancelled: 1, open: 0, overdue: 0, completionRate: 1, medianOpenAgeDays: null },
      { team: r('web'), created: 1, completed: 0, cancelled: 1, open: 0, overdue: 0, completionRate: null, medianOpenAgeDays: null },
    ]);
    // Org delta lists teams with open items only.
    expect((await a.orgDelta(open)).actionItemDebt).toEqual([pay]);
  },
};

// E. On-call drift and paging vs presence -------------------------------------------------------------

const E_EVENTS = [
  ...org(),
  ev('OnCallShiftScheduled', { teamId: 'pay', shiftId: 's1', personId: 'chen', startsAt: '2024-03-05T00:00:00Z', endsAt: '2024-03-06T00:00:00Z', occurredAt: '2024-03-02T00:00:00Z' }),
  ev('OnCallShiftScheduled', { teamId: 'pay', shiftId: 's2', personId: 'ghost', startsAt: '2024-03-07T00:00:00Z', endsAt: '2024-03-08T00:00:00Z', occurredAt: '2024-03-02T00:00:00Z' }),
  // Ends exactly at INC-12's declaredAt: does not cover it (endsAt exclusive).
  ev('OnCallShiftScheduled', { teamId: 'web', shiftId: 'w1', personId: 'bo', startsAt: '2024-03-05T00:00:00Z', endsAt: '2024-03-05T10:00:00Z', occurredAt: '2024-03-02T00:00:00Z' }),
  // INC-12: owners pay (checkout) and web (site); on call: chen (s1). chen is paged, never joins.
  ...incident('INC-12', '2024-03-05T10:00:00Z', 'SEV2', ['checkout', 'site'], [
    ['ResponderPaged', { personId: 'chen', occurredAt: '2024-03-05T10:00:00Z' }],
    ['ResponderPaged', { personId: 'ana', occurredAt: '2024-03-05T10:05:00Z' }],
    join('ana', '2024-03-05T10:10:00Z', 'commander'),
    join('bo', '2024-03-05T10:20:00Z'),
  ]),
  // INC-13: on call ghost (never registered), paged twice, joins: not drifted.
  ...incident('INC-13', '2024-03-07T10:00:00Z', 'SEV3', ['checkout'], [
    ['ResponderPaged', { personId: 'ghost', occurredAt: '2024-03-07T10:00:00Z' }],
    ['ResponderPaged', { personId: 'ghost', occurredAt: '2024-03-07T10:01:00Z' }],
    join('ghost', '2024-03-07T10:05:00Z'),
  ]),
  // INC-14: legacy has no owner: not covered. dee is paged, never joins.
  ...incident('INC-14', '2024-03-09T10:00:00Z', 'SEV3', ['legacy'], [['ResponderPaged', { personId: 'dee', occurredAt: '2024-03-09T10:00:00Z' }]]),
];

const fixtureE: Fixture = {
  name: 'E: on-call drift, paging vs presence, a placeholder on call',
  events: E_EVENTS,
  async check(a) {
    // Covered: INC-12 (chen), INC-13 (ghost) = 2; drifted: INC-12 (chen absent) -> 1/2.
    expect(await a.onCallDrift(open)).toEqual({
      covered: 2,
      drifted: 1,
      driftShare: 0.5,
      incidents: [{ incident: inc('INC-12', '2024-03-05T10:00:00Z'), onCall: [r('chen')], absent: [r('chen')], responders: [r('ana'), r('bo')] }],
    });
    // An empty window: nothing covered, share null.
    expect(await a.onCallDrift({ now: NOW, window: { from: '2024-03-10T00:00:00Z' } })).toEqual({ covered: 0, drifted: 0, driftShare: null, incidents: [] });
    // People: chen (paged @12, never joined), dee (@14), bo (joined @12 unpaged); ana and ghost were
    // paged and joined. Teams at declaredAt: chen -> pay, web; dee -> ops; bo -> web.
    expect(await a.pagingVsPresence(open)).toEqual({
      people: [
        { person: r('chen'), pagedNotJoined: 1, joinedUnpaged: 0 },
        { person: r('dee'), pagedNotJoined: 1, joinedUnpaged: 0 },
        { person: r('bo'), pagedNotJoined: 0, joinedUnpaged: 1 },
      ],
      teams: [
        { team: r('web'), pagedNotJoined: 1, joinedUnpaged: 1 },
        { team: r('ops'), pagedNotJoined: 1, joinedUnpaged: 0 },
        { team: r('pay'), pagedNotJoined: 1, joinedUnpaged: 0 },
      ],
    });
    // Nobody resolved: no engagement has an end -> 0 hours, no concurrency; minutes to first join:
    // INC-12 10, INC-13 5 (INC-14 nobody: not in the statistics) -> median 7.5, p90 = 2nd = 10.
    // people [2, 1, 0] -> median 1, p90 = 3rd of 3 = 2; teams: INC-12 {pay, web} 2, INC-13 ghost
    // has no team 0, INC-14 0 -> [0, 0, 2]: median 0, p90 2.
    expect(await a.coordinationCost(open)).toEqual({
      incidents: 3,
      people: { median: 1, p90: 2, max: 2 },
      teams: { median: 0, p90: 2, max: 2 },
      minutesToFirstJoin: { median: 7.5, p90: 10, max: 10 },
      slowestToFirstJoin: [
        { incident: inc('INC-12', '2024-03-05T10:00:00Z'), people: 2, teams: 2, minutesToFirstJoin: 10 },
        { incident: inc('INC-13', '2024-03-07T10:00:00Z'), people: 1, teams: 0, minutesToFirstJoin: 5 },
      ],
    });
  },
};

// F. Engagement ends, re-joins, concurrency, reopened incidents, empty windows -----------------------

const F_EVENTS = [
  ...org(),
  // bo: INC-15 [10:00, 11:00) (first leave; the re-join does not extend it), INC-16 [10:30, 11:30),
  // INC-17 [11:00, 13:00), INC-18 from 12:00 without an end.
  ...incident('INC-15', '2024-03-12T10:00:00Z', 'SEV4', ['site'], [
    join('bo', '2024-03-12T10:00:00Z'),
    ['ResponderLeft', { personId: 'bo', occurredAt: '2024-03-12T11:00:00Z' }],
    join('bo', '2024-03-12T11:30:00Z'),
    resolve('2024-03-12T12:00:00Z'),
  ]),
  ...incident('INC-16', '2024-03-12T10:30:00Z', 'SEV4', ['site'], [join('bo', '2024-03-12T10:30:00Z'), resolve('2024-03-12T11:30:00Z')]),
  ...incident('INC-17', '2024-03-12T11:00:00Z', 'SEV4', ['site'], [join('bo', '2024-03-12T11:00:00Z'), resolve('2024-03-12T13:00:00Z')]),
  ...incident('INC-18', '2024-03-12T12:00:00Z', 'SEV4', ['site'], [join('bo', '2024-03-12T12:00:00Z')]),
  // INC-19: resolved, reopened, then ana joins: her end is the second resolution (1 h), not negative.
  ...incident('INC-19', '2024-03-13T10:00:00Z', 'SEV2', ['checkout'], [
    resolve('2024-03-13T10:30:00Z'),
    ['IncidentReopened', { occurredAt: '2024-03-13T11:00:00Z' }],
    join('ana', '2024-03-13T11:30:00Z'),
    resolve('2024-03-13T12:30:00Z'),
  ]),
];

const fixtureF: Fixture = {
  name: 'F: engagement ends, re-joins, concurrency, a reopened incident, empty windows',
  events: F_EVENTS,
  async check(a) {
    // bo: 1 + 1 + 2 + 0 = 4 h; at 10:30 two engagements are open, at 11:00 INC-15's has ended
    // (half-open) while INC-16 and INC-17 are open: 2. New York is UTC-4 from 10 March: 06:00-08:00, off.
    // ana: 1 h, 12:30 in Berlin, on hours.
    expect(await a.load(open)).toEqual([
      { person: r('bo'), incidents: 4, offHoursIncidents: 4, responderHours: 4, maxConcurrent: 2 },
      { person: r('ana'), incidents: 1, offHoursIncidents: 0, responderHours: 1, maxConcurrent: 1 },
    ]);
    // Burden: checkout INC-19 SEV2 = 8, duration to the FIRST resolution = 30 min, 1 h;
    // site: 4 x SEV4 = 8, 4 h, durations 120, 60, 120 (INC-18 unresolved) -> median 120.
    // Tie on weight 8: site first on responder hours.
    expect(await a.serviceBurden(open)).toEqual([
      {
        service: r('site'),
        incidents: 4,
        bySeverity: [{ severity: 'SEV4', count: 4 }],
        weightedIncidents: 8,
        responderHours: 4,
        people: 1,
        teams: 1,
        medianDurationMinutes: 120,
        cost: [],
      },
      {
        service: r('checkout'),
        incidents: 1,
        bySeverity: [{ severity: 'SEV2', count: 1 }],
        weightedIncidents: 8,
        responderHours: 1,
        people: 1,
        teams: 1,
        medianDurationMinutes: 30,
        cost: [],
      },
    ]);
    // An empty window: empty lists, statistics null (not NaN), members still counted at its end.
    const empty: AnalysisOptions = { now: NOW, window: { from: '2024-04-01T00:00:00Z', to: '2024-04-02T00:00:00Z' } };
    expect(await a.heroes(empty)).toEqual([]);
    expect(await a.load(empty)).toEqual([]);
    expect(await a.teamCollaboration(empty)).toEqual([]);
    expect(await a.serviceBurden(empty)).toEqual([]);
    expect(await a.pagingVsPresence(empty)).toEqual({ people: [], teams: [] });
    expect(await a.timeZones(empty)).toEqual({ incidents: [], handoffsAcrossZones: [], teams: [] });
    expect(await a.actionItemDebt(empty)).toEqual([]);
    expect(await a.coordinationCost(empty)).toEqual({
      incidents: 0,
      people: { median: null, p90: null, max: null },
      teams: { median: null, p90: null, max: null },
      minutesToFirstJoin: { median: null, p90: null, max: null },
      slowestToFirstJoin: [],
    });
    expect(await a.teamLoad(empty)).toEqual([
      { team: r('ops'), members: 2, incidents: 0, incidentsPerMember: 0, responderHours: 0, offHoursShare: null },
      { team: r('pay'), members: 2, incidents: 0, incidentsPerMember: 0, responderHours: 0, offHoursShare: null },
      { team: r('web'), members: 2, incidents: 0, incidentsPerMember: 0, responderHours: 0, offHoursShare: null },
    ]);
  },
};

// G. Placeholders ----------------------------------------------------------------------------------

const G_EVENTS = [
  ...org(),
  ev('TeamMemberAdded', { teamId: 'ops', personId: 'nobody', occurredAt: '2024-03-02T00:00:00Z' }),
  ev('ServiceOwnershipAssigned', { serviceId: 'legacy', teamId: 'phantom', occurredAt: '2024-03-02T00:00:00Z' }),
  ...incident('INC-20', '2024-03-05T10:00:00Z', 'SEV3', ['shadow'], [
    ['ResponderPaged', { personId: 'ghost', occurredAt: '2024-03-05T10:00:00Z' }],
    join('ghost', '2024-03-05T10:10:00Z'),
    resolve('2024-03-05T11:00:00Z'),
  ]),
];

const fixtureG: Fixture = {
  name: 'G: placeholders and what refers to them',
  events: G_EVENTS,
  async check(a) {
    // By kind, then id; references by relationship, kind, id. (Event-catalog references only.)
    expect(await a.placeholders()).toEqual([
      {
        kind: 'PERSON',
        id: 'ghost',
        referencedBy: [
          { kind: 'INCIDENT', id: 'INC-20', relationship: 'PAGED' },
          { kind: 'INCIDENT', id: 'INC-20', relationship: 'RESPONDED_TO' },
        ],
      },
      { kind: 'PERSON', id: 'nobody', referencedBy: [{ kind: 'TEAM', id: 'ops', relationship: 'MEMBER_OF' }] },
      { kind: 'SERVICE', id: 'shadow', referencedBy: [{ kind: 'INCIDENT', id: 'INC-20', relationship: 'IMPACTED' }] },
      { kind: 'TEAM', id: 'phantom', referencedBy: [{ kind: 'SERVICE', id: 'legacy', relationship: 'OWNS' }] },
    ]);
    // A placeholder is named null; shadow has no owner, so ghost is an outsider there.
    expect(await a.heroes(open)).toEqual([
      { person: { id: 'ghost', name: null }, incidents: 1, outsiderIncidents: 1, teamsHelped: 0, helpedTeams: [], offHoursIncidents: 0, share: 1 },
    ]);
    expect(await a.serviceResponse('shadow', open)).toEqual({
      service: { id: 'shadow', name: null },
      incidents: 1,
      engagements: 1,
      outsiderEngagements: 1,
      outsiderShare: 1,
      topResponderShare: 1,
      topOutsiders: [{ person: { id: 'ghost', name: null }, incidents: [inc('INC-20', '2024-03-05T10:00:00Z')], teams: [] }],
    });
  },
};

export const FIXTURES: readonly Fixture[] = [fixtureA, fixtureB, fixtureC, fixtureD, fixtureE, fixtureF, fixtureG];
