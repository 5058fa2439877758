/**
 * A reference implementation of ANALYTICS.md in plain TypeScript over a list of events, for tests
 * only. It shares nothing with the Cypher implementation (only the result types): it replays the
 * events in stream order and answers each analysis from the definitions.
 *
 * Decisions taken here where ANALYTICS.md, types.ts and the brief leave something open (the lead
 * mirrors them in docs/analytics.md):
 * - "Latest event with occurredAt <= t" ties at equal occurredAt: the later event in its stream wins.
 * - Relationships hold at t when since <= t < until; a dissolved team has no members, no services
 *   and no parent/children from its dissolution on; a retired service has no owner from then on.
 * - An incident counts as resolved for `medianDurationMinutes` when it has at least one
 *   IncidentResolved (even if reopened since); its duration runs to the FIRST resolution.
 * - Load is ranked by responder time desc, then incidents desc, then person id.
 * - `zones` of an incident counts only known zones; an incident whose responders all lack a zone
 *   is listed with zones 0.
 * - A service "exists" for serviceResponse when it was registered or referenced (impacted by an
 *   incident, owner-assigned, a dependency target), whatever the window.
 * - Placeholders list the references of the event catalog only (not derived facts such as the
 *   projection's ENGAGED relationships).
 * - Ids compare by UTF-16 code units (as Neo4j compares strings).
 */
import { defaultEventId } from '@app/importers';
import type {
  AnalysisOptions,
  Analytics,
  CoordinationCostReport,
  CostAmount,
  EntityRef,
  Finding,
  Hero,
  IncidentRef,
  OnCallDriftReport,
  OrgDeltaReport,
  OrgTreeTeam,
  OutsiderResponder,
  PagingVsPresenceReport,
  PersonLoad,
  Placeholder,
  PlaceholderKind,
  PlaceholderReference,
  PrioritizedFinding,
  ResponseEdge,
  ServiceBurden,
  ServiceResponse,
  SeverityCount,
  Stats,
  TeamActionItemDebt,
  TeamCollaborationEdge,
  TeamLoad,
  TeamOffHours,
  TimeZonesReport,
  ZoneHandoff,
} from '../types';

export interface HistoryEvent {
  type: string;
  data: Record<string, unknown>;
}

type Data = Record<string, unknown>;

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const LIMIT = 10;
const SEVERITY_WEIGHT: Record<string, number> = { SEV1: 16, SEV2: 8, SEV3: 4, SEV4: 2, SEV5: 1 };
const SEVERITY_ORDER = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'] as const;

const ms = (iso: string): number => {
  const value = Date.parse(iso);
  if (Number.isNaN(value)) throw new Error(`not an instant: ${iso}`);
  return value;
};
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A value that changes over business time; `seq` is the position in its stream (ties: later wins). */
interface Change<T> {
  at: number;
  seq: number;
  value: T;
}

/** The latest change with at <= t (ties: later in the stream), or undefined. */
function latestAt<C extends Change<unknown>>(changes: readonly C[], t: number): C | undefined {
  let best: C | undefined;
  for (const change of changes) {
    if (change.at > t) continue;
    if (!best || change.at > best.at || (change.at === best.at && change.seq > best.seq)) best = change;
  }
  return best;
}

/** The value of the latest change with at <= t, or undefined. */
function valueAt<T>(changes: readonly Change<T>[], t: number): T | undefined {
  return latestAt(changes, t)?.value;
}

interface PersonFacts {
  registered: boolean;
  name: string | null;
  zones: Change<string>[];
}

interface TeamFacts {
  formed: boolean;
  name: string | null;
  dissolvedAt: number | null;
  parents: Change<string | null>[];
  formedAt: number | null;
  /** personId -> membership changes (true: added, with the role it was added with). */
  members: Map<string, (Change<boolean> & { role?: string })[]>;
  shifts: { personId: string; startsAt: number; endsAt: number }[];
}

interface ServiceFacts {
  registered: boolean;
  name: string | null;
  retiredAt: number | null;
  owners: Change<string>[];
}

interface ActionItemFacts {
  id: string;
  ownerTeamId: string | null;
  createdAt: number;
  dueAt: number | null;
  completedAt: number | null;
  cancelledAt: number | null;
}

interface IncidentFacts {
  id: string;
  title: string;
  declaredAt: number;
  severity: string;
  impacted: Set<string>;
  joins: Map<string, number[]>;
  leaves: Map<string, number[]>;
  resolutions: number[];
  paged: Set<string>;
  handoffs: { from: string; to: string; at: number }[];
  cost: { amount: number; currency: string } | null;
  actionItems: ActionItemFacts[];
}

interface Engagement {
  personId: string;
  incident: IncidentFacts;
  firstJoin: number;
  end: number | null;
  zone: string | null;
  offHours: boolean | null;
  teams: string[];
  outsider: boolean;
}

interface Window {
  from: number | null;
  to: number | null;
  now: number;
  end: number;
}

// Time zones ---------------------------------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

function localParts(instant: number, zone: string) {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return {
    weekday: parts.weekday as string,
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** True when the instant, in the zone, is on a weekend or outside 09:00-18:00. */
export function isOffHours(instant: number, zone: string): boolean {
  const local = localParts(instant, zone);
  return local.weekday === 'Sat' || local.weekday === 'Sun' || local.hour < 9 || local.hour >= 18;
}

/** UTC offset of the zone at the instant, in minutes. */
export function offsetMinutes(instant: number, zone: string): number {
  const l = localParts(instant, zone);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  const whole = instant - (instant % 1000);
  return Math.round((asUtc - whole) / MINUTE);
}

// Statistics ---------------------------------------------------------------------------------------

function medianOf(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function statsOf(values: number[]): Stats {
  if (values.length === 0) return { median: null, p90: null, max: null };
  const s = [...values].sort((a, b) => a - b);
  // ceil(0.9 n) in integers: the smallest k with 10 k >= 9 n.
  let k = 1;
  while (10 * k < 9 * s.length) k += 1;
  return { median: medianOf(s), p90: s[k - 1], max: s[s.length - 1] };
}

const div = (a: number, b: number): number | null => (b === 0 ? null : a / b);

// The reference ------------------------------------------------------------------------------------

export class ReferenceAnalytics implements Analytics {
  private readonly people = new Map<string, PersonFacts>();
  private readonly teams = new Map<string, TeamFacts>();
  private readonly services = new Map<string, ServiceFacts>();
  private readonly incidents = new Map<string, IncidentFacts>();
  /** Every reference to an id (for placeholders): kind of the id -> id -> references. */
  private readonly refs = new Map<string, Map<string, PlaceholderReference[]>>();

  constructor(events: readonly HistoryEvent[]) {
    const seqByStream = new Map<string, number>();
    // An import line without an id gets the importer's id of its content (EVENTS.md), so a line equal
    // to an earlier one of the same stream (type and data, null fields dropped) is the same event: a no-op.
    const seen = new Set<string>();
    for (const event of events) {
      const stream = streamOf(event.data);
      const data = Object.fromEntries(Object.entries(event.data).filter(([, value]) => value !== null && value !== undefined));
      const identity = defaultEventId({ type: event.type, streamId: stream, data });
      if (seen.has(identity)) continue;
      seen.add(identity);
      const seq = (seqByStream.get(stream) ?? -1) + 1;
      seqByStream.set(stream, seq);
      this.apply(event, seq);
    }
  }

  // Replay ---------------------------------------------------------------------------------------

  private person(id: string): PersonFacts {
    let p = this.people.get(id);
    if (!p) this.people.set(id, (p = { registered: false, name: null, zones: [] }));
    return p;
  }

  private team(id: string): TeamFacts {
    let t = this.teams.get(id);
    if (!t) this.teams.set(id, (t = { formed: false, name: null, formedAt: null, dissolvedAt: null, parents: [], members: new Map(), shifts: [] }));
    return t;
  }

  private service(id: string): ServiceFacts {
    let s = this.services.get(id);
    if (!s) this.services.set(id, (s = { registered: false, name: null, retiredAt: null, owners: [] }));
    return s;
  }

  private ref(kind: PlaceholderKind, id: string, by: PlaceholderReference): void {
    let byId = this.refs.get(kind);
    if (!byId) this.refs.set(kind, (byId = new Map()));
    const list = byId.get(id) ?? [];
    list.push(by);
    byId.set(id, list);
  }

  private personRef(id: unknown, by: PlaceholderReference): void {
    if (typeof id !== 'string') return;
    this.person(id);
    this.ref('PERSON', id, by);
  }

  private apply(event: HistoryEvent, seq: number): void {
    const d = event.data as Data & { occurredAt: string };
    const at = ms(d.occurredAt);
    const s = (key: string) => d[key] as string;
    switch (event.type) {
      case 'PersonRegistered': {
        const p = this.person(s('personId'));
        p.registered = true;
        p.name = s('name');
        p.zones.push({ at, seq, value: s('timeZone') });
        return;
      }
      case 'PersonUpdated': {
        const p = this.person(s('personId'));
        if (typeof d.name === 'string') p.name = d.name;
        if (typeof d.timeZone === 'string') p.zones.push({ at, seq, value: d.timeZone });
        return;
      }
      case 'TeamFormed': {
        const t = this.team(s('teamId'));
        t.formed = true;
        t.name = s('name');
        t.formedAt = at;
        if (typeof d.parentTeamId === 'string') {
          t.parents.push({ at, seq, value: d.parentTeamId });
          this.team(d.parentTeamId);
          this.ref('TEAM', d.parentTeamId, { kind: 'TEAM', id: s('teamId'), relationship: 'CHILD_OF' });
        }
        return;
      }
      case 'TeamRenamed':
        this.team(s('teamId')).name = s('name');
        return;
      case 'TeamReparented': {
        const parent = (d.parentTeamId as string | null | undefined) ?? null;
        this.team(s('teamId')).parents.push({ at, seq, value: parent });
        if (parent !== null) {
          this.team(parent);
          this.ref('TEAM', parent, { kind: 'TEAM', id: s('teamId'), relationship: 'CHILD_OF' });
        }
        return;
      }
      case 'TeamDissolved': {
        const t = this.team(s('teamId'));
        t.dissolvedAt = t.dissolvedAt === null ? at : Math.min(t.dissolvedAt, at);
        return;
      }
      case 'TeamMemberAdded':
      case 'TeamMemberRemoved': {
        const t = this.team(s('teamId'));
        const list = t.members.get(s('personId')) ?? [];
        list.push(event.type === 'TeamMemberAdded' ? { at, seq, value: true, role: typeof d.role === 'string' ? d.role : 'member' } : { at, seq, value: false });
        t.members.set(s('personId'), list);
        if (event.type === 'TeamMemberAdded') this.personRef(s('personId'), { kind: 'TEAM', id: s('teamId'), relationship: 'MEMBER_OF' });
        return;
      }
      case 'OnCallShiftScheduled':
        this.team(s('teamId')).shifts.push({ personId: s('personId'), startsAt: ms(s('startsAt')), endsAt: ms(s('endsAt')) });
        this.personRef(s('personId'), { kind: 'TEAM', id: s('teamId'), relationship: 'ON_CALL' });
        return;
      case 'ServiceRegistered': {
        const sv = this.service(s('serviceId'));
        sv.registered = true;
        sv.name = s('name');
        return;
      }
      case 'ServiceOwnershipAssigned':
        this.service(s('serviceId')).owners.push({ at, seq, value: s('teamId') });
        this.team(s('teamId'));
        this.ref('TEAM', s('teamId'), { kind: 'SERVICE', id: s('serviceId'), relationship: 'OWNS' });
        return;
      case 'ServiceDependencyAdded':
        this.service(s('serviceId'));
        this.service(s('dependsOnServiceId'));
        this.ref('SERVICE', s('dependsOnServiceId'), { kind: 'SERVICE', id: s('serviceId'), relationship: 'DEPENDS_ON' });
        return;
      case 'ServiceDependencyRemoved':
        return;
      case 'ServiceRetired': {
        const sv = this.service(s('serviceId'));
        sv.retiredAt = sv.retiredAt === null ? at : Math.min(sv.retiredAt, at);
        return;
      }
      default:
        this.applyIncident(event.type, d, at);
    }
  }

  private applyIncident(type: string, d: Data, at: number): void {
    const incidentId = d.incidentId as string;
    if (type === 'IncidentDeclared') {
      const impacted = new Set((d.impactedServiceIds as string[] | undefined) ?? []);
      this.incidents.set(incidentId, {
        id: incidentId,
        title: d.title as string,
        declaredAt: at,
        severity: d.severity as string,
        impacted,
        joins: new Map(),
        leaves: new Map(),
        resolutions: [],
        paged: new Set(),
        handoffs: [],
        cost: null,
        actionItems: [],
      });
      for (const serviceId of impacted) this.impact(incidentId, serviceId);
      this.personRef(d.declaredBy, { kind: 'INCIDENT', id: incidentId, relationship: 'DECLARED' });
      return;
    }
    const incident = this.incidents.get(incidentId);
    if (!incident) throw new Error(`${type} before IncidentDeclared of ${incidentId}`);
    const onIncident = (relationship: string): PlaceholderReference => ({ kind: 'INCIDENT', id: incidentId, relationship });
    const push = (map: Map<string, number[]>, key: string) => map.set(key, [...(map.get(key) ?? []), at]);
    switch (type) {
      case 'IncidentSeverityChanged':
        incident.severity = d.severity as string;
        return;
      case 'ServiceImpacted':
        incident.impacted.add(d.serviceId as string);
        this.impact(incidentId, d.serviceId as string);
        return;
      case 'ResponderPaged':
        incident.paged.add(d.personId as string);
        this.personRef(d.personId, onIncident('PAGED'));
        return;
      case 'ResponderAcknowledged':
        this.personRef(d.personId, onIncident('ACKNOWLEDGED'));
        return;
      case 'ResponderJoined':
        push(incident.joins, d.personId as string);
        this.personRef(d.personId, onIncident('RESPONDED_TO'));
        if (d.role === 'commander') this.personRef(d.personId, onIncident('COMMANDED'));
        return;
      case 'ResponderLeft':
        push(incident.leaves, d.personId as string);
        this.personRef(d.personId, onIncident('LEFT'));
        return;
      case 'CommandHandedOff':
        incident.handoffs.push({ from: d.fromPersonId as string, to: d.toPersonId as string, at });
        this.personRef(d.toPersonId, onIncident('COMMANDED'));
        this.personRef(d.fromPersonId, { kind: 'PERSON', id: d.toPersonId as string, relationship: 'HANDED_OFF_TO' });
        this.personRef(d.toPersonId, { kind: 'PERSON', id: d.fromPersonId as string, relationship: 'HANDED_OFF_TO' });
        return;
      case 'TimelineNoteAdded':
        this.personRef(d.authorId, { kind: 'TIMELINE_NOTE', id: `${incidentId}/${d.noteId as string}`, relationship: 'WROTE' });
        return;
      case 'IncidentMitigated':
        this.personRef(d.mitigatedBy, onIncident('MITIGATED'));
        return;
      case 'IncidentResolved':
        incident.resolutions.push(at);
        this.personRef(d.resolvedBy, onIncident('RESOLVED'));
        return;
      case 'ActionItemCreated': {
        const id = d.actionItemId as string;
        const ownerTeamId = typeof d.ownerTeamId === 'string' ? d.ownerTeamId : null;
        incident.actionItems.push({
          id,
          ownerTeamId,
          createdAt: at,
          dueAt: typeof d.dueAt === 'string' ? ms(d.dueAt) : null,
          completedAt: null,
          cancelledAt: null,
        });
        const key = `${incidentId}/${id}`;
        if (ownerTeamId !== null) {
          this.team(ownerTeamId);
          this.ref('TEAM', ownerTeamId, { kind: 'ACTION_ITEM', id: key, relationship: 'OWNED_BY' });
        }
        this.personRef(d.ownerPersonId, { kind: 'ACTION_ITEM', id: key, relationship: 'ASSIGNED_TO' });
        return;
      }
      case 'ActionItemCompleted':
      case 'ActionItemCancelled': {
        const item = incident.actionItems.find((x) => x.id === d.actionItemId);
        if (!item) throw new Error(`${type} of an unknown action item`);
        if (type === 'ActionItemCompleted') item.completedAt = at;
        else item.cancelledAt = at;
        return;
      }
      case 'ReviewPublished':
        for (const author of (d.authorIds as string[] | undefined) ?? []) {
          this.personRef(author, { kind: 'REVIEW', id: `${incidentId}/${d.reviewId as string}`, relationship: 'AUTHORED' });
        }
        return;
      case 'IncidentCostEstimated':
        incident.cost = { amount: d.amount as number, currency: d.currency as string };
        return;
      default:
        // IncidentReopened, ContributingFactorIdentified: nothing the analyses read.
        return;
    }
  }

  private impact(incidentId: string, serviceId: string): void {
    this.service(serviceId);
    this.ref('SERVICE', serviceId, { kind: 'INCIDENT', id: incidentId, relationship: 'IMPACTED' });
  }

  // The org at an instant ---------------------------------------------------------------------------

  private dissolved(teamId: string, t: number): boolean {
    const dissolvedAt = this.teams.get(teamId)?.dissolvedAt ?? null;
    return dissolvedAt !== null && dissolvedAt <= t;
  }

  private isMember(personId: string, teamId: string, t: number): boolean {
    const team = this.teams.get(teamId);
    if (!team || this.dissolved(teamId, t)) return false;
    return valueAt(team.members.get(personId) ?? [], t) === true;
  }

  /** Teams the person is a member of at t, by id. */
  private teamsOf(personId: string, t: number): string[] {
    return [...this.teams.keys()].filter((teamId) => this.isMember(personId, teamId, t)).sort(cmp);
  }

  private ownerOf(serviceId: string, t: number): string | null {
    const service = this.services.get(serviceId);
    if (!service) return null;
    if (service.retiredAt !== null && service.retiredAt <= t) return null;
    const owner = valueAt(service.owners, t);
    if (owner === undefined || this.dissolved(owner, t)) return null;
    return owner;
  }

  private parentOf(teamId: string, t: number): string | null {
    if (this.dissolved(teamId, t)) return null;
    const parent = valueAt(this.teams.get(teamId)?.parents ?? [], t) ?? null;
    if (parent === null || this.dissolved(parent, t)) return null;
    return parent;
  }

  private zoneOf(personId: string, t: number): string | null {
    return valueAt(this.people.get(personId)?.zones ?? [], t) ?? null;
  }

  /** Owning teams of the incident at its declaredAt, by id. */
  private owners(incident: IncidentFacts): string[] {
    const set = new Set<string>();
    for (const serviceId of incident.impacted) {
      const owner = this.ownerOf(serviceId, incident.declaredAt);
      if (owner !== null) set.add(owner);
    }
    return [...set].sort(cmp);
  }

  private orgDistance(a: string, b: string, t: number): number | null {
    const depthFromA = new Map<string, number>();
    for (let x: string | null = a, depth = 0; x !== null && !depthFromA.has(x); x = this.parentOf(x, t), depth += 1) depthFromA.set(x, depth);
    const seen = new Set<string>();
    for (let x: string | null = b, depth = 0; x !== null && !seen.has(x); x = this.parentOf(x, t), depth += 1) {
      const fromA = depthFromA.get(x);
      if (fromA !== undefined) return fromA + depth;
      seen.add(x);
    }
    return null;
  }

  // Refs ------------------------------------------------------------------------------------------------

  private personRefOf(id: string): EntityRef {
    const p = this.people.get(id);
    return { id, name: p?.registered ? p.name : null };
  }

  private teamRef(id: string): EntityRef {
    const t = this.teams.get(id);
    return { id, name: t?.formed ? t.name : null };
  }

  private serviceRef(id: string): EntityRef {
    const s = this.services.get(id);
    return { id, name: s?.registered ? s.name : null };
  }

  private incidentRef(incident: IncidentFacts): IncidentRef {
    return { id: incident.id, title: incident.title, declaredAt: new Date(incident.declaredAt).toISOString() };
  }

  // Window and engagements ------------------------------------------------------------------------

  private window(options: AnalysisOptions = {}): Window {
    const from = options.window?.from ? ms(options.window.from) : null;
    const to = options.window?.to ? ms(options.window.to) : null;
    const now = ms(options.now ?? new Date().toISOString());
    return { from, to, now, end: to ?? now };
  }

  private inWindow(t: number, w: Window): boolean {
    return (w.from === null || t >= w.from) && (w.to === null || t < w.to);
  }

  private incidentsIn(w: Window): IncidentFacts[] {
    return [...this.incidents.values()]
      .filter((i) => this.inWindow(i.declaredAt, w))
      .sort((a, b) => a.declaredAt - b.declaredAt || cmp(a.id, b.id));
  }

  private engagementsOf(incident: IncidentFacts): Engagement[] {
    const owners = this.owners(incident);
    const out: Engagement[] = [];
    for (const [personId, joins] of incident.joins) {
      const firstJoin = Math.min(...joins);
      const ends = [...(incident.leaves.get(personId) ?? []), ...incident.resolutions].filter((x) => x >= firstJoin);
      const end = ends.length === 0 ? null : Math.min(...ends);
      const zone = this.zoneOf(personId, firstJoin);
      const teams = this.teamsOf(personId, incident.declaredAt);
      out.push({
        personId,
        incident,
        firstJoin,
        end,
        zone,
        offHours: zone === null ? null : isOffHours(firstJoin, zone),
        teams,
        outsider: !teams.some((t) => owners.includes(t)),
      });
    }
    return out.sort((a, b) => cmp(a.personId, b.personId));
  }

  private engagementsIn(w: Window): Engagement[] {
    return this.incidentsIn(w).flatMap((i) => this.engagementsOf(i));
  }

  // 1. Service response ---------------------------------------------------------------------------

  async serviceResponse(serviceId: string, options: AnalysisOptions = {}): Promise<ServiceResponse | null> {
    if (!this.services.has(serviceId)) return null;
    return this.response(serviceId, this.window(options));
  }

  private response(serviceId: string, w: Window): ServiceResponse {
    const incidents = this.incidentsIn(w).filter((i) => i.impacted.has(serviceId));
    const engagements = incidents.flatMap((i) => this.engagementsOf(i));
    const outsiders = engagements.filter((e) => e.outsider);
    const joinedBy = new Map<string, number>();
    for (const e of engagements) joinedBy.set(e.personId, (joinedBy.get(e.personId) ?? 0) + 1);
    const top = joinedBy.size === 0 ? null : Math.max(...joinedBy.values());
    const byPerson = new Map<string, Engagement[]>();
    for (const e of outsiders) byPerson.set(e.personId, [...(byPerson.get(e.personId) ?? []), e]);
    const topOutsiders: OutsiderResponder[] = [...byPerson.entries()]
      .sort((a, b) => b[1].length - a[1].length || cmp(a[0], b[0]))
      .slice(0, LIMIT)
      .map(([personId, list]) => ({
        person: this.personRefOf(personId),
        incidents: list
          .map((e) => e.incident)
          .sort((a, b) => a.declaredAt - b.declaredAt || cmp(a.id, b.id))
          .map((i) => this.incidentRef(i)),
        teams: [...new Set(list.flatMap((e) => e.teams))].sort(cmp).map((t) => this.teamRef(t)),
      }));
    return {
      service: this.serviceRef(serviceId),
      incidents: incidents.length,
      engagements: engagements.length,
      outsiderEngagements: outsiders.length,
      outsiderShare: div(outsiders.length, engagements.length),
      topResponderShare: top === null ? null : div(top, incidents.length),
      topOutsiders,
    };
  }

  // 2. Heroes ---------------------------------------------------------------------------------------

  async heroes(options: AnalysisOptions & { limit?: number } = {}): Promise<Hero[]> {
    const w = this.window(options);
    const total = this.incidentsIn(w).length;
    const byPerson = new Map<string, Engagement[]>();
    for (const e of this.engagementsIn(w)) byPerson.set(e.personId, [...(byPerson.get(e.personId) ?? []), e]);
    return [...byPerson.entries()]
      .sort((a, b) => b[1].length - a[1].length || cmp(a[0], b[0]))
      .slice(0, options.limit ?? LIMIT)
      .map(([personId, list]) => {
        const outsider = list.filter((e) => e.outsider);
        const helped = [...new Set(outsider.flatMap((e) => this.owners(e.incident)))].sort(cmp);
        return {
          person: this.personRefOf(personId),
          incidents: list.length,
          outsiderIncidents: outsider.length,
          teamsHelped: helped.length,
          helpedTeams: helped.map((t) => this.teamRef(t)),
          offHoursIncidents: list.filter((e) => e.offHours === true).length,
          share: div(list.length, total),
        };
      });
  }

  // 3. Team collaboration ---------------------------------------------------------------------------

  async teamCollaboration(options: AnalysisOptions & { minSharedIncidents?: number } = {}): Promise<TeamCollaborationEdge[]> {
    const w = this.window(options);
    const pairs = new Map<string, { a: string; b: string; n: number }>();
    for (const incident of this.incidentsIn(w)) {
      const teams = [...new Set(this.engagementsOf(incident).flatMap((e) => e.teams))].sort(cmp);
      for (let i = 0; i < teams.length; i++) {
        for (let j = i + 1; j < teams.length; j++) {
          const key = `${teams[i]}\u0000${teams[j]}`;
          const pair = pairs.get(key) ?? { a: teams[i], b: teams[j], n: 0 };
          pair.n += 1;
          pairs.set(key, pair);
        }
      }
    }
    const min = options.minSharedIncidents ?? 1;
    return [...pairs.values()]
      .filter((p) => p.n >= min)
      .sort((x, y) => y.n - x.n || cmp(x.a, y.a) || cmp(x.b, y.b))
      .map((p) => ({ teamA: this.teamRef(p.a), teamB: this.teamRef(p.b), sharedIncidents: p.n, orgDistance: this.orgDistance(p.a, p.b, w.end) }));
  }

  async hiddenCoupling(options: AnalysisOptions & { limit?: number } = {}): Promise<TeamCollaborationEdge[]> {
    const edges = await this.teamCollaboration({ window: options.window, now: options.now });
    return edges.filter((e) => e.orgDistance === null || e.orgDistance >= 3).slice(0, options.limit ?? LIMIT);
  }

  // 4. Time zones -------------------------------------------------------------------------------------

  async timeZones(options: AnalysisOptions & { listLimit?: number } = {}): Promise<TimeZonesReport> {
    const w = this.window(options);
    const incidents = this.incidentsIn(w);
    const zones = incidents
      .map((i) => ({ i, engagements: this.engagementsOf(i) }))
      .filter((x) => x.engagements.length > 0)
      .map((x) => ({ incident: this.incidentRef(x.i), zones: new Set(x.engagements.map((e) => e.zone).filter((z) => z !== null)).size }));
    const handoffs: ZoneHandoff[] = [];
    for (const incident of incidents) {
      for (const h of incident.handoffs) {
        const fromZone = this.zoneOf(h.from, h.at);
        const toZone = this.zoneOf(h.to, h.at);
        if (fromZone === null || toZone === null) continue;
        const fromOffset = offsetMinutes(h.at, fromZone);
        const toOffset = offsetMinutes(h.at, toZone);
        if (fromOffset === toOffset) continue;
        handoffs.push({
          incident: this.incidentRef(incident),
          from: this.personRefOf(h.from),
          to: this.personRefOf(h.to),
          at: new Date(h.at).toISOString(),
          fromTimeZone: fromZone,
          toTimeZone: toZone,
          fromOffsetMinutes: fromOffset,
          toOffsetMinutes: toOffset,
        });
      }
    }
    handoffs.sort((a, b) => ms(a.at) - ms(b.at) || cmp(a.incident.id, b.incident.id) || cmp(a.from.id, b.from.id));
    const teams: TeamOffHours[] = [...this.offHoursByTeam(w).entries()]
      .map(([teamId, x]) => ({ team: this.teamRef(teamId), engagements: x.zoned, offHoursEngagements: x.off, offHoursShare: div(x.off, x.zoned) }))
      .filter((x) => x.engagements > 0)
      .sort((a, b) => nullsLastDesc(a.offHoursShare, b.offHoursShare) || cmp(a.team.id, b.team.id));
    const listed = options.listLimit ?? Infinity;
    return { incidents: zones.slice(0, listed), handoffsAcrossZones: handoffs.slice(0, listed), teams };
  }

  private offHoursByTeam(w: Window): Map<string, { zoned: number; off: number }> {
    const out = new Map<string, { zoned: number; off: number }>();
    for (const e of this.engagementsIn(w)) {
      if (e.zone === null) continue;
      for (const teamId of e.teams) {
        const x = out.get(teamId) ?? { zoned: 0, off: 0 };
        x.zoned += 1;
        if (e.offHours) x.off += 1;
        out.set(teamId, x);
      }
    }
    return out;
  }

  // 5. Action-item debt -----------------------------------------------------------------------------

  async actionItemDebt(options: AnalysisOptions & { asOf?: string } = {}): Promise<TeamActionItemDebt[]> {
    const w = this.window(options);
    const asOf = options.asOf ? ms(options.asOf) : w.now;
    const byTeam = new Map<string, ActionItemFacts[]>();
    for (const incident of this.incidents.values()) {
      for (const item of incident.actionItems) {
        if (item.ownerTeamId === null || !this.inWindow(item.createdAt, w) || item.createdAt > asOf) continue;
        byTeam.set(item.ownerTeamId, [...(byTeam.get(item.ownerTeamId) ?? []), item]);
      }
    }
    return [...byTeam.entries()]
      .map(([teamId, items]) => {
        const completed = items.filter((x) => x.completedAt !== null && x.completedAt <= asOf).length;
        const cancelled = items.filter((x) => x.cancelledAt !== null && x.cancelledAt <= asOf).length;
        const open = items.filter((x) => !(x.completedAt !== null && x.completedAt <= asOf) && !(x.cancelledAt !== null && x.cancelledAt <= asOf));
        return {
          team: this.teamRef(teamId),
          created: items.length,
          completed,
          cancelled,
          open: open.length,
          overdue: open.filter((x) => x.dueAt !== null && x.dueAt < asOf).length,
          completionRate: div(completed, items.length - cancelled),
          medianOpenAgeDays: medianOf(open.map((x) => (asOf - x.createdAt) / DAY)),
        };
      })
      .sort((a, b) => b.open - a.open || cmp(a.team.id, b.team.id));
  }

  // 6. On-call drift --------------------------------------------------------------------------------

  async onCallDrift(options: AnalysisOptions & { listLimit?: number } = {}): Promise<OnCallDriftReport> {
    const w = this.window(options);
    let covered = 0;
    const drifted: OnCallDriftReport['incidents'] = [];
    for (const incident of this.incidentsIn(w)) {
      const d = incident.declaredAt;
      const onCall = new Set<string>();
      for (const teamId of this.owners(incident)) {
        for (const shift of this.teams.get(teamId)?.shifts ?? []) if (shift.startsAt <= d && d < shift.endsAt) onCall.add(shift.personId);
      }
      if (onCall.size === 0) continue;
      covered += 1;
      const responders = [...incident.joins.keys()].sort(cmp);
      const absent = [...onCall].filter((p) => !incident.joins.has(p)).sort(cmp);
      if (absent.length === 0) continue;
      drifted.push({
        incident: this.incidentRef(incident),
        onCall: [...onCall].sort(cmp).map((p) => this.personRefOf(p)),
        absent: absent.map((p) => this.personRefOf(p)),
        responders: responders.map((p) => this.personRefOf(p)),
      });
    }
    return { covered, drifted: drifted.length, driftShare: div(drifted.length, covered), incidents: drifted.slice(0, options.listLimit ?? Infinity) };
  }

  // 7. Load -------------------------------------------------------------------------------------------

  async load(options: AnalysisOptions & { limit?: number } = {}): Promise<PersonLoad[]> {
    const w = this.window(options);
    const byPerson = new Map<string, Engagement[]>();
    for (const e of this.engagementsIn(w)) byPerson.set(e.personId, [...(byPerson.get(e.personId) ?? []), e]);
    return [...byPerson.entries()]
      .map(([personId, list]) => ({ personId, list, responderMs: sumMs(list) }))
      .sort((a, b) => b.responderMs - a.responderMs || b.list.length - a.list.length || cmp(a.personId, b.personId))
      .slice(0, options.limit ?? LIMIT)
      .map(({ personId, list, responderMs }) => ({
        person: this.personRefOf(personId),
        incidents: list.length,
        offHoursIncidents: list.filter((e) => e.offHours === true).length,
        responderHours: responderMs / HOUR,
        maxConcurrent: concurrent(list),
      }));
  }

  // 8. Paging vs presence ---------------------------------------------------------------------------

  async pagingVsPresence(options: AnalysisOptions = {}): Promise<PagingVsPresenceReport> {
    const w = this.window(options);
    const people = new Map<string, { pnj: number; jnp: number }>();
    const teams = new Map<string, { pnj: number; jnp: number }>();
    const add = (map: Map<string, { pnj: number; jnp: number }>, key: string, pnj: number, jnp: number) => {
      const x = map.get(key) ?? { pnj: 0, jnp: 0 };
      x.pnj += pnj;
      x.jnp += jnp;
      map.set(key, x);
    };
    for (const incident of this.incidentsIn(w)) {
      const everyone = new Set([...incident.paged, ...incident.joins.keys()]);
      for (const personId of everyone) {
        const paged = incident.paged.has(personId);
        const joined = incident.joins.has(personId);
        if (paged === joined) continue;
        const pnj = paged ? 1 : 0;
        add(people, personId, pnj, 1 - pnj);
        for (const teamId of this.teamsOf(personId, incident.declaredAt)) add(teams, teamId, pnj, 1 - pnj);
      }
    }
    const order = <T extends { pagedNotJoined: number; joinedUnpaged: number }>(a: T, b: T, ida: string, idb: string) =>
      b.pagedNotJoined - a.pagedNotJoined || b.joinedUnpaged - a.joinedUnpaged || cmp(ida, idb);
    return {
      people: [...people.entries()]
        .map(([id, x]) => ({ person: this.personRefOf(id), pagedNotJoined: x.pnj, joinedUnpaged: x.jnp }))
        .sort((a, b) => order(a, b, a.person.id, b.person.id)),
      teams: [...teams.entries()]
        .map(([id, x]) => ({ team: this.teamRef(id), pagedNotJoined: x.pnj, joinedUnpaged: x.jnp }))
        .sort((a, b) => order(a, b, a.team.id, b.team.id)),
    };
  }

  // 9. Coordination cost ----------------------------------------------------------------------------

  async coordinationCost(options: AnalysisOptions = {}): Promise<CoordinationCostReport> {
    const w = this.window(options);
    const rows = this.incidentsIn(w).map((incident) => {
      const engagements = this.engagementsOf(incident);
      const first = engagements.length === 0 ? null : Math.min(...engagements.map((e) => e.firstJoin));
      return {
        incident,
        people: engagements.length,
        teams: new Set(engagements.flatMap((e) => e.teams)).size,
        minutes: first === null ? null : (first - incident.declaredAt) / MINUTE,
      };
    });
    const timed = rows.filter((r) => r.minutes !== null) as (typeof rows[number] & { minutes: number })[];
    return {
      incidents: rows.length,
      people: statsOf(rows.map((r) => r.people)),
      teams: statsOf(rows.map((r) => r.teams)),
      minutesToFirstJoin: statsOf(timed.map((r) => r.minutes)),
      slowestToFirstJoin: [...timed]
        .sort((a, b) => b.minutes - a.minutes || cmp(a.incident.id, b.incident.id))
        .slice(0, LIMIT)
        .map((r) => ({ incident: this.incidentRef(r.incident), people: r.people, teams: r.teams, minutesToFirstJoin: r.minutes })),
    };
  }

  // 10. Service burden ------------------------------------------------------------------------------

  private burden(serviceId: string, w: Window): { burden: ServiceBurden; responderMs: number } {
    const incidents = this.incidentsIn(w).filter((i) => i.impacted.has(serviceId));
    const engagements = incidents.flatMap((i) => this.engagementsOf(i));
    const bySeverity: SeverityCount[] = SEVERITY_ORDER.map((severity) => ({ severity, count: incidents.filter((i) => i.severity === severity).length })).filter(
      (x) => x.count > 0,
    );
    const costs = new Map<string, number>();
    for (const i of incidents) if (i.cost) costs.set(i.cost.currency, (costs.get(i.cost.currency) ?? 0) + i.cost.amount);
    const durations = incidents.filter((i) => i.resolutions.length > 0).map((i) => (Math.min(...i.resolutions) - i.declaredAt) / MINUTE);
    const responderMs = sumMs(engagements);
    const cost: CostAmount[] = [...costs.entries()].sort((a, b) => cmp(a[0], b[0])).map(([currency, amount]) => ({ currency, amount }));
    return {
      responderMs,
      burden: {
        service: this.serviceRef(serviceId),
        incidents: incidents.length,
        bySeverity,
        weightedIncidents: incidents.reduce((sum, i) => sum + (SEVERITY_WEIGHT[i.severity] ?? 0), 0),
        responderHours: responderMs / HOUR,
        people: new Set(engagements.map((e) => e.personId)).size,
        teams: new Set(engagements.flatMap((e) => e.teams)).size,
        medianDurationMinutes: medianOf(durations),
        cost,
      },
    };
  }

  private burdens(w: Window): { burden: ServiceBurden; responderMs: number }[] {
    const serviceIds = new Set(this.incidentsIn(w).flatMap((i) => [...i.impacted]));
    return [...serviceIds]
      .map((id) => this.burden(id, w))
      .sort((a, b) => b.burden.weightedIncidents - a.burden.weightedIncidents || b.responderMs - a.responderMs || cmp(a.burden.service.id, b.burden.service.id));
  }

  async serviceBurden(options: AnalysisOptions & { limit?: number } = {}): Promise<ServiceBurden[]> {
    return this.burdens(this.window(options))
      .slice(0, options.limit ?? LIMIT)
      .map((x) => x.burden);
  }

  // 11. Finding priority ----------------------------------------------------------------------------

  async prioritizeFindings(findings: Finding[], options: AnalysisOptions = {}): Promise<PrioritizedFinding[]> {
    const w = this.window(options);
    return findings
      .map((finding) => ({ finding, ...this.burden(finding.serviceId, w) }))
      .sort(
        (a, b) =>
          b.burden.weightedIncidents - a.burden.weightedIncidents ||
          b.responderMs - a.responderMs ||
          cmp(a.finding.serviceId, b.finding.serviceId) ||
          cmp(a.finding.id, b.finding.id),
      )
      .map((x, index) => ({ rank: index + 1, findingId: x.finding.id, burden: x.burden }));
  }

  // 12. Team load -------------------------------------------------------------------------------------

  async teamLoad(options: AnalysisOptions = {}): Promise<TeamLoad[]> {
    const w = this.window(options);
    const people = new Set<string>([...this.people.keys()]);
    for (const team of this.teams.values()) for (const p of team.members.keys()) people.add(p);
    const rows = new Map<string, { members: number; incidents: Set<string>; responderMs: number; zoned: number; off: number }>();
    const row = (teamId: string) => {
      let x = rows.get(teamId);
      if (!x) rows.set(teamId, (x = { members: 0, incidents: new Set(), responderMs: 0, zoned: 0, off: 0 }));
      return x;
    };
    for (const teamId of this.teams.keys()) {
      const members = [...people].filter((p) => this.isMember(p, teamId, w.end)).length;
      if (members > 0) row(teamId).members = members;
    }
    for (const e of this.engagementsIn(w)) {
      for (const teamId of e.teams) {
        const x = row(teamId);
        x.incidents.add(e.incident.id);
        x.responderMs += e.end === null ? 0 : e.end - e.firstJoin;
        if (e.zone !== null) {
          x.zoned += 1;
          if (e.offHours) x.off += 1;
        }
      }
    }
    return [...rows.entries()]
      .filter(([, x]) => x.members > 0 || x.incidents.size > 0)
      .sort((a, b) => b[1].incidents.size - a[1].incidents.size || cmp(a[0], b[0]))
      .map(([teamId, x]) => ({
        team: this.teamRef(teamId),
        members: x.members,
        incidents: x.incidents.size,
        incidentsPerMember: div(x.incidents.size, x.members),
        responderHours: x.responderMs / HOUR,
        offHoursShare: div(x.off, x.zoned),
      }));
  }

  // 13. Org delta -------------------------------------------------------------------------------------

  async orgDelta(options: AnalysisOptions = {}): Promise<OrgDeltaReport> {
    const fixed: AnalysisOptions = { window: options.window ?? {}, now: options.now ?? new Date().toISOString() };
    const w = this.window(fixed);
    const kept = [...this.services.keys()]
      .map((id) => this.response(id, w))
      .filter((r) => r.incidents >= 3 && r.outsiderShare !== null && r.outsiderShare >= 0.5)
      .sort((a, b) => (b.outsiderShare as number) - (a.outsiderShare as number) || b.incidents - a.incidents || cmp(a.service.id, b.service.id))
      .slice(0, LIMIT);
    const paging = await this.pagingVsPresence(fixed);
    return {
      window: { from: fixed.window?.from ?? null, to: fixed.window?.to ?? null },
      servicesKeptByOutsiders: kept,
      heroes: await this.heroes({ ...fixed, limit: LIMIT }),
      hiddenCoupling: await this.hiddenCoupling({ ...fixed, limit: LIMIT }),
      actionItemDebt: (await this.actionItemDebt(fixed)).filter((x) => x.open > 0).slice(0, LIMIT),
      onCallDrift: await this.onCallDrift({ ...fixed, listLimit: LIMIT }),
      pagingVsPresence: { people: paging.people.slice(0, LIMIT), teams: paging.teams.slice(0, LIMIT) },
      serviceBurden: await this.serviceBurden({ ...fixed, limit: LIMIT }),
      teamLoad: (await this.teamLoad(fixed)).slice(0, LIMIT),
    };
  }

  // The org in practice and in theory ---------------------------------------------------------------

  async responseEdges(options: AnalysisOptions & { minIncidents?: number; limit?: number } = {}): Promise<ResponseEdge[]> {
    const edges = new Map<string, { personId: string; teamId: string; incidents: number; outsiderIncidents: number }>();
    for (const e of this.engagementsIn(this.window(options))) {
      for (const teamId of this.owners(e.incident)) {
        const key = `${e.personId}\u0000${teamId}`;
        const edge = edges.get(key) ?? { personId: e.personId, teamId, incidents: 0, outsiderIncidents: 0 };
        edge.incidents += 1;
        if (e.outsider) edge.outsiderIncidents += 1;
        edges.set(key, edge);
      }
    }
    return [...edges.values()]
      .filter((x) => x.incidents >= (options.minIncidents ?? 1))
      .sort((a, b) => b.incidents - a.incidents || cmp(a.personId, b.personId) || cmp(a.teamId, b.teamId))
      .slice(0, options.limit ?? Infinity)
      .map((x) => ({ person: this.personRefOf(x.personId), team: this.teamRef(x.teamId), incidents: x.incidents, outsiderIncidents: x.outsiderIncidents }));
  }

  async orgTree(asOf: string): Promise<OrgTreeTeam[]> {
    const t = ms(asOf);
    const out: OrgTreeTeam[] = [];
    for (const [teamId, team] of this.teams) {
      if (!team.formed || team.formedAt === null || team.formedAt > t || this.dissolved(teamId, t)) continue;
      const members: OrgTreeTeam['members'] = [];
      for (const [personId, changes] of team.members) {
        const best = latestAt(changes, t);
        if (best?.value) members.push({ person: this.personRefOf(personId), role: best.role ?? null, since: new Date(best.at).toISOString() });
      }
      const parent = this.parentOf(teamId, t);
      out.push({
        team: this.teamRef(teamId),
        parent: parent === null ? null : this.teamRef(parent),
        members: members.sort((a, b) => cmp(a.person.id, b.person.id)),
        services: [...this.services.keys()].filter((id) => this.ownerOf(id, t) === teamId).sort(cmp).map((id) => this.serviceRef(id)),
      });
    }
    return out.sort((a, b) => cmp(a.team.id, b.team.id));
  }

  // Data quality ----------------------------------------------------------------------------------------

  async placeholders(): Promise<Placeholder[]> {
    const out: Placeholder[] = [];
    const registered = (kind: string, id: string) =>
      kind === 'PERSON'
        ? this.people.get(id)?.registered
        : kind === 'TEAM'
          ? this.teams.get(id)?.formed
          : kind === 'SERVICE'
            ? this.services.get(id)?.registered
            : this.incidents.has(id);
    for (const [kind, byId] of this.refs) {
      for (const [id, refs] of byId) {
        if (registered(kind, id)) continue;
        const unique = new Map(refs.map((r) => [`${r.relationship}\u0000${r.kind}\u0000${r.id}`, r]));
        out.push({
          kind: kind as PlaceholderKind,
          id,
          referencedBy: [...unique.values()].sort((a, b) => cmp(a.relationship, b.relationship) || cmp(a.kind, b.kind) || cmp(a.id, b.id)),
        });
      }
    }
    return out.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.id, b.id));
  }
}

function streamOf(data: Data): string {
  for (const [key, category] of [
    ['incidentId', 'incident'],
    ['serviceId', 'service'],
    ['teamId', 'team'],
    ['personId', 'person'],
  ] as const) {
    if (typeof data[key] === 'string') return `${category}-${data[key] as string}`;
  }
  throw new Error(`no entity id in ${JSON.stringify(data)}`);
}

function sumMs(list: readonly Engagement[]): number {
  return list.reduce((sum, e) => sum + (e.end === null ? 0 : e.end - e.firstJoin), 0);
}

/** Largest number of [firstJoin, end) intervals (ended ones) open at one instant. */
function concurrent(list: readonly Engagement[]): number {
  const intervals = list.filter((e) => e.end !== null && e.end > e.firstJoin).map((e) => [e.firstJoin, e.end as number] as const);
  let most = 0;
  // The count is largest at some interval's start: count the intervals open at each start.
  for (const [start] of intervals) {
    const open = intervals.filter(([s, e]) => s <= start && start < e).length;
    if (open > most) most = open;
  }
  return most;
}

function nullsLastDesc(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}
