import type { NewEvent } from '@app/domain';
import type { EventStore } from '@app/event-store';

/**
 * A deterministic org + incident history for projection tests: the same seed gives the same
 * events, event ids included, whatever the id prefix, so two id spaces (two prefixes) hold the
 * same history and their graphs can be compared with canonicalDump. It follows the deciders'
 * rules stream by stream, and includes what imports produce: references to people, teams and
 * services that are registered late or never, and ownership / time zone history appended after
 * the current state (out of business-time order).
 */
export interface HistoryOptions {
  prefix: string;
  seed?: number;
  people?: number;
  teams?: number;
  services?: number;
  incidents?: number;
}

export interface StreamHistory {
  streamId: string;
  events: NewEvent<string>[];
}

const ZONES = ['Europe/Berlin', 'America/Sao_Paulo', 'Asia/Kolkata', 'America/New_York', 'Asia/Tokyo', 'UTC'];
const ROLES = ['responder', 'communications', 'scribe', 'expert'];
const CATEGORIES = ['change', 'capacity', 'dependency', 'configuration', 'process', 'knowledge', 'external', 'other'];
const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'];

/** mulberry32: small, seedable, good enough to pick test data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateHistory(options: HistoryOptions): StreamHistory[] {
  const random = prng(options.seed ?? 1);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const hex = (n: number) => Array.from({ length: n }, () => int(16).toString(16)).join('');
  const eventId = () => `${hex(8)}-${hex(4)}-4${hex(3)}-8${hex(3)}-${hex(12)}`;
  const id = (name: string) => `${options.prefix}${name}`;
  const time = (day: number, minute = 0) => new Date(Date.UTC(2024, 0, 1) + day * 86_400_000 + minute * 60_000).toISOString();
  const streams: StreamHistory[] = [];
  const stream = (category: string, entityId: string) => {
    const created: StreamHistory = { streamId: `${category}-${entityId}`, events: [] };
    streams.push(created);
    return (type: string, data: Record<string, unknown>) =>
      created.events.push({ id: eventId(), type, data, metadata: { schemaVersion: 1, source: 'test' } });
  };

  const people = Array.from({ length: options.people ?? 12 }, (_, i) => id(`p${i}`));
  const teams = Array.from({ length: options.teams ?? 4 }, (_, i) => id(`t${i}`));
  const services = Array.from({ length: options.services ?? 6 }, (_, i) => id(`s${i}`));
  // Referenced by incidents, never registered: they stay placeholders.
  const ghosts = [id('ghost-person'), id('ghost-team'), id('ghost-service')];

  people.forEach((personId, i) => {
    const emit = stream('person', personId);
    // Every fourth person is registered late: after the incidents that mention them, in business time too.
    const registered = i % 4 === 3 ? 300 + i : i;
    emit('PersonRegistered', { personId, name: `Person ${i}`, timeZone: pick(ZONES), email: `p${i}@example.com`, occurredAt: time(registered) });
    if (i % 3 === 0) emit('PersonUpdated', { personId, timeZone: pick(ZONES), occurredAt: time(registered + 100) });
    // History imported after the current state: an earlier move, appended last.
    if (i % 5 === 0) emit('PersonUpdated', { personId, timeZone: pick(ZONES), name: `Person ${i} (renamed)`, occurredAt: time(registered + 50) });
  });

  const dissolved = teams[teams.length - 1];
  teams.forEach((teamId, i) => {
    const emit = stream('team', teamId);
    const parentTeamId = i > 0 && i % 2 === 0 ? teams[int(i)] : undefined;
    emit('TeamFormed', { teamId, name: `Team ${i}`, ...(parentTeamId ? { parentTeamId } : {}), occurredAt: time(1 + i) });
    const members = people.filter((_, p) => p % teams.length === i || int(6) === 0);
    members.forEach((personId, m) => {
      emit('TeamMemberAdded', { teamId, personId, role: m === 0 ? 'lead' : 'member', occurredAt: time(5 + m) });
      if (m % 3 === 1) {
        emit('TeamMemberRemoved', { teamId, personId, occurredAt: time(120 + m) });
        emit('TeamMemberAdded', { teamId, personId, role: 'lead', occurredAt: time(200 + m) });
      }
    });
    emit('OnCallShiftScheduled', { teamId, shiftId: `shift-${i}`, personId: members[0] ?? people[0], startsAt: time(40), endsAt: time(47), occurredAt: time(35) });
    if (i === 1) emit('TeamRenamed', { teamId, name: `Team ${i} (renamed)`, occurredAt: time(60) });
    if (i === 1 && teams.length > 2) emit('TeamReparented', { teamId, parentTeamId: teams[0], occurredAt: time(70) });
    if (i === 1) emit('TeamReparented', { teamId, parentTeamId: null, occurredAt: time(150) });
    if (teamId === dissolved && i > 0) emit('TeamDissolved', { teamId, occurredAt: time(250) });
  });

  services.forEach((serviceId, i) => {
    const emit = stream('service', serviceId);
    emit('ServiceRegistered', { serviceId, name: `Service ${i}`, tier: 1 + (i % 4), occurredAt: time(2 + i) });
    const first = pick(teams);
    const second = pick(teams.filter((t) => t !== first));
    const older = i % 3 === 0 ? dissolved : pick(teams);
    emit('ServiceOwnershipAssigned', { serviceId, teamId: first, occurredAt: time(10 + i) });
    emit('ServiceOwnershipAssigned', { serviceId, teamId: second, occurredAt: time(90 + i) });
    // An older assignment imported after the newer ones.
    if (i % 2 === 0 && older !== second) emit('ServiceOwnershipAssigned', { serviceId, teamId: older, occurredAt: time(50 + i) });
    if (i > 0) {
      const dependency = services[int(i)];
      emit('ServiceDependencyAdded', { serviceId, dependsOnServiceId: dependency, occurredAt: time(20 + i) });
      if (i % 3 === 0) {
        emit('ServiceDependencyRemoved', { serviceId, dependsOnServiceId: dependency, occurredAt: time(130) });
        emit('ServiceDependencyAdded', { serviceId, dependsOnServiceId: services[0], occurredAt: time(160) });
      }
    }
    if (i === services.length - 1) emit('ServiceRetired', { serviceId, occurredAt: time(280) });
  });

  const everyone = [...people, ghosts[0]];
  for (let n = 0; n < (options.incidents ?? 8); n++) generateIncident(n);
  return streams;

  function generateIncident(n: number): void {
    const incidentId = id(`INC-${n}`);
    const emit = stream('incident', incidentId);
    const day = 30 + int(240);
    const at = (minute: number) => time(day, minute);
    const [commander, second, third, fourth] = [0, 1, 2, 3].map(() => pick(everyone));
    const impacted = pick([...services, ghosts[2]]);
    emit('IncidentDeclared', {
      incidentId,
      title: `Incident ${n}`,
      severity: pick(SEVERITIES),
      declaredBy: commander,
      summary: n % 2 === 0 ? `Summary ${n}` : undefined,
      impactedServiceIds: [impacted],
      occurredAt: at(0),
    });
    emit('ResponderPaged', { incidentId, personId: commander, occurredAt: at(1) });
    emit('ResponderAcknowledged', { incidentId, personId: commander, occurredAt: at(2) });
    emit('ResponderJoined', { incidentId, personId: commander, role: 'commander', occurredAt: at(3) });
    emit('ResponderPaged', { incidentId, personId: second, escalatedFromPersonId: commander, occurredAt: at(4) });
    const responders = [...new Set([second, third].filter((p) => p !== commander))];
    responders.forEach((personId, r) => emit('ResponderJoined', { incidentId, personId, role: pick(ROLES), occurredAt: at(5 + r) }));
    emit('IncidentSeverityChanged', { incidentId, severity: pick(SEVERITIES), changedBy: commander, occurredAt: at(8) });
    const other = services.find((s) => s !== impacted);
    if (other) emit('ServiceImpacted', { incidentId, serviceId: other, occurredAt: at(9) });
    emit('TimelineNoteAdded', { incidentId, noteId: 'n1', text: `Looking at ${n}`, authorId: commander, occurredAt: at(10) });
    let current = commander;
    if (responders.length > 0) {
      emit('CommandHandedOff', { incidentId, fromPersonId: commander, toPersonId: responders[0], occurredAt: at(12) });
      current = responders[0];
    }
    if (responders.length > 1) emit('ResponderLeft', { incidentId, personId: responders[1], occurredAt: at(14) });
    emit('ContributingFactorIdentified', { incidentId, factorId: 'f1', description: 'A change', category: pick(CATEGORIES), occurredAt: at(15) });
    emit('IncidentMitigated', { incidentId, mitigatedBy: current, occurredAt: at(20) });
    emit('IncidentResolved', { incidentId, resolvedBy: current, occurredAt: at(30) });
    if (n % 4 === 1) {
      emit('IncidentReopened', { incidentId, reason: 'It came back', occurredAt: at(40) });
      if (!responders.includes(fourth) && fourth !== commander) {
        emit('ResponderJoined', { incidentId, personId: fourth, role: 'expert', occurredAt: at(41) });
        emit('ResponderLeft', { incidentId, personId: fourth, occurredAt: at(50) });
      }
      emit('IncidentResolved', { incidentId, resolvedBy: current, occurredAt: at(60) });
    }
    emit('ActionItemCreated', {
      incidentId,
      actionItemId: 'a1',
      title: 'Add an alert',
      ownerTeamId: n % 5 === 0 ? ghosts[1] : pick(teams),
      ownerPersonId: pick(people),
      dueAt: time(day + 14),
      occurredAt: at(70),
    });
    emit('ActionItemCreated', { incidentId, actionItemId: 'a2', title: 'Write a runbook', occurredAt: at(71) });
    emit('ActionItemCompleted', { incidentId, actionItemId: 'a1', occurredAt: time(day + 10) });
    if (n % 2 === 0) emit('ActionItemCancelled', { incidentId, actionItemId: 'a2', reason: 'Duplicate', occurredAt: time(day + 11) });
    emit('ReviewPublished', { incidentId, reviewId: 'r1', authorIds: [current, pick(people)], url: `https://example.com/r/${n}`, occurredAt: time(day + 3) });
    emit('IncidentCostEstimated', { incidentId, amount: 1000 + n, currency: 'EUR', basis: 'engineer hours', occurredAt: time(day + 4) });
  }
}

export type Interleaving = 'org-first' | 'incidents-first' | 'shuffled';

/** The log order of a history: streams keep their own order; across streams, per `order`. */
export function interleave(streams: readonly StreamHistory[], order: Interleaving, seed = 7): { streamId: string; event: NewEvent<string> }[] {
  const isIncident = (s: StreamHistory) => s.streamId.startsWith('incident-');
  const flat = (list: readonly StreamHistory[]) => list.flatMap((s) => s.events.map((event) => ({ streamId: s.streamId, event })));
  if (order === 'org-first') return flat([...streams.filter((s) => !isIncident(s)), ...streams.filter(isIncident)]);
  if (order === 'incidents-first') return flat([...streams.filter(isIncident), ...streams.filter((s) => !isIncident(s))].reverse());
  const random = prng(seed);
  const cursors = streams.map((s) => ({ s, next: 0 }));
  const out: { streamId: string; event: NewEvent<string> }[] = [];
  for (;;) {
    const open = cursors.filter((c) => c.next < c.s.events.length);
    if (open.length === 0) return out;
    const cursor = open[Math.floor(random() * open.length)];
    out.push({ streamId: cursor.s.streamId, event: cursor.s.events[cursor.next++] });
  }
}

/** Appends a log order to a store, a few hundred events per commit (consecutive events of one stream together). */
export async function appendAll(store: EventStore, log: readonly { streamId: string; event: NewEvent<string> }[], perCommit = 250): Promise<string> {
  let head = '0';
  for (let start = 0; start < log.length; start += perCommit) {
    const writes: { streamId: string; events: NewEvent<string>[] }[] = [];
    for (const { streamId, event } of log.slice(start, start + perCommit)) {
      const last = writes[writes.length - 1];
      if (last && last.streamId === streamId) last.events.push(event);
      else writes.push({ streamId, events: [event] });
    }
    if (store.appendMany) {
      const results = await store.appendMany(writes);
      head = results[results.length - 1].position;
    } else {
      for (const write of writes) head = (await store.append(write.streamId, write.events)).position;
    }
  }
  return head;
}

export function countEvents(streams: readonly StreamHistory[]): number {
  return streams.reduce((n, s) => n + s.events.length, 0);
}
