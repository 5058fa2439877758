/**
 * The page's model: the answers of the public GraphQL API (apps/api/schema.gql) turned into the two
 * graphs and the report's tables. Pure (no DOM, no renderer), so that it is unit-tested on its own.
 *
 * - The org in theory, as of an instant (`orgTree`): teams nested in their parent team, each
 *   person inside their first team (by team id) with a membership edge to every other team they
 *   belong to, and each service inside the team owning it.
 * - The org in practice, in a window: people and teams joined by who responded to which team's
 *   services (`responseEdges`, weighted by incidents; outsider edges marked), and teams joined by
 *   the incidents their members shared (`teamCollaboration`; hidden couplings marked: orgDistance
 *   null or >= 3, as ANALYTICS.md defines them).
 * - Heroes (the report's top people) are marked in both views, and so is anyone who responded as an
 *   outsider.
 */

export interface Ref {
  id: string;
  name: string | null;
}

export interface OrgTreeTeam {
  team: Ref;
  parent: Ref | null;
  members: { person: Ref; role: string | null }[];
  services: Ref[];
}

export interface ResponseEdge {
  person: Ref;
  team: Ref;
  incidents: number;
  outsiderIncidents: number;
}

export interface CollaborationEdge {
  teamA: Ref;
  teamB: Ref;
  sharedIncidents: number;
  orgDistance: number | null;
}

export interface Hero {
  person: Ref;
  incidents: number;
  outsiderIncidents: number;
  offHoursIncidents: number;
  teamsHelped: number;
  helpedTeams: Ref[];
  share: number | null;
}

export interface KeptService {
  service: Ref;
  incidents: number;
  engagements: number;
  outsiderShare: number | null;
  topOutsiders: { person: Ref; incidents: { id: string }[] }[];
}

export interface TeamDebt {
  team: Ref;
  open: number;
  overdue: number;
  created: number;
  completed: number;
  cancelled: number;
  completionRate: number | null;
  medianOpenAgeDays: number | null;
}

export interface DriftedIncident {
  incident: { id: string; title: string | null; declaredAt: string };
  onCall: Ref[];
  absent: Ref[];
  responders: Ref[];
}

export interface OrgDelta {
  heroes: Hero[];
  servicesKeptByOutsiders: KeptService[];
  actionItemDebt: TeamDebt[];
  onCallDrift: { covered: number; drifted: number; driftShare: number | null; incidents: DriftedIncident[] };
}

/** What one refresh of the page asks for (see DELTA_QUERY). */
export interface DeltaData {
  orgTree: OrgTreeTeam[];
  responseEdges: ResponseEdge[];
  teamCollaboration: CollaborationEdge[];
  orgDelta: OrgDelta;
}

/** Edges the page asks for at most (the API's own cap is 10,000). */
export const MAX_RESPONSE_EDGES = 2000;

/** One GraphQL operation for the whole page; every value is a variable. */
export const DELTA_QUERY = `query OrgDeltaPage($window: AnalysisWindowInput, $asOf: DateTime, $maxEdges: Int!) {
  orgTree(asOf: $asOf) { team { id name } parent { id name } members { person { id name } role } services { id name } }
  responseEdges(window: $window, limit: $maxEdges) { person { id name } team { id name } incidents outsiderIncidents }
  teamCollaboration(window: $window) { teamA { id name } teamB { id name } sharedIncidents orgDistance }
  orgDelta(window: $window) {
    heroes { person { id name } incidents outsiderIncidents offHoursIncidents teamsHelped helpedTeams { id name } share }
    servicesKeptByOutsiders { service { id name } incidents engagements outsiderShare topOutsiders { person { id name } incidents { id } } }
    actionItemDebt { team { id name } open overdue created completed cancelled completionRate medianOpenAgeDays }
    onCallDrift { covered drifted driftShare incidents { incident { id title declaredAt } onCall { id name } absent { id name } responders { id name } } }
  }
}`;

export type NodeKind = 'team' | 'person' | 'service';

/** A graph element in Cytoscape's JSON form (data + classes), renderer-agnostic. */
export interface GraphElement {
  group: 'nodes' | 'edges';
  data: Record<string, string | number | null> & { id: string };
  classes: string[];
}

/** Node ids are namespaced by kind so that a person and a team may share an id. */
export const nodeId = (kind: NodeKind, id: string) => `${kind}:${id}`;

const label = (ref: Ref) => ref.name ?? ref.id;

export interface TheoryCounts {
  teams: number;
  people: number;
  services: number;
  /** Memberships beyond a person's first team (drawn as edges). */
  extraMemberships: number;
  heroes: number;
  outsiders: number;
}

export interface PracticeCounts {
  teams: number;
  people: number;
  responseEdges: number;
  outsiderEdges: number;
  collaborationEdges: number;
  hiddenCouplings: number;
  heroes: number;
}

export interface View<C> {
  elements: GraphElement[];
  counts: C;
}

/** People who responded as outsiders at least once in the window. */
function outsiderPeople(data: DeltaData): Set<string> {
  return new Set(data.responseEdges.filter((e) => e.outsiderIncidents > 0).map((e) => e.person.id));
}

const heroIds = (data: DeltaData) => new Set(data.orgDelta.heroes.map((h) => h.person.id));

export const isHiddenCoupling = (edge: CollaborationEdge) => edge.orgDistance === null || edge.orgDistance >= 3;

export function theoryView(data: DeltaData): View<TheoryCounts> {
  const heroes = heroIds(data);
  const outsiders = outsiderPeople(data);
  const teams = [...data.orgTree].sort((a, b) => compare(a.team.id, b.team.id));
  const inTree = new Set(teams.map((t) => t.team.id));
  const elements: GraphElement[] = [];
  for (const t of teams) {
    const parent = t.parent && inTree.has(t.parent.id) && t.parent.id !== t.team.id ? nodeId('team', t.parent.id) : null;
    elements.push({ group: 'nodes', data: { id: nodeId('team', t.team.id), label: label(t.team), kind: 'team', ref: t.team.id, ...(parent ? { parent } : {}) }, classes: ['team'] });
  }
  const placed = new Map<string, string>();
  let extraMemberships = 0;
  let heroCount = 0;
  let outsiderCount = 0;
  for (const t of teams) {
    for (const m of [...t.members].sort((a, b) => compare(a.person.id, b.person.id))) {
      const pid = m.person.id;
      if (!placed.has(pid)) {
        placed.set(pid, t.team.id);
        const classes = ['person'];
        if (heroes.has(pid)) {
          classes.push('hero');
          heroCount += 1;
        }
        if (outsiders.has(pid)) {
          classes.push('outsider');
          outsiderCount += 1;
        }
        if (m.role === 'lead') classes.push('lead');
        elements.push({ group: 'nodes', data: { id: nodeId('person', pid), label: label(m.person), kind: 'person', ref: pid, parent: nodeId('team', t.team.id) }, classes });
      } else {
        extraMemberships += 1;
        elements.push({
          group: 'edges',
          data: { id: `member:${pid}:${t.team.id}`, source: nodeId('person', pid), target: nodeId('team', t.team.id), kind: 'member' },
          classes: ['member'],
        });
      }
    }
  }
  const kept = keptIds(data);
  let services = 0;
  for (const t of teams) {
    for (const s of t.services) {
      services += 1;
      elements.push({ group: 'nodes', data: { id: nodeId('service', s.id), label: label(s), kind: 'service', ref: s.id, parent: nodeId('team', t.team.id) }, classes: kept.has(s.id) ? ['service', 'kept'] : ['service'] });
    }
  }
  return { elements, counts: { teams: teams.length, people: placed.size, services, extraMemberships, heroes: heroCount, outsiders: outsiderCount } };
}

export interface Point {
  x: number;
  y: number;
}

/** Spacing of the theory view's block layout, in model units. */
const CELL = { width: 80, height: 44, gap: 48, rowWidth: 1400 };

/**
 * Positions for the theory view: each team a block holding its people and services in a grid, its
 * child teams in a row below them; top-level teams packed in shelves. Deterministic (same data,
 * same picture), so both the page and a screenshot are stable; the renderer draws team boxes around
 * their children.
 */
export function theoryPositions(elements: GraphElement[]): Map<string, Point> {
  const positions = new Map<string, Point>();
  const leaves = new Map<string, string[]>();
  const childTeams = new Map<string, string[]>();
  const roots: string[] = [];
  for (const e of elements) {
    if (e.group !== 'nodes') continue;
    const parent = typeof e.data.parent === 'string' ? e.data.parent : null;
    if (e.data.kind === 'team') {
      if (parent) childTeams.set(parent, [...(childTeams.get(parent) ?? []), e.data.id]);
      else roots.push(e.data.id);
    } else if (parent) {
      leaves.set(parent, [...(leaves.get(parent) ?? []), e.data.id]);
    } else {
      roots.push(e.data.id);
    }
  }
  const block = (id: string, x0: number, y0: number): { width: number; height: number } => {
    const own = leaves.get(id) ?? [];
    const cols = Math.max(1, Math.ceil(Math.sqrt(own.length)));
    own.forEach((leaf, i) => positions.set(leaf, { x: x0 + (i % cols) * CELL.width + CELL.width / 2, y: y0 + Math.floor(i / cols) * CELL.height + CELL.height / 2 }));
    let width = cols * CELL.width;
    let height = Math.max(1, Math.ceil(own.length / cols)) * CELL.height;
    if (own.length === 0) positions.set(id, { x: x0 + CELL.width / 2, y: y0 + CELL.height / 2 });
    const children = childTeams.get(id) ?? [];
    if (children.length > 0) {
      let x = x0;
      let tallest = 0;
      for (const child of children) {
        const size = block(child, x, y0 + height + CELL.gap);
        x += size.width + CELL.gap;
        tallest = Math.max(tallest, size.height);
      }
      width = Math.max(width, x - x0 - CELL.gap);
      height += CELL.gap + tallest;
    }
    return { width, height };
  };
  let x = 0;
  let y = 0;
  let shelf = 0;
  for (const root of roots) {
    const size = block(root, x, y);
    if (x > 0 && x + size.width > CELL.rowWidth) {
      // Does not fit on this shelf: lay it out again at the start of the next one.
      x = 0;
      y += shelf + CELL.gap;
      shelf = 0;
      block(root, x, y);
    }
    x += size.width + CELL.gap;
    shelf = Math.max(shelf, size.height);
  }
  return positions;
}

/**
 * Positions for the practice view: teams evenly on a circle (by id), each person at the centroid of
 * the teams they responded to, weighted by incidents, then nudged apart. Someone who works only for
 * their own team sits next to it; someone pulled in by every team sits in the middle. Deterministic.
 */
export function practicePositions(elements: GraphElement[], radius = 360): Map<string, Point> {
  const positions = new Map<string, Point>();
  const teams = elements.filter((e) => e.group === 'nodes' && e.data.kind === 'team').map((e) => e.data.id);
  teams.forEach((id, i) => {
    const angle = (2 * Math.PI * i) / Math.max(1, teams.length) - Math.PI / 2;
    positions.set(id, { x: radius * Math.cos(angle), y: radius * Math.sin(angle) });
  });
  const pull = new Map<string, { x: number; y: number; w: number }>();
  for (const e of elements) {
    if (e.group !== 'edges' || e.data.kind !== 'responded') continue;
    const team = positions.get(String(e.data.target));
    if (!team) continue;
    const w = Number(e.data.incidents);
    const p = pull.get(String(e.data.source)) ?? { x: 0, y: 0, w: 0 };
    pull.set(String(e.data.source), { x: p.x + team.x * w, y: p.y + team.y * w, w: p.w + w });
  }
  const people = elements.filter((e) => e.group === 'nodes' && e.data.kind === 'person').map((e) => e.data.id);
  const placed = people.map((id, i) => {
    const p = pull.get(id);
    // Deterministic spread for people with the same pull (golden angle).
    const spread = { x: 6 * Math.cos(i * 2.39996), y: 6 * Math.sin(i * 2.39996) };
    return p && p.w > 0 ? { id, x: (0.8 * p.x) / p.w + spread.x, y: (0.8 * p.y) / p.w + spread.y } : { id, x: spread.x * 10, y: spread.y * 10 };
  });
  const MIN = 34;
  for (let round = 0; round < 60; round++) {
    let moved = false;
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i];
        const b = placed[j];
        const dx = b.x - a.x;
        const dy = b.y - a.y;
        const d = Math.hypot(dx, dy);
        if (d >= MIN) continue;
        const push = (MIN - d) / 2;
        const ux = d === 0 ? 1 : dx / d;
        const uy = d === 0 ? 0 : dy / d;
        a.x -= ux * push;
        a.y -= uy * push;
        b.x += ux * push;
        b.y += uy * push;
        moved = true;
      }
    }
    if (!moved) break;
  }
  for (const p of placed) positions.set(p.id, { x: p.x, y: p.y });
  return positions;
}

const keptIds = (data: DeltaData) => new Set(data.orgDelta.servicesKeptByOutsiders.map((s) => s.service.id));

export function practiceView(data: DeltaData): View<PracticeCounts> {
  const heroes = heroIds(data);
  const outsiders = outsiderPeople(data);
  const elements: GraphElement[] = [];
  const teams = new Map<string, Ref>();
  const people = new Map<string, { ref: Ref; incidents: number }>();
  for (const e of data.responseEdges) {
    teams.set(e.team.id, e.team);
    const p = people.get(e.person.id) ?? { ref: e.person, incidents: 0 };
    p.incidents = Math.max(p.incidents, e.incidents);
    people.set(e.person.id, p);
  }
  for (const c of data.teamCollaboration) {
    teams.set(c.teamA.id, c.teamA);
    teams.set(c.teamB.id, c.teamB);
  }
  for (const [id, ref] of [...teams].sort((a, b) => compare(a[0], b[0]))) {
    elements.push({ group: 'nodes', data: { id: nodeId('team', id), label: label(ref), kind: 'team', ref: id }, classes: ['team'] });
  }
  let heroCount = 0;
  for (const [id, p] of [...people].sort((a, b) => compare(a[0], b[0]))) {
    const classes = ['person'];
    if (heroes.has(id)) {
      classes.push('hero');
      heroCount += 1;
    }
    if (outsiders.has(id)) classes.push('outsider');
    elements.push({ group: 'nodes', data: { id: nodeId('person', id), label: label(p.ref), kind: 'person', ref: id }, classes });
  }
  const maxIncidents = Math.max(1, ...data.responseEdges.map((e) => e.incidents));
  let outsiderEdges = 0;
  for (const e of data.responseEdges) {
    const outsider = e.outsiderIncidents > 0;
    if (outsider) outsiderEdges += 1;
    elements.push({
      group: 'edges',
      data: {
        id: `responded:${e.person.id}:${e.team.id}`,
        source: nodeId('person', e.person.id),
        target: nodeId('team', e.team.id),
        kind: 'responded',
        incidents: e.incidents,
        outsiderIncidents: e.outsiderIncidents,
        weight: e.incidents / maxIncidents,
        label: outsider ? `${e.incidents} (${e.outsiderIncidents} as outsider)` : String(e.incidents),
      },
      classes: outsider ? ['responded', 'outsider'] : ['responded'],
    });
  }
  const maxShared = Math.max(1, ...data.teamCollaboration.map((c) => c.sharedIncidents));
  let hidden = 0;
  for (const c of data.teamCollaboration) {
    const isHidden = isHiddenCoupling(c);
    if (isHidden) hidden += 1;
    elements.push({
      group: 'edges',
      data: {
        id: `shared:${c.teamA.id}:${c.teamB.id}`,
        source: nodeId('team', c.teamA.id),
        target: nodeId('team', c.teamB.id),
        kind: 'shared',
        sharedIncidents: c.sharedIncidents,
        orgDistance: c.orgDistance,
        weight: c.sharedIncidents / maxShared,
        label: `${c.sharedIncidents} shared`,
      },
      classes: isHidden ? ['shared', 'hidden'] : ['shared'],
    });
  }
  return {
    elements,
    counts: {
      teams: teams.size,
      people: people.size,
      responseEdges: data.responseEdges.length,
      outsiderEdges,
      collaborationEdges: data.teamCollaboration.length,
      hiddenCouplings: hidden,
      heroes: heroCount,
    },
  };
}

/** The page's controls as API variables: dates are UTC days; `to` is exclusive; asOf defaults to `to`, else now. */
export interface Controls {
  from: string;
  to: string;
  asOf: string;
}

export interface ControlError {
  field: keyof Controls;
  message: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z?$/;

export function variablesOf(controls: Controls): { window: { from: string | null; to: string | null }; asOf: string | null; maxEdges: number } | ControlError {
  const day = (field: 'from' | 'to'): string | null | ControlError => {
    const value = controls[field].trim();
    if (value === '') return null;
    if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return { field, message: `${field} must be a day as YYYY-MM-DD` };
    return `${value}T00:00:00.000Z`;
  };
  const from = day('from');
  if (from !== null && typeof from === 'object') return from;
  const to = day('to');
  if (to !== null && typeof to === 'object') return to;
  if (from !== null && to !== null && to < from) return { field: 'to', message: 'to must not be before from' };
  let asOf: string | null = null;
  const rawAsOf = controls.asOf.trim();
  if (rawAsOf !== '') {
    const iso = rawAsOf.endsWith('Z') ? rawAsOf : `${rawAsOf}Z`;
    if (!INSTANT.test(rawAsOf) || Number.isNaN(Date.parse(iso))) return { field: 'asOf', message: 'asOf must be an instant as YYYY-MM-DDTHH:MM (UTC)' };
    asOf = new Date(iso).toISOString();
  } else if (to !== null) {
    asOf = to;
  }
  return { window: { from, to }, asOf, maxEdges: MAX_RESPONSE_EDGES };
}

export const isControlError = (x: unknown): x is ControlError => typeof x === 'object' && x !== null && 'field' in x && 'message' in x;

/** Ids compare by UTF-16 code units, as the API sorts them. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function percent(value: number | null): string {
  return value === null ? '–' : `${Math.round(value * 100)}%`;
}
