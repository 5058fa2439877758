import type { Driver } from 'neo4j-driver';
import neo4j from 'neo4j-driver';
import { readRows } from '../graph-reader';
import * as Q from './queries';
import { compareIds, maxConcurrent, median, nearPairs, orgDistance, ratio, stats } from './stats';
import type {
  AnalysisOptions,
  Analytics,
  CoordinationCostReport,
  CostAmount,
  EntityRef,
  Finding,
  Hero,
  IncidentRef,
  IncidentZones,
  OnCallDriftReport,
  OrgDeltaReport,
  OutsiderResponder,
  PagingVsPresenceReport,
  PersonLoad,
  Placeholder,
  OrgTreeTeam,
  PrioritizedFinding,
  ResponseEdge,
  ServiceBurden,
  ServiceResponse,
  SeverityCount,
  TeamActionItemDebt,
  TeamCollaborationEdge,
  TeamLoad,
  TeamOffHours,
  TimeZonesReport,
  ZoneHandoff,
} from './types';

export const DEFAULT_LIMIT = 10;
const ALL = 1_000_000_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'] as const;

/** Engagements of each team's members at declaredAt (teamEngagementsQuery): for team load and time zones. */
interface TeamEngagements {
  team: EntityRef;
  incidents: number;
  responderMs: number;
  /** Engagements whose person had a zone at the first join, and the off-hours ones among them. */
  zoned: number;
  offHours: number;
}

/** A service's figures that response shares and burden ranking need (serviceTotalsQuery). */
interface ServiceTotals {
  service: EntityRef;
  incidents: number;
  engagements: number;
  outsiderEngagements: number;
  weightedIncidents: number;
  responderMs: number;
}

interface RawIncidentRef {
  id: string;
  title: string | null;
  declaredAt: string;
}

const iso = (value: string) => new Date(value).toISOString();
const incidentRef = (raw: RawIncidentRef): IncidentRef => ({ id: raw.id, title: raw.title, declaredAt: iso(raw.declaredAt) });
const byId = (a: EntityRef, b: EntityRef) => compareIds(a.id, b.id);

/**
 * The analyses of ANALYTICS.md over the Neo4j graph, one named query each (./queries.ts), with the
 * order statistics and tree distances done here (./stats.ts). `now` defaults to the time of the call.
 */
export class CypherAnalytics implements Analytics {
  constructor(
    private readonly driver: Driver,
    private readonly database?: string,
  ) {}

  private read<T>(query: string, params: Record<string, unknown>): Promise<T[]> {
    return readRows<T>(this.driver, query, params, this.database);
  }

  private window(options: AnalysisOptions = {}) {
    const from = options.window?.from ?? null;
    const to = options.window?.to ?? null;
    const now = options.now ?? new Date().toISOString();
    return { shape: { from: from !== null, to: to !== null }, params: { from, to, now }, end: to ?? now };
  }

  async serviceResponse(serviceId: string, options: AnalysisOptions = {}): Promise<ServiceResponse | null> {
    const [summary] = await this.serviceResponses([serviceId], options);
    return summary ? this.withTopOutsiders(summary, options) : null;
  }

  /** A summary completed with its top outsiders (one more query, for that service only). */
  private async withTopOutsiders(summary: ServiceResponse, options: AnalysisOptions): Promise<ServiceResponse> {
    const w = this.window(options);
    const rows = await this.read<{ person: EntityRef; incident: RawIncidentRef; teams: EntityRef[] }>(Q.serviceOutsidersQuery(w.shape), {
      ...w.params,
      serviceId: summary.service.id,
    });
    return { ...summary, topOutsiders: topOutsiders(rows) };
  }

  /** The totals of the services with incidents in the window (the given ones, or all when null). */
  private serviceTotals(serviceIds: string[] | null, options: AnalysisOptions): Promise<ServiceTotals[]> {
    const w = this.window(options);
    return this.read<ServiceTotals>(Q.serviceTotalsQuery(w.shape), { ...w.params, serviceIds });
  }

  /** Summaries without topOutsiders, for the given services. */
  private async serviceResponses(serviceIds: string[], options: AnalysisOptions): Promise<ServiceResponse[]> {
    if (serviceIds.length === 0) return [];
    const w = this.window(options);
    const rows = await this.read<{ service: EntityRef; incidents: number; engagements: number; outsiderEngagements: number; topJoined: number | null }>(
      Q.serviceResponseQuery(w.shape),
      { ...w.params, serviceIds },
    );
    return rows.map((row) => ({
      service: row.service,
      incidents: row.incidents,
      engagements: row.engagements,
      outsiderEngagements: row.outsiderEngagements,
      outsiderShare: ratio(row.outsiderEngagements, row.engagements),
      topResponderShare: row.topJoined === null ? null : ratio(row.topJoined, row.incidents),
      topOutsiders: [],
    }));
  }

  async heroes(options: AnalysisOptions & { limit?: number } = {}): Promise<Hero[]> {
    const w = this.window(options);
    const rows = await this.read<{
      person: EntityRef;
      incidents: number;
      outsiderIncidents: number;
      offHoursIncidents: number;
      total: number;
      helpedTeams: EntityRef[];
    }>(Q.heroesQuery(w.shape), { ...w.params, limit: neo4j.int(options.limit ?? DEFAULT_LIMIT) });
    return rows.map((row) => ({
      person: row.person,
      incidents: row.incidents,
      outsiderIncidents: row.outsiderIncidents,
      teamsHelped: row.helpedTeams.length,
      helpedTeams: [...row.helpedTeams].sort(byId),
      offHoursIncidents: row.offHoursIncidents,
      share: ratio(row.incidents, row.total),
    }));
  }

  async teamCollaboration(options: AnalysisOptions & { minSharedIncidents?: number } = {}): Promise<TeamCollaborationEdge[]> {
    const w = this.window(options);
    const [rows, tree] = await Promise.all([
      this.read<{ teamA: EntityRef; teamB: EntityRef; sharedIncidents: number }>(Q.teamCollaborationQuery(w.shape), {
        ...w.params,
        minShared: neo4j.int(options.minSharedIncidents ?? 1),
      }),
      this.teamTree(w.end),
    ]);
    return withDistances(rows, tree);
  }

  /** The edges at org distance 3 or more (or none): the tree is read first, so Neo4j ranks only those. */
  async hiddenCoupling(options: AnalysisOptions & { limit?: number } = {}): Promise<TeamCollaborationEdge[]> {
    const w = this.window(options);
    const tree = await this.teamTree(w.end);
    const rows = await this.read<{ teamA: EntityRef; teamB: EntityRef; sharedIncidents: number }>(Q.hiddenCouplingQuery(w.shape), {
      ...w.params,
      minShared: neo4j.int(1),
      near: nearPairs(tree),
      limit: neo4j.int(options.limit ?? DEFAULT_LIMIT),
    });
    return withDistances(rows, tree);
  }

  private async teamTree(at: string): Promise<Map<string, string>> {
    const rows = await this.read<{ child: string; parent: string }>(Q.teamTreeQuery, { at });
    return new Map(rows.map((row) => [row.child, row.parent]));
  }

  async timeZones(options: AnalysisOptions & { listLimit?: number } = {}): Promise<TimeZonesReport> {
    const w = this.window(options);
    const listed = { ...w.params, listLimit: neo4j.int(options.listLimit ?? ALL) };
    const [incidents, handoffs, teams] = await Promise.all([
      this.read<{ incident: RawIncidentRef; zones: number }>(Q.incidentZonesQuery(w.shape), listed),
      this.read<{
        incident: RawIncidentRef;
        from: EntityRef;
        to: EntityRef;
        at: string;
        fromZone: string;
        toZone: string;
        fromOffset: number;
        toOffset: number;
      }>(Q.zoneHandoffsQuery(w.shape), listed),
      this.read<TeamEngagements>(Q.teamEngagementsQuery(w.shape), w.params),
    ]);
    return {
      incidents: incidents.map((row): IncidentZones => ({ incident: incidentRef(row.incident), zones: row.zones })),
      handoffsAcrossZones: handoffs.map(
        (row): ZoneHandoff => ({
          incident: incidentRef(row.incident),
          from: row.from,
          to: row.to,
          at: iso(row.at),
          fromTimeZone: row.fromZone,
          toTimeZone: row.toZone,
          fromOffsetMinutes: row.fromOffset,
          toOffsetMinutes: row.toOffset,
        }),
      ),
      teams: teams
        .filter((row) => row.zoned > 0)
        .map((row): TeamOffHours => ({ team: row.team, engagements: row.zoned, offHoursEngagements: row.offHours, offHoursShare: ratio(row.offHours, row.zoned) }))
        .sort((a, b) => nullsLastDesc(a.offHoursShare, b.offHoursShare) || byId(a.team, b.team)),
    };
  }

  async actionItemDebt(options: AnalysisOptions & { asOf?: string } = {}): Promise<TeamActionItemDebt[]> {
    const w = this.window(options);
    const rows = await this.read<Omit<TeamActionItemDebt, 'completionRate' | 'medianOpenAgeDays'> & { openAgesMs: number[] }>(Q.actionItemDebtQuery(w.shape), { ...w.params, asOf: options.asOf ?? w.params.now });
    return rows.map(({ openAgesMs, ...row }) => ({
      ...row,
      completionRate: ratio(row.completed, row.created - row.cancelled),
      medianOpenAgeDays: median(openAgesMs.map((ms) => ms / MS_PER_DAY)),
    }));
  }

  async onCallDrift(options: AnalysisOptions & { listLimit?: number } = {}): Promise<OnCallDriftReport> {
    const w = this.window(options);
    const [row] = await this.read<{
      covered: number;
      driftedCount: number;
      incidents: { incident: RawIncidentRef; onCall: EntityRef[]; absent: EntityRef[]; responders: EntityRef[] }[];
    }>(Q.onCallDriftQuery(w.shape), { ...w.params, listLimit: neo4j.int(options.listLimit ?? ALL) });
    const incidents = row.incidents
      .map((x) => ({
        incident: incidentRef(x.incident),
        onCall: [...x.onCall].sort(byId),
        absent: [...x.absent].sort(byId),
        responders: [...x.responders].sort(byId),
      }))
      .sort((a, b) => compareInstants(a.incident.declaredAt, b.incident.declaredAt) || compareIds(a.incident.id, b.incident.id));
    return { covered: row.covered, drifted: row.driftedCount, driftShare: ratio(row.driftedCount, row.covered), incidents };
  }

  async load(options: AnalysisOptions & { limit?: number } = {}): Promise<PersonLoad[]> {
    const w = this.window(options);
    const rows = await this.read<{
      person: EntityRef;
      incidents: number;
      offHoursIncidents: number;
      responderMs: number;
      intervals: [number, number][];
    }>(Q.loadQuery(w.shape), { ...w.params, limit: neo4j.int(options.limit ?? DEFAULT_LIMIT) });
    return rows.map((row) => ({
      person: row.person,
      incidents: row.incidents,
      offHoursIncidents: row.offHoursIncidents,
      responderHours: row.responderMs / MS_PER_HOUR,
      maxConcurrent: maxConcurrent(row.intervals),
    }));
  }

  async pagingVsPresence(options: AnalysisOptions = {}): Promise<PagingVsPresenceReport> {
    const w = this.window(options);
    const [report] = await this.read<PagingVsPresenceReport>(Q.pagingQuery(w.shape), w.params);
    return report;
  }

  async coordinationCost(options: AnalysisOptions = {}): Promise<CoordinationCostReport> {
    const w = this.window(options);
    const [row] = await this.read<{
      incidents: number;
      people: number[];
      teams: number[];
      minutes: number[];
      slowest: { incident: RawIncidentRef; people: number; teams: number; minutesToFirstJoin: number }[];
    }>(Q.coordinationCostQuery(w.shape), w.params);
    return {
      incidents: row.incidents,
      people: stats(row.people),
      teams: stats(row.teams),
      minutesToFirstJoin: stats(row.minutes),
      slowestToFirstJoin: row.slowest.map((x) => ({ ...x, incident: incidentRef(x.incident) })),
    };
  }

  async serviceBurden(options: AnalysisOptions & { limit?: number } = {}): Promise<ServiceBurden[]> {
    return this.burdens(rankByBurden(await this.serviceTotals(null, options)).slice(0, options.limit ?? DEFAULT_LIMIT), options);
  }

  /** Burdens of the services of `totals`, in that order: the totals completed by the details query. */
  private async burdens(totals: ServiceTotals[], options: AnalysisOptions): Promise<ServiceBurden[]> {
    if (totals.length === 0) return [];
    const w = this.window(options);
    const rows = await this.read<{
      serviceId: string;
      severities: string[];
      people: number;
      teams: number;
      durations: number[];
      cost: CostAmount[];
    }>(Q.serviceBurdenDetailsQuery(w.shape), { ...w.params, serviceIds: totals.map((x) => x.service.id) });
    const details = new Map(rows.map((row) => [row.serviceId, row]));
    return totals.map((total) => {
      const row = details.get(total.service.id);
      return {
        service: total.service,
        incidents: total.incidents,
        bySeverity: severityCounts(row?.severities ?? []),
        weightedIncidents: total.weightedIncidents,
        responderHours: total.responderMs / MS_PER_HOUR,
        people: row?.people ?? 0,
        teams: row?.teams ?? 0,
        medianDurationMinutes: median(row?.durations ?? []),
        cost: row?.cost ?? [],
      };
    });
  }

  async prioritizeFindings(findings: Finding[], options: AnalysisOptions = {}): Promise<PrioritizedFinding[]> {
    const serviceIds = [...new Set(findings.map((finding) => finding.serviceId))];
    const [burdens, names] = await Promise.all([
      this.serviceTotals(serviceIds, options).then((totals) => this.burdens(totals, options)),
      this.read<EntityRef>('MATCH (s:Service) WHERE s.id IN $serviceIds RETURN s.id AS id, s.name AS name', { serviceIds }),
    ]);
    const burdenOf = new Map(burdens.map((burden) => [burden.service.id, burden]));
    const nameOf = new Map(names.map((ref) => [ref.id, ref.name]));
    const ranked = findings.map((finding) => ({
      finding,
      burden: burdenOf.get(finding.serviceId) ?? emptyBurden({ id: finding.serviceId, name: nameOf.get(finding.serviceId) ?? null }),
    }));
    // Hours are whole milliseconds over a constant: ordering them orders the milliseconds.
    ranked.sort(
      (a, b) =>
        b.burden.weightedIncidents - a.burden.weightedIncidents ||
        b.burden.responderHours - a.burden.responderHours ||
        compareIds(a.burden.service.id, b.burden.service.id) ||
        compareIds(a.finding.id, b.finding.id),
    );
    return ranked.map((x, index) => ({ rank: index + 1, findingId: x.finding.id, burden: x.burden }));
  }

  async teamLoad(options: AnalysisOptions = {}): Promise<TeamLoad[]> {
    const w = this.window(options);
    const [members, engagements] = await Promise.all([
      this.read<{ team: EntityRef; members: number }>(Q.teamMembersAtQuery, { at: w.end }),
      this.read<TeamEngagements>(Q.teamEngagementsQuery(w.shape), w.params),
    ]);
    const teams = new Map<string, TeamEngagements & { members: number }>();
    for (const row of members) teams.set(row.team.id, { team: row.team, members: row.members, incidents: 0, responderMs: 0, zoned: 0, offHours: 0 });
    for (const row of engagements) teams.set(row.team.id, { ...row, members: teams.get(row.team.id)?.members ?? 0 });
    return [...teams.values()]
      .filter((x) => x.members > 0 || x.incidents > 0)
      .sort((a, b) => b.incidents - a.incidents || byId(a.team, b.team))
      .map((x) => ({
        team: x.team,
        members: x.members,
        incidents: x.incidents,
        incidentsPerMember: ratio(x.incidents, x.members),
        responderHours: x.responderMs / MS_PER_HOUR,
        offHoursShare: ratio(x.offHours, x.zoned),
      }));
  }

  async orgDelta(options: AnalysisOptions = {}): Promise<OrgDeltaReport> {
    const fixed: AnalysisOptions = { window: options.window ?? {}, now: options.now ?? new Date().toISOString() };
    const top = { ...fixed, limit: DEFAULT_LIMIT };
    // The services' part needs only their totals: it starts as soon as they are read, beside the
    // other analyses, so that its statements fill the cores those leave idle at their end.
    const services = this.serviceTotals(null, fixed).then(async (totals) => {
      // One read of the services' totals picks both the services kept by outsiders and the most
      // burdened ones; only those few are then completed.
      const kept = totals
        .map((x) => ({ ...x, outsiderShare: ratio(x.outsiderEngagements, x.engagements) }))
        .filter((x) => x.incidents >= 3 && x.outsiderShare !== null && x.outsiderShare >= 0.5)
        .sort((a, b) => (b.outsiderShare ?? 0) - (a.outsiderShare ?? 0) || b.incidents - a.incidents || byId(a.service, b.service))
        .slice(0, DEFAULT_LIMIT);
      const [responses, serviceBurden] = await Promise.all([
        this.serviceResponses(
          kept.map((x) => x.service.id),
          fixed,
        ),
        this.burdens(rankByBurden(totals).slice(0, DEFAULT_LIMIT), fixed),
      ]);
      const responseOf = new Map(responses.map((x) => [x.service.id, x]));
      const servicesKeptByOutsiders = await Promise.all(
        kept.flatMap((x) => {
          const response = responseOf.get(x.service.id);
          return response ? [this.withTopOutsiders(response, fixed)] : [];
        }),
      );
      return { servicesKeptByOutsiders, serviceBurden };
    });
    const [{ servicesKeptByOutsiders, serviceBurden }, heroes, hiddenCoupling, debt, onCallDrift, paging, teamLoad] = await Promise.all([
      services,
      this.heroes(top),
      this.hiddenCoupling(top),
      this.actionItemDebt(fixed),
      this.onCallDrift({ ...fixed, listLimit: DEFAULT_LIMIT }),
      this.pagingVsPresence(fixed),
      this.teamLoad(fixed),
    ]);
    return {
      window: { from: fixed.window?.from ?? null, to: fixed.window?.to ?? null },
      servicesKeptByOutsiders,
      heroes,
      hiddenCoupling,
      actionItemDebt: debt.filter((x) => x.open > 0).slice(0, DEFAULT_LIMIT),
      onCallDrift,
      pagingVsPresence: { people: paging.people.slice(0, DEFAULT_LIMIT), teams: paging.teams.slice(0, DEFAULT_LIMIT) },
      serviceBurden,
      teamLoad: teamLoad.slice(0, DEFAULT_LIMIT),
    };
  }

  async placeholders(): Promise<Placeholder[]> {
    const rows = await this.read<{ kind: Placeholder['kind']; id: string; referencedBy: { label: string; id: string; relationship: string }[] }>(
      Q.placeholdersQuery,
      {},
    );
    return rows.map((row) => ({
      kind: row.kind,
      id: row.id,
      referencedBy: row.referencedBy
        .map((ref) => ({ kind: kindOf(ref.label), id: ref.id, relationship: ref.relationship }))
        .sort((a, b) => compareIds(a.relationship, b.relationship) || compareIds(a.kind, b.kind) || compareIds(a.id, b.id)),
    }));
  }

  async responseEdges(options: AnalysisOptions & { minIncidents?: number; limit?: number } = {}): Promise<ResponseEdge[]> {
    const w = this.window(options);
    return this.read<ResponseEdge>(Q.responseEdgesQuery(w.shape), {
      ...w.params,
      minIncidents: neo4j.int(options.minIncidents ?? 1),
      limit: neo4j.int(options.limit ?? ALL),
    });
  }

  /** The org as of an instant: teams that exist then, with parent, members and owned services. */
  async orgTree(asOf: string): Promise<OrgTreeTeam[]> {
    const rows = await this.read<OrgTreeTeam>(Q.orgTreeQuery, { at: asOf });
    return rows.map((row) => ({ ...row, members: row.members.map((m) => ({ ...m, since: iso(m.since) })) }));
  }
}

/** Team pairs with their org distance in `tree`, by shared incidents desc, then ids. */
function withDistances(rows: { teamA: EntityRef; teamB: EntityRef; sharedIncidents: number }[], tree: ReadonlyMap<string, string>): TeamCollaborationEdge[] {
  return rows
    .map((row) => ({ ...row, orgDistance: orgDistance(tree, row.teamA.id, row.teamB.id) }))
    .sort((a, b) => b.sharedIncidents - a.sharedIncidents || compareIds(a.teamA.id, b.teamA.id) || compareIds(a.teamB.id, b.teamB.id));
}

function topOutsiders(rows: { person: EntityRef; incident: RawIncidentRef; teams: EntityRef[] }[]): OutsiderResponder[] {
  const byPerson = new Map<string, { person: EntityRef; incidents: IncidentRef[]; teams: Map<string, EntityRef> }>();
  for (const row of rows) {
    const entry = byPerson.get(row.person.id) ?? { person: row.person, incidents: [], teams: new Map<string, EntityRef>() };
    entry.incidents.push(incidentRef(row.incident));
    for (const team of row.teams) entry.teams.set(team.id, team);
    byPerson.set(row.person.id, entry);
  }
  return [...byPerson.values()]
    .sort((a, b) => b.incidents.length - a.incidents.length || byId(a.person, b.person))
    .slice(0, DEFAULT_LIMIT)
    .map((x) => ({
      person: x.person,
      incidents: x.incidents.sort((a, b) => compareInstants(a.declaredAt, b.declaredAt) || compareIds(a.id, b.id)),
      teams: [...x.teams.values()].sort(byId),
    }));
}

/** Service burden's order: weighted incidents desc, then responder time desc, then id. */
function rankByBurden(totals: ServiceTotals[]): ServiceTotals[] {
  return [...totals].sort((a, b) => b.weightedIncidents - a.weightedIncidents || b.responderMs - a.responderMs || byId(a.service, b.service));
}

function severityCounts(severities: string[]): SeverityCount[] {
  return SEVERITIES.map((severity) => ({ severity, count: severities.filter((x) => x === severity).length })).filter((x) => x.count > 0);
}

function emptyBurden(service: EntityRef): ServiceBurden {
  return { service, incidents: 0, bySeverity: [], weightedIncidents: 0, responderHours: 0, people: 0, teams: 0, medianDurationMinutes: null, cost: [] };
}

function nullsLastDesc(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

function compareInstants(a: string, b: string): number {
  return Date.parse(a) - Date.parse(b);
}

/** `ActionItem` -> `ACTION_ITEM`. */
function kindOf(label: string): string {
  return label.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}
