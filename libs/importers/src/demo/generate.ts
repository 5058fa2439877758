/**
 * `catalyst demo generate`: a realistic, deterministic incident history as NDJSON lines that obey every
 * rule of the catalog (EVENTS.md), so `catalyst import events` takes it with 0 rejected. Pure: the same
 * options give the same lines.
 */

export interface DemoOptions {
  people: number;
  incidents: number;
  seed: number;
  /** First instant of the history. Default 2025-01-06T08:00:00Z. */
  start?: string;
  /** Days the incidents spread over. Default 365. */
  days?: number;
}

export interface DemoLine {
  type: string;
  data: Record<string, unknown>;
  metadata: { source: 'import:demo' };
}

/** mulberry32: the same seed gives the same sequence. */
export class DemoRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}

const FIRST = ['Ana', 'Bo', 'Chidi', 'Dana', 'Emil', 'Fatima', 'Goro', 'Hana', 'Ivan', 'Jonas', 'Kemi', 'Lena', 'Mateo', 'Nia', 'Omar', 'Priya', 'Quinn', 'Rosa', 'Sven', 'Tariq', 'Uma', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe'];
const LAST = ['Lima', 'Chen', 'Okafor', 'Schmidt', 'Novak', 'Haddad', 'Tanaka', 'Kowalski', 'Petrov', 'Berg', 'Adeyemi', 'Fischer', 'Garcia', 'Mensah', 'Rahman', 'Iyer', 'Murphy', 'Rossi', 'Larsen', 'Aziz'];
const ZONES = ['Europe/Berlin', 'America/New_York', 'America/Sao_Paulo', 'Asia/Tokyo', 'Asia/Kolkata', 'Europe/London', 'Australia/Sydney', 'America/Los_Angeles', 'Africa/Lagos'];
const TEAMS = ['Platform', 'Payments', 'Checkout', 'Search', 'Identity', 'Data', 'Mobile', 'Messaging', 'Growth', 'Storage', 'Networking', 'Billing'];
const SERVICE_WORDS = ['api', 'worker', 'gateway', 'db', 'cache', 'queue', 'web', 'scheduler'];
const SYMPTOMS = ['elevated 5xx rates', 'p99 latency above 2s', 'timeouts', 'failed card authorisations', 'stale results', 'login loops', 'queue backlog growing', 'replication lag'];
const NOTES = [
  'Deploy correlates with the error spike; starting a rollback.',
  'Rollback finished; error rate back to baseline in eu-west-1, us-east-1 still elevated.',
  'Connection pool exhausted on the primary; raised max connections as a stopgap.',
  'Customer support reports failures for roughly 8% of attempts.',
  'Upstream provider confirmed a partial outage; following their status page.',
  'Feature flag disabled for all tenants.',
  'Cache hit ratio dropped after the config push; restoring the previous TTLs.',
];
const FACTORS: [string, string][] = [
  ['change', 'A deploy changed connection handling without a canary'],
  ['capacity', 'The pool was sized for last year’s peak'],
  ['dependency', 'The upstream provider degraded without notice'],
  ['configuration', 'A TTL was set in seconds where milliseconds were expected'],
  ['process', 'The runbook step for failover was out of date'],
  ['knowledge', 'Only one person knew how the replica promotion works'],
  ['external', 'A regional cloud network event'],
];
const ACTIONS = ['Add a canary stage to the deploy pipeline', 'Alert on pool saturation', 'Update the failover runbook', 'Load-test the new region', 'Document replica promotion', 'Add a circuit breaker to the provider client'];
const ROLES = ['responder', 'responder', 'expert', 'communications', 'scribe'];
const SEVERITIES = ['SEV1', 'SEV2', 'SEV2', 'SEV3', 'SEV3', 'SEV3', 'SEV4', 'SEV4', 'SEV5'];

const MINUTE = 60_000;
const DAY = 86_400_000;

interface Timed {
  at: number;
  /** Generation order: ties keep it, so cause stays before effect. */
  order: number;
  line: DemoLine;
}

/** The history, in time order (ties in generation order). */
export function generateDemoHistory(options: DemoOptions): DemoLine[] {
  if (!Number.isInteger(options.people) || options.people < 4) throw new Error('people (min): at least 4 people');
  if (!Number.isInteger(options.incidents) || options.incidents < 0) throw new Error('incidents (min): 0 or more incidents');
  const random = new DemoRandom(options.seed);
  const start = Date.parse(options.start ?? '2025-01-06T08:00:00Z');
  const days = options.days ?? 365;
  const timed: Timed[] = [];
  const emit = (at: number, type: string, data: Record<string, unknown>) =>
    timed.push({ at, order: timed.length, line: { type, data: { ...data, occurredAt: new Date(at).toISOString() }, metadata: { source: 'import:demo' } } });

  // People, each in one team; every fifth also in a second one; three "heroes" help everywhere.
  const people = Array.from({ length: options.people }, (_, i) => `p${String(i + 1).padStart(4, '0')}`);
  const zoneOf = new Map<string, string>();
  people.forEach((personId, i) => {
    const name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7 + Math.floor(i / FIRST.length)) % LAST.length]}`;
    const zone = random.pick(ZONES);
    zoneOf.set(personId, zone);
    emit(start, 'PersonRegistered', { personId, name, timeZone: zone, email: `${personId}@demo.example` });
  });
  const teamCount = Math.max(3, Math.min(TEAMS.length, Math.ceil(options.people / 6)));
  const teams = TEAMS.slice(0, teamCount).map((name) => ({ teamId: name.toLowerCase(), name, members: new Set<string>() }));
  teams.forEach((team, i) => emit(start, 'TeamFormed', { teamId: team.teamId, name: team.name, ...(i > 0 && i % 3 === 0 ? { parentTeamId: teams[0].teamId } : {}) }));
  people.forEach((personId, i) => {
    const team = teams[i % teams.length];
    team.members.add(personId);
    emit(start, 'TeamMemberAdded', { teamId: team.teamId, personId, ...(i < teams.length ? { role: 'lead' } : {}) });
    if (i % 5 === 4) {
      const second = teams[(i + 1) % teams.length];
      second.members.add(personId);
      emit(start, 'TeamMemberAdded', { teamId: second.teamId, personId });
    }
  });
  const heroes = people.slice(0, 3);

  // Services: two per team, owned by it, each depending on one or two earlier ones.
  const services: { serviceId: string; owner: string }[] = [];
  teams.forEach((team, t) => {
    for (let k = 0; k < 2; k++) {
      const serviceId = `${team.teamId}-${SERVICE_WORDS[(t + k * 3) % SERVICE_WORDS.length]}`;
      emit(start, 'ServiceRegistered', { serviceId, name: serviceId, tier: 1 + ((t + k) % 4) });
      emit(start, 'ServiceOwnershipAssigned', { serviceId, teamId: team.teamId });
      const earlier = services.map((service) => service.serviceId);
      for (const dependsOnServiceId of new Set(earlier.length > 0 ? [random.pick(earlier), random.pick(earlier)] : [])) {
        emit(start, 'ServiceDependencyAdded', { serviceId, dependsOnServiceId });
      }
      services.push({ serviceId, owner: team.teamId });
    }
  });

  // Weekly on-call shifts per team, rotating through the members it has at the start.
  const weeks = Math.ceil(days / 7) + 1;
  const onCall = (teamIndex: number, at: number) => {
    const members = [...teams[teamIndex].members];
    return members[Math.floor((at - start) / (7 * DAY)) % members.length];
  };
  teams.forEach((team, t) => {
    for (let week = 0; week < weeks; week++) {
      const startsAt = start + week * 7 * DAY;
      emit(Math.max(start, startsAt - DAY), 'OnCallShiftScheduled', {
        teamId: team.teamId,
        shiftId: `w${week + 1}`,
        personId: onCall(t, startsAt),
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(startsAt + 7 * DAY).toISOString(),
      });
    }
  });

  // Org changes during the year: team moves, ownership changes, time zone moves.
  const moves = Math.max(2, Math.floor(options.people / 10));
  for (let m = 0; m < moves; m++) {
    const at = start + Math.floor(((m + 1) / (moves + 1)) * days * DAY);
    const from = teams[m % teams.length];
    const to = teams[(m + 2) % teams.length];
    const candidates = [...from.members].filter((personId) => !to.members.has(personId) && !heroes.includes(personId));
    if (candidates.length > 1) {
      const personId = random.pick(candidates);
      from.members.delete(personId);
      to.members.add(personId);
      emit(at, 'TeamMemberRemoved', { teamId: from.teamId, personId });
      emit(at, 'TeamMemberAdded', { teamId: to.teamId, personId });
    }
    const service = services[(m * 3) % services.length];
    const newOwner = teams[(teams.findIndex((team) => team.teamId === service.owner) + 1) % teams.length].teamId;
    service.owner = newOwner;
    emit(at + DAY, 'ServiceOwnershipAssigned', { serviceId: service.serviceId, teamId: newOwner });
    const mover = people[(m * 7 + 3) % people.length];
    const zone = ZONES[(ZONES.indexOf(zoneOf.get(mover)!) + 1) % ZONES.length];
    zoneOf.set(mover, zone);
    emit(at + 2 * DAY, 'PersonUpdated', { personId: mover, timeZone: zone });
  }

  // Incidents: declared through the period, heavy-tailed durations (log-normal, median about 45 min).
  for (let n = 0; n < options.incidents; n++) {
    const incidentId = `INC-${String(n + 1).padStart(5, '0')}`;
    const declaredAt = start + DAY + Math.floor(random.next() * (days - 2) * DAY);
    const serviceIndex = random.int(0, services.length - 1);
    const service = services[serviceIndex];
    const teamIndex = teams.findIndex((team) => team.teamId === service.owner);
    const team = teams[teamIndex];
    const severity = random.pick(SEVERITIES);
    const duration = Math.max(5, Math.round(Math.exp(3.8 + 1.1 * random.normal()))) * MINUTE;
    // Paging, acknowledging and escalating take the first quarter hour; the rest follows the duration.
    const at = (fraction: number) => declaredAt + 15 * MINUTE + Math.round(duration * fraction);
    const paged = onCall(teamIndex, declaredAt);
    const emitIncident = (time: number, type: string, data: Record<string, unknown>) => emit(time, type, { incidentId, ...data });
    emitIncident(declaredAt, 'IncidentDeclared', {
      title: `${service.serviceId}: ${random.pick(SYMPTOMS)}`,
      severity,
      declaredBy: paged,
      summary: `Alert fired for ${service.serviceId}; on-call ${paged} paged.`,
      impactedServiceIds: [service.serviceId],
    });
    emitIncident(declaredAt + MINUTE, 'ResponderPaged', { personId: paged });
    const joined: string[] = [];
    // Paging without joining: sometimes the paged person acknowledges but someone else takes command.
    const pagedJoins = !random.chance(0.15);
    const commander = pagedJoins ? paged : random.pick([...team.members].filter((personId) => personId !== paged).concat(heroes[0]));
    if (pagedJoins || random.chance(0.5)) emitIncident(declaredAt + 2 * MINUTE, 'ResponderAcknowledged', { personId: paged });
    emitIncident(declaredAt + 3 * MINUTE, 'ResponderJoined', { personId: commander, role: 'commander' });
    joined.push(commander);
    // Escalation, then helpers: team mates, and heroes who join without being paged.
    if (random.chance(0.3)) {
      const escalated = random.pick([...team.members]);
      emitIncident(declaredAt + 10 * MINUTE, 'ResponderPaged', { personId: escalated, escalatedFromPersonId: paged });
      if (!joined.includes(escalated)) {
        emitIncident(declaredAt + 14 * MINUTE, 'ResponderJoined', { personId: escalated, role: 'responder' });
        joined.push(escalated);
      }
    }
    const helpers = random.int(0, severity <= 'SEV2' ? 4 : 2);
    for (let h = 0; h < helpers; h++) {
      const personId = random.chance(0.35) ? random.pick(heroes) : random.pick(people);
      if (joined.includes(personId)) continue;
      emitIncident(at(0.1 + h * 0.05), 'ResponderJoined', { personId, role: random.pick(ROLES) });
      joined.push(personId);
    }
    if (services.length > 1 && random.chance(0.3)) {
      const other = services[(serviceIndex + 1 + random.int(0, services.length - 2)) % services.length].serviceId;
      emitIncident(at(0.2), 'ServiceImpacted', { serviceId: other });
    }
    if (random.chance(0.3)) {
      const changed = random.pick(SEVERITIES.filter((value) => value !== severity));
      emitIncident(at(0.25), 'IncidentSeverityChanged', { severity: changed, changedBy: commander });
    }
    const notes = random.int(1, 4);
    for (let k = 0; k < notes; k++) emitIncident(at(0.3 + k * 0.1), 'TimelineNoteAdded', { noteId: `n${k + 1}`, text: random.pick(NOTES), authorId: random.pick(joined) });
    let currentCommander = commander;
    if (joined.length > 1 && random.chance(0.3)) {
      const to = joined[1];
      emitIncident(at(0.5), 'CommandHandedOff', { fromPersonId: commander, toPersonId: to });
      currentCommander = to;
    }
    const leaver = joined.find((personId) => personId !== currentCommander && personId !== commander);
    if (leaver && random.chance(0.4)) emitIncident(at(0.55), 'ResponderLeft', { personId: leaver });

    // The newest incidents may still be open.
    if (declaredAt + duration > start + days * DAY || (n >= options.incidents - 2 && random.chance(0.5))) continue;
    if (random.chance(0.7)) emitIncident(at(0.7), 'IncidentMitigated', { mitigatedBy: currentCommander });
    emitIncident(at(1), 'IncidentResolved', { resolvedBy: currentCommander });
    let end = at(1);
    if (random.chance(0.06)) {
      emitIncident(at(1.2), 'IncidentReopened', { reason: 'the errors came back' });
      emitIncident(at(1.25), 'TimelineNoteAdded', { noteId: 'reopened', text: 'Errors are back after the fix; reopening.', authorId: currentCommander });
      emitIncident(at(1.6), 'IncidentResolved', { resolvedBy: currentCommander });
      end = at(1.6);
    }
    const factors = random.int(severity <= 'SEV3' ? 1 : 0, 2);
    for (let k = 0; k < factors; k++) {
      const [category, description] = random.pick(FACTORS);
      emitIncident(end + (k + 1) * MINUTE, 'ContributingFactorIdentified', { factorId: `f${k + 1}`, description, category });
    }
    const items = random.int(0, 3);
    for (let k = 0; k < items; k++) {
      const actionItemId = `a${k + 1}`;
      const created = end + (10 + k) * MINUTE;
      emitIncident(created, 'ActionItemCreated', {
        actionItemId,
        title: random.pick(ACTIONS),
        ownerTeamId: team.teamId,
        ...(random.chance(0.5) ? { ownerPersonId: random.pick([...team.members]) } : {}),
        dueAt: new Date(created + 14 * DAY).toISOString(),
      });
      const fate = random.next();
      if (fate < 0.45) emitIncident(created + random.int(1, 20) * DAY, 'ActionItemCompleted', { actionItemId });
      else if (fate < 0.6) emitIncident(created + random.int(1, 20) * DAY, 'ActionItemCancelled', { actionItemId, reason: 'superseded' });
    }
    if (severity <= 'SEV2') {
      emitIncident(end + 30 * MINUTE, 'IncidentCostEstimated', { amount: Math.round(duration / MINUTE) * random.int(50, 400), currency: 'USD', basis: 'lost orders and support time' });
    }
    if (severity <= 'SEV3' && random.chance(0.8)) {
      emitIncident(end + 3 * DAY, 'ReviewPublished', { reviewId: 'r1', authorIds: [currentCommander], url: `https://wiki.demo.example/reviews/${incidentId}` });
    }
  }
  return timed.sort((a, b) => a.at - b.at || a.order - b.order).map((entry) => entry.line);
}

/** The history as NDJSON, one line at a time (for stdout or a file). */
export function* demoNdjson(options: DemoOptions): Generator<string> {
  for (const line of generateDemoHistory(options)) yield `${JSON.stringify(line)}\n`;
}
