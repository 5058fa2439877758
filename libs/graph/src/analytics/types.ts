/**
 * Result shapes of the analyses of ANALYTICS.md (../shared/design). The Cypher implementation
 * (libs/graph/src/analytics) and the test-only reference implementation
 * (libs/graph/src/analytics/testing/reference) both produce exactly these shapes, so a property
 * test can compare them field by field. Numbers are not rounded; ratios with a zero denominator
 * and statistics of an empty list are null. Lists are always in the documented order.
 *
 * Clarifications of ANALYTICS.md that both implementations follow (docs/analytics.md):
 * - The window is [from, to) on the incident's declaredAt (ActionItemCreated's occurredAt for debt).
 * - "As of the end of the window" (team tree, team members) means "holds at `to`", or at `now` when
 *   `to` is absent; `now` is a parameter (default: the time of the query).
 * - An engagement's end is the earliest of the person's first ResponderLeft at or after the first
 *   join and the incident's first IncidentResolved at or after the first join (an end before the
 *   first join would give negative hours).
 * - Time-zone figures (off hours, zones, offHoursShare, handoffs across zones) leave out engagements
 *   and people without a time zone at the instant in question: out of numerators and denominators.
 * - Action items without ownerTeamId are not in any team's debt; items created after `asOf` are not
 *   counted (they do not exist yet at `asOf`).
 * - Rankings on responderHours compare the exact sums of whole milliseconds (no floating ties).
 * - p90's position ceil(0.9 n) is computed in integers: floor((9 n + 9) / 10).
 * - orgDelta takes the top 10 of each list (servicesKeptByOutsiders included).
 * - A dissolved team has no members, owns nothing and has no parent or children from its dissolution on;
 *   a retired service has no owner from its retirement on.
 */

export interface AnalysisWindow {
  /** Inclusive lower bound (ISO-8601), open when absent. */
  from?: string | null;
  /** Exclusive upper bound (ISO-8601), open when absent. */
  to?: string | null;
}

export interface AnalysisOptions {
  window?: AnalysisWindow;
  /** The instant that stands for "now" (ISO-8601); default: the time of the query. */
  now?: string;
}

/** A person, team or service as results name it. `name` is null for a placeholder. */
export interface EntityRef {
  id: string;
  name: string | null;
}

export interface IncidentRef {
  id: string;
  title: string | null;
  /** ISO-8601 instant in UTC (toISOString form). */
  declaredAt: string;
}

export interface Stats {
  median: number | null;
  /** Nearest rank: the value at position ceil(0.9 n) (1-based) of the sorted list. */
  p90: number | null;
  max: number | null;
}

// 1. Service response ----------------------------------------------------------------------------

export interface OutsiderResponder {
  person: EntityRef;
  /** Incidents of the service this person joined as an outsider, by declaredAt then id. */
  incidents: IncidentRef[];
  /** Teams the person was a member of at those incidents' declaredAt, by id. */
  teams: EntityRef[];
}

export interface ServiceResponse {
  service: EntityRef;
  incidents: number;
  engagements: number;
  outsiderEngagements: number;
  outsiderShare: number | null;
  topResponderShare: number | null;
  /** Up to 10 outsiders, by number of their outsider incidents desc, then person id asc. */
  topOutsiders: OutsiderResponder[];
}

// 2. Heroes ---------------------------------------------------------------------------------------

export interface Hero {
  person: EntityRef;
  incidents: number;
  outsiderIncidents: number;
  teamsHelped: number;
  /** The distinct owning teams of their outsider incidents, by id. */
  helpedTeams: EntityRef[];
  offHoursIncidents: number;
  share: number | null;
}

// 3. Team collaboration / hidden coupling ---------------------------------------------------------

export interface TeamCollaborationEdge {
  /** teamA.id < teamB.id */
  teamA: EntityRef;
  teamB: EntityRef;
  sharedIncidents: number;
  orgDistance: number | null;
}

// 4. Time zones -----------------------------------------------------------------------------------

export interface IncidentZones {
  incident: IncidentRef;
  zones: number;
}

export interface ZoneHandoff {
  incident: IncidentRef;
  from: EntityRef;
  to: EntityRef;
  at: string;
  fromTimeZone: string;
  toTimeZone: string;
  /** UTC offsets in minutes at `at`. */
  fromOffsetMinutes: number;
  toOffsetMinutes: number;
}

export interface TeamOffHours {
  team: EntityRef;
  /** Engagements (with a known zone) of people who were members at the incident's declaredAt. */
  engagements: number;
  offHoursEngagements: number;
  offHoursShare: number | null;
}

export interface TimeZonesReport {
  /** Incidents in the window with at least one responder, by declaredAt then id. */
  incidents: IncidentZones[];
  /** By `at`, then incident id, then from id. */
  handoffsAcrossZones: ZoneHandoff[];
  /** Teams with at least one such engagement, by offHoursShare desc (nulls last), then id. */
  teams: TeamOffHours[];
}

// 5. Action-item debt -----------------------------------------------------------------------------

export interface TeamActionItemDebt {
  team: EntityRef;
  created: number;
  completed: number;
  cancelled: number;
  open: number;
  overdue: number;
  completionRate: number | null;
  medianOpenAgeDays: number | null;
}

// 6. On-call drift --------------------------------------------------------------------------------

export interface DriftedIncident {
  incident: IncidentRef;
  /** People on the covering shifts, by id. */
  onCall: EntityRef[];
  /** On-call people who never joined, by id. */
  absent: EntityRef[];
  /** Everyone who joined, by id. */
  responders: EntityRef[];
}

export interface OnCallDriftReport {
  covered: number;
  drifted: number;
  driftShare: number | null;
  /** By declaredAt, then id (the first `listLimit` of them; orgDelta lists 10). */
  incidents: DriftedIncident[];
}

// 7. Load -----------------------------------------------------------------------------------------

export interface PersonLoad {
  person: EntityRef;
  incidents: number;
  offHoursIncidents: number;
  responderHours: number;
  maxConcurrent: number;
}

// 8. Paging vs presence ---------------------------------------------------------------------------

export interface PersonPaging {
  person: EntityRef;
  pagedNotJoined: number;
  joinedUnpaged: number;
}

export interface TeamPaging {
  team: EntityRef;
  pagedNotJoined: number;
  joinedUnpaged: number;
}

export interface PagingVsPresenceReport {
  /** People with a non-zero figure, by pagedNotJoined desc, joinedUnpaged desc, id. */
  people: PersonPaging[];
  /** Teams with a non-zero figure, same order. */
  teams: TeamPaging[];
}

// 9. Coordination cost ----------------------------------------------------------------------------

export interface IncidentCoordination {
  incident: IncidentRef;
  people: number;
  teams: number;
  /** null when nobody joined. */
  minutesToFirstJoin: number | null;
}

export interface CoordinationCostReport {
  incidents: number;
  people: Stats;
  teams: Stats;
  /** Over incidents with at least one responder. */
  minutesToFirstJoin: Stats;
  /** Up to 10 incidents with the longest time to first join (desc, then id); nobody-joined last is never listed. */
  slowestToFirstJoin: IncidentCoordination[];
}

// 10. Service burden ------------------------------------------------------------------------------

export interface SeverityCount {
  severity: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4' | 'SEV5';
  count: number;
}

export interface CostAmount {
  currency: string;
  amount: number;
}

export interface ServiceBurden {
  service: EntityRef;
  incidents: number;
  /** Only severities with a non-zero count, SEV1 first. */
  bySeverity: SeverityCount[];
  weightedIncidents: number;
  responderHours: number;
  people: number;
  teams: number;
  medianDurationMinutes: number | null;
  /** By currency. */
  cost: CostAmount[];
}

// 11. Finding priority ----------------------------------------------------------------------------

export interface Finding {
  id: string;
  serviceId: string;
}

export interface PrioritizedFinding {
  /** 1-based. */
  rank: number;
  findingId: string;
  burden: ServiceBurden;
}

// 12. Team load -----------------------------------------------------------------------------------

export interface TeamLoad {
  team: EntityRef;
  members: number;
  incidents: number;
  incidentsPerMember: number | null;
  responderHours: number;
  offHoursShare: number | null;
}

// 13. Org delta -----------------------------------------------------------------------------------

export interface OrgDeltaReport {
  window: AnalysisWindow;
  /** Services with outsiderShare >= 0.5 and at least 3 incidents, by outsiderShare desc, incidents desc, id. */
  servicesKeptByOutsiders: ServiceResponse[];
  heroes: Hero[];
  hiddenCoupling: TeamCollaborationEdge[];
  actionItemDebt: TeamActionItemDebt[];
  onCallDrift: OnCallDriftReport;
  pagingVsPresence: PagingVsPresenceReport;
  serviceBurden: ServiceBurden[];
  teamLoad: TeamLoad[];
}

// Data quality ------------------------------------------------------------------------------------

export type PlaceholderKind = 'PERSON' | 'TEAM' | 'SERVICE' | 'INCIDENT';

export interface PlaceholderReference {
  /** The kind of node that refers to it (PERSON, TEAM, SERVICE, INCIDENT, ACTION_ITEM, ...). */
  kind: string;
  id: string;
  /** The relationship type, e.g. RESPONDED_TO, OWNS, MEMBER_OF. */
  relationship: string;
}

export interface Placeholder {
  kind: PlaceholderKind;
  id: string;
  referencedBy: PlaceholderReference[];
}

// The org in practice: who responded to which team's services ------------------------------------

/**
 * One person and one team whose services the person responded to: every engagement in the window
 * counts once for each team owning (at declaredAt) a service the incident impacted. `outsiderIncidents`
 * are those joined as an outsider (ANALYTICS.md's outsider: none of the person's teams owned any of
 * the incident's services). By incidents desc, then person id, then team id.
 */
export interface ResponseEdge {
  person: EntityRef;
  team: EntityRef;
  incidents: number;
  outsiderIncidents: number;
}

// The org in theory: the team tree as of an instant -----------------------------------------------

/** A team that exists at the instant (formed, not dissolved), with its parent, members and owned services. By team id. */
export interface OrgTreeTeam {
  team: EntityRef;
  parent: EntityRef | null;
  /** By person id; `since` is the start of the membership holding at the instant. */
  members: { person: EntityRef; role: string | null; since: string }[];
  /** By service id. */
  services: EntityRef[];
}

// The whole surface ------------------------------------------------------------------------------

/** What both implementations offer; `limit` defaults are 10 (heroes, hiddenCoupling, load, serviceBurden). */
export interface Analytics {
  serviceResponse(serviceId: string, options?: AnalysisOptions): Promise<ServiceResponse | null>;
  heroes(options?: AnalysisOptions & { limit?: number }): Promise<Hero[]>;
  teamCollaboration(options?: AnalysisOptions & { minSharedIncidents?: number }): Promise<TeamCollaborationEdge[]>;
  hiddenCoupling(options?: AnalysisOptions & { limit?: number }): Promise<TeamCollaborationEdge[]>;
  /** `listLimit`: how many incidents and handoffs to list (default all); the teams are always all. */
  timeZones(options?: AnalysisOptions & { listLimit?: number }): Promise<TimeZonesReport>;
  actionItemDebt(options?: AnalysisOptions & { asOf?: string }): Promise<TeamActionItemDebt[]>;
  /** `listLimit`: how many drifted incidents to list (default all); `covered`, `drifted`, `driftShare` count all. */
  onCallDrift(options?: AnalysisOptions & { listLimit?: number }): Promise<OnCallDriftReport>;
  load(options?: AnalysisOptions & { limit?: number }): Promise<PersonLoad[]>;
  pagingVsPresence(options?: AnalysisOptions): Promise<PagingVsPresenceReport>;
  coordinationCost(options?: AnalysisOptions): Promise<CoordinationCostReport>;
  serviceBurden(options?: AnalysisOptions & { limit?: number }): Promise<ServiceBurden[]>;
  prioritizeFindings(findings: Finding[], options?: AnalysisOptions): Promise<PrioritizedFinding[]>;
  teamLoad(options?: AnalysisOptions): Promise<TeamLoad[]>;
  orgDelta(options?: AnalysisOptions): Promise<OrgDeltaReport>;
  placeholders(): Promise<Placeholder[]>;
  /** `minIncidents` default 1; `limit` default all. */
  responseEdges(options?: AnalysisOptions & { minIncidents?: number; limit?: number }): Promise<ResponseEdge[]>;
  orgTree(asOf: string): Promise<OrgTreeTeam[]>;
}
