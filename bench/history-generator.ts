import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/**
 * Writes an NDJSON file of realistic history: an organisation (people, teams, services,
 * dependencies), then incidents from declaration to review, several open at once so their lines
 * interleave, with org changes (on-call shifts, time zone moves, ownership moves) in between.
 * Every line obeys the catalog's rules except the few bad ones it injects on purpose.
 */

type Line = { type: string; data: Record<string, unknown> };

export interface GeneratedFile {
  path: string;
  bytes: number;
  lines: number;
  /** Lines that must be rejected (a bad time zone or a second declaration). */
  badLines: number;
}

/** mulberry32: the same seed gives the same file. */
class Random {
  constructor(private seed: number) {}
  next(): number {
    let t = (this.seed += 0x6d2b79f5);
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
}

const ZONES = ['Europe/Berlin', 'America/New_York', 'America/Sao_Paulo', 'Asia/Tokyo', 'Asia/Kolkata', 'Europe/London', 'Australia/Sydney', 'America/Los_Angeles', 'Africa/Lagos', 'Asia/Singapore'];
const SYMPTOMS = ['elevated 5xx rates', 'p99 latency above 2s', 'timeouts on checkout', 'failed card authorisations', 'stale search results', 'login loops', 'queue backlog growing', 'replication lag'];
const NOTES = [
  'Deploy {v} correlates with the error spike; starting a rollback.',
  'Rollback of {v} finished; error rate back to baseline in eu-west-1, us-east-1 still elevated.',
  'Connection pool exhausted on the primary; raised max connections from 200 to 400 as a stopgap.',
  'Customer support reports card payments failing for roughly 8% of attempts since 14:02 UTC.',
  'Upstream provider confirmed a partial outage on their side; following their status page.',
  'Feature flag new-pricing-engine disabled for all tenants.',
  'Cache hit ratio dropped to 31% after the config push; restoring the previous TTLs.',
  'Paging the database on-call: disk on replica 3 at 97%.',
];
const FACTORS = ['change', 'capacity', 'dependency', 'configuration', 'process', 'knowledge', 'external', 'other'];
const SEVERITIES = ['SEV1', 'SEV2', 'SEV2', 'SEV3', 'SEV3', 'SEV3', 'SEV4', 'SEV5'];
const iso = (ms: number) => new Date(ms).toISOString();

interface Org {
  people: string[];
  teams: string[];
  services: string[];
  teamOf: Map<string, string>;
  ownerOf: Map<string, string>;
  membersOf: Map<string, string[]>;
}

function* organisation(random: Random, start: number): Generator<Line, Org> {
  const org: Org = { people: [], teams: [], services: [], teamOf: new Map(), ownerOf: new Map(), membersOf: new Map() };
  const at = iso(start);
  for (let t = 0; t < 150; t++) {
    const teamId = `team${t}`;
    org.teams.push(teamId);
    org.membersOf.set(teamId, []);
    yield { type: 'TeamFormed', data: { teamId, name: `Team ${t}`, ...(t >= 10 ? { parentTeamId: `team${t % 10}` } : {}), occurredAt: at } };
  }
  for (let p = 0; p < 1500; p++) {
    const personId = `person${p}`;
    const teamId = org.teams[p % org.teams.length];
    org.people.push(personId);
    org.teamOf.set(personId, teamId);
    org.membersOf.get(teamId)!.push(personId);
    yield { type: 'PersonRegistered', data: { personId, name: `Person ${p}`, timeZone: random.pick(ZONES), email: `person${p}@example.com`, occurredAt: at } };
    yield { type: 'TeamMemberAdded', data: { teamId, personId, role: p < org.teams.length ? 'lead' : 'member', occurredAt: at } };
  }
  for (let s = 0; s < 400; s++) {
    const serviceId = `svc${s}`;
    const teamId = random.pick(org.teams);
    org.services.push(serviceId);
    org.ownerOf.set(serviceId, teamId);
    yield { type: 'ServiceRegistered', data: { serviceId, name: `Service ${s}`, tier: random.int(1, 4), occurredAt: at } };
    yield { type: 'ServiceOwnershipAssigned', data: { serviceId, teamId, occurredAt: at } };
    if (s > 0) yield { type: 'ServiceDependencyAdded', data: { serviceId, dependsOnServiceId: `svc${random.int(0, s - 1)}`, occurredAt: at } };
  }
  return org;
}

function* incident(random: Random, org: Org, incidentId: string, declaredAt: number): Generator<Line> {
  let clock = declaredAt;
  const at = (minutes: number) => iso((clock += minutes * 60_000));
  const base = { incidentId };
  const services = [random.pick(org.services), random.pick(org.services)].filter((s, i, all) => all.indexOf(s) === i);
  const team = org.ownerOf.get(services[0])!;
  const members = org.membersOf.get(team)!;
  const commander = random.pick(members);
  const severity = random.pick(SEVERITIES);
  yield {
    type: 'IncidentDeclared',
    data: { ...base, title: `${random.pick(SYMPTOMS)} on ${services[0]}`, severity, declaredBy: commander, impactedServiceIds: services, summary: `Started with ${random.pick(SYMPTOMS)}.`, occurredAt: iso(clock) },
  };
  yield { type: 'ResponderPaged', data: { ...base, personId: commander, occurredAt: at(1) } };
  yield { type: 'ResponderAcknowledged', data: { ...base, personId: commander, occurredAt: at(2) } };
  yield { type: 'ResponderJoined', data: { ...base, personId: commander, role: 'commander', occurredAt: at(1) } };
  const responders = new Set([commander]);
  for (let r = random.int(1, 4); r > 0; r--) {
    const personId = random.chance(0.7) ? random.pick(members) : random.pick(org.people);
    if (responders.has(personId)) continue;
    responders.add(personId);
    yield { type: 'ResponderJoined', data: { ...base, personId, role: random.pick(['responder', 'responder', 'expert', 'scribe', 'communications']), occurredAt: at(random.int(1, 15)) } };
  }
  if (random.chance(0.2)) yield { type: 'IncidentSeverityChanged', data: { ...base, severity: severity === 'SEV1' ? 'SEV2' : 'SEV1', changedBy: commander, occurredAt: at(5) } };
  if (random.chance(0.3)) {
    const extra = random.pick(org.services);
    if (!services.includes(extra)) yield { type: 'ServiceImpacted', data: { ...base, serviceId: extra, occurredAt: at(3) } };
  }
  for (let n = 1, count = random.int(2, 8); n <= count; n++) {
    const text = random.pick(NOTES).replace('{v}', `2023.${random.int(1, 12)}.${random.int(1, 40)}`);
    yield { type: 'TimelineNoteAdded', data: { ...base, noteId: `n${n}`, text, authorId: random.pick([...responders]), occurredAt: at(random.int(2, 20)) } };
  }
  const others = [...responders].filter((p) => p !== commander);
  if (others.length > 0 && random.chance(0.25)) yield { type: 'CommandHandedOff', data: { ...base, fromPersonId: commander, toPersonId: others[0], occurredAt: at(10) } };
  else if (others.length > 1 && random.chance(0.3)) yield { type: 'ResponderLeft', data: { ...base, personId: others[1], occurredAt: at(10) } };
  yield { type: 'IncidentMitigated', data: { ...base, mitigatedBy: commander, occurredAt: at(random.int(5, 60)) } };
  yield { type: 'IncidentResolved', data: { ...base, resolvedBy: commander, occurredAt: at(random.int(5, 120)) } };
  if (random.chance(0.05)) {
    yield { type: 'IncidentReopened', data: { ...base, reason: 'Errors came back after the cache warmed up.', occurredAt: at(90) } };
    yield { type: 'IncidentResolved', data: { ...base, resolvedBy: commander, occurredAt: at(60) } };
  }
  for (let f = 1, count = random.int(1, 3); f <= count; f++) {
    yield { type: 'ContributingFactorIdentified', data: { ...base, factorId: `f${f}`, description: `Factor ${f}: ${random.pick(SYMPTOMS)} not caught by alerting`, category: random.pick(FACTORS), occurredAt: at(600) } };
  }
  for (let a = 1, count = random.int(1, 4); a <= count; a++) {
    yield { type: 'ActionItemCreated', data: { ...base, actionItemId: `a${a}`, title: `Add an alert for ${random.pick(SYMPTOMS)}`, ownerTeamId: team, dueAt: iso(clock + 14 * 86_400_000), occurredAt: at(30) } };
    if (random.chance(0.5)) yield { type: 'ActionItemCompleted', data: { ...base, actionItemId: `a${a}`, occurredAt: at(7 * 24 * 60) } };
    else if (random.chance(0.2)) yield { type: 'ActionItemCancelled', data: { ...base, actionItemId: `a${a}`, reason: 'Superseded by the platform-wide alerting work.', occurredAt: at(3 * 24 * 60) } };
  }
  if (severity === 'SEV1' || severity === 'SEV2') {
    yield { type: 'ReviewPublished', data: { ...base, reviewId: 'r1', authorIds: [commander], url: `https://wiki.example.com/postmortems/${incidentId}`, occurredAt: at(3 * 24 * 60) } };
  }
  if (random.chance(0.3)) yield { type: 'IncidentCostEstimated', data: { ...base, amount: random.int(100, 250_000), currency: 'EUR', basis: 'lost orders and support time', occurredAt: at(60) } };
}

/**
 * Writes `targetBytes` of history (a little more: the last incidents are finished) to `path`, or
 * stops starting incidents after `maxIncidents`.
 */
export async function generateHistory(path: string, targetBytes: number, seed = 42, maxIncidents = Number.POSITIVE_INFINITY): Promise<GeneratedFile & { incidents: number }> {
  const random = new Random(seed);
  const out = createWriteStream(path, { highWaterMark: 1024 * 1024 });
  const file: GeneratedFile = { path, bytes: 0, lines: 0, badLines: 0 };
  const write = async (line: Line | string) => {
    const text = `${typeof line === 'string' ? line : JSON.stringify(line)}\n`;
    file.bytes += Buffer.byteLength(text);
    file.lines += 1;
    if (!out.write(text)) await once(out, 'drain');
  };

  let clock = Date.parse('2016-01-04T08:00:00Z');
  const orgLines = organisation(random, clock);
  let step = orgLines.next();
  for (; !step.done; step = orgLines.next()) await write(step.value);
  const org = step.value;

  const open: Generator<Line>[] = [];
  let incidents = 0;
  const firstWeek = Date.parse('2016-01-04T09:00:00Z');
  let week = 0;
  const more = () => file.bytes < targetBytes && incidents < maxIncidents;
  while (more() || open.length > 0) {
    if (more() && open.length < 40) {
      clock += random.int(5, 35) * 60_000;
      open.push(incident(random, org, `INC-${++incidents}`, clock));
      // Every week of business time: next week's on-call shift for every team, and a few org moves.
      if (clock >= firstWeek + week * 7 * 86_400_000) {
        week += 1;
        for (const teamId of org.teams) {
          const starts = firstWeek + week * 7 * 86_400_000;
          await write({ type: 'OnCallShiftScheduled', data: { teamId, shiftId: `w${week}`, personId: random.pick(org.membersOf.get(teamId)!), startsAt: iso(starts), endsAt: iso(starts + 7 * 86_400_000), occurredAt: iso(clock) } });
        }
        await write({ type: 'PersonUpdated', data: { personId: random.pick(org.people), timeZone: random.pick(ZONES), occurredAt: iso(clock) } });
        const serviceId = random.pick(org.services);
        const teamId = random.pick(org.teams.filter((t) => t !== org.ownerOf.get(serviceId)));
        org.ownerOf.set(serviceId, teamId);
        await write({ type: 'ServiceOwnershipAssigned', data: { serviceId, teamId, occurredAt: iso(clock) } });
      }
      if (incidents % 5000 === 0) {
        // On purpose: one line that is not valid, one that breaks a rule.
        await write({ type: 'PersonRegistered', data: { personId: `late${incidents}`, name: 'Late', timeZone: 'CET', occurredAt: iso(clock) } });
        await write({ type: 'IncidentDeclared', data: { incidentId: `INC-${incidents - 100}`, title: 'Declared twice', severity: 'SEV3', occurredAt: iso(clock) } });
        file.badLines += 2;
      }
    }
    const index = random.int(0, open.length - 1);
    const next = open[index].next();
    if (next.done) open.splice(index, 1);
    else await write(next.value);
  }
  out.end();
  await once(out, 'finish');
  return { ...file, incidents };
}
