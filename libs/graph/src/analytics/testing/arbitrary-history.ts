/**
 * A fast-check arbitrary of random org + incident histories for the analytics property test. The
 * arbitrary draws plans (arrays of steps, so that shrinking removes steps); `buildHistory` turns a
 * plan into events that obey the deciders' rules stream by stream (a step that the rules would
 * refuse is skipped), with occurredAt non-decreasing in each stream. Times sit on a half-hour grid
 * over five weeks around the 2024 daylight-saving changes (US 10 March, EU 31 March, Adelaide
 * 7 April), so that equal times, window boundaries, nights and weekends happen often.
 */
import fc from 'fast-check';
import type { AnalysisOptions, Finding } from '../types';
import type { HistoryEvent } from './reference';

/** Monday 2024-03-04T00:00Z; slot k is BASE + k half hours. */
export const BASE = Date.UTC(2024, 2, 4);
export const SLOT = 30 * 60_000;
export const SLOTS = 35 * 48;
export const slotIso = (slot: number) => new Date(BASE + slot * SLOT).toISOString();
/** After every event of every history. */
export const NOW = slotIso(SLOTS + 48 * 30);

export const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Adelaide', 'UTC', 'Europe/London'];
const ROLES = ['commander', 'responder', 'communications', 'scribe', 'expert'] as const;
const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'] as const;

export interface PersonPlan {
  registered: boolean;
  at: number;
  zone: number;
  updates: { dt: number; zone: number | null; rename: boolean }[];
}

export type TeamStep =
  | { kind: 'add'; dt: number; person: number }
  | { kind: 'remove'; dt: number; person: number }
  | { kind: 'reparent'; dt: number; parent: number | null }
  | { kind: 'shift'; dt: number; person: number; start: number; length: number }
  | { kind: 'rename'; dt: number };

export interface TeamPlan {
  at: number;
  parent: number | null;
  steps: TeamStep[];
  dissolveAfter: number | null;
}

export interface ServicePlan {
  registered: boolean;
  at: number;
  owners: { dt: number; team: number }[];
  retireAfter: number | null;
}

export type IncidentStep =
  | { kind: 'page' | 'ack' | 'leave'; dt: number; person: number }
  | { kind: 'join'; dt: number; person: number; role: number }
  | { kind: 'handoff'; dt: number; person: number }
  | { kind: 'severity'; dt: number; severity: number }
  | { kind: 'impact'; dt: number; service: number }
  | { kind: 'resolve' | 'reopen'; dt: number }
  | { kind: 'item'; dt: number; team: number | null; due: number | null }
  | { kind: 'complete' | 'cancel'; dt: number; item: number }
  | { kind: 'cost'; dt: number; amount: number; currency: number };

export interface IncidentPlan {
  at: number;
  severity: number;
  impacted: number[];
  steps: IncidentStep[];
  /** Resolve after the steps (if not resolved), this many slots after the last one. */
  finalResolve: number | null;
}

export type Bound = null | { slot: number } | { incident: number; delta: number };

export interface HistoryPlan {
  people: PersonPlan[];
  teams: TeamPlan[];
  services: ServicePlan[];
  incidents: IncidentPlan[];
  window: { from: Bound; to: Bound };
  asOf: number | null;
  findings: number[];
}

export interface History {
  events: HistoryEvent[];
  options: AnalysisOptions;
  asOf?: string;
  findings: Finding[];
  serviceIds: string[];
}

const slot = fc.integer({ min: 0, max: SLOTS - 1 });
/** Gaps between steps of a stream: often 0 (equal times), mostly small, sometimes days. */
const dt = fc.oneof({ arbitrary: fc.constant(0), weight: 2 }, { arbitrary: fc.integer({ min: 1, max: 6 }), weight: 5 }, { arbitrary: fc.integer({ min: 7, max: 200 }), weight: 1 });
const idx = fc.nat({ max: 15 });
/** null 4 times in 5. */
const sometimes = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary: arb, weight: 1 });
/** Busy hours (so that one person's engagements overlap), the DST weekends, or any slot. */
const incidentSlot = fc.oneof(
  { arbitrary: slot, weight: 2 },
  { arbitrary: fc.integer({ min: 14 * 48 + 16, max: 14 * 48 + 28 }), weight: 2 },
  { arbitrary: fc.integer({ min: 26 * 48 + 40, max: 27 * 48 + 8 }), weight: 1 },
  { arbitrary: fc.integer({ min: 5 * 48 + 30, max: 6 * 48 + 20 }), weight: 1 },
);

const personPlan: fc.Arbitrary<PersonPlan> = fc.record({
  registered: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
  at: fc.oneof(fc.constant(0), slot),
  zone: fc.nat({ max: ZONES.length - 1 }),
  updates: fc.array(fc.record({ dt: fc.integer({ min: 0, max: 400 }), zone: fc.option(fc.nat({ max: ZONES.length - 1 })), rename: fc.boolean() }), { maxLength: 2 }),
});

const teamStep: fc.Arbitrary<TeamStep> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('add' as const), dt, person: idx }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('remove' as const), dt, person: idx }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('reparent' as const), dt, parent: fc.option(idx) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('shift' as const), dt, person: idx, start: fc.oneof(slot, incidentSlot), length: fc.integer({ min: 1, max: 7 * 48 }) }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('rename' as const), dt }), weight: 1 },
);

const teamPlan: fc.Arbitrary<TeamPlan> = fc.record({
  at: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200 })),
  parent: fc.option(idx),
  steps: fc.array(teamStep, { maxLength: 10 }),
  dissolveAfter: sometimes(fc.integer({ min: 0, max: SLOTS })),
});

const servicePlan: fc.Arbitrary<ServicePlan> = fc.record({
  registered: fc.oneof({ arbitrary: fc.constant(true), weight: 6 }, { arbitrary: fc.constant(false), weight: 1 }),
  at: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 300 })),
  owners: fc.array(fc.record({ dt: fc.integer({ min: 0, max: 500 }), team: idx }), { maxLength: 3 }),
  retireAfter: sometimes(fc.integer({ min: 0, max: SLOTS })),
});

const incidentStep: fc.Arbitrary<IncidentStep> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constantFrom('page' as const, 'ack' as const), dt, person: idx }), weight: 3 },
  {
    arbitrary: fc.record({ kind: fc.constant('join' as const), dt, person: idx, role: fc.oneof(fc.constant(0), fc.nat({ max: ROLES.length - 1 })) }),
    weight: 9,
  },
  { arbitrary: fc.record({ kind: fc.constant('leave' as const), dt, person: idx }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('handoff' as const), dt, person: idx }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('severity' as const), dt, severity: fc.nat({ max: 4 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('impact' as const), dt, service: idx }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constantFrom('resolve' as const, 'resolve' as const, 'reopen' as const), dt }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('item' as const), dt, team: fc.option(idx, { freq: 5 }), due: fc.option(fc.integer({ min: 0, max: 600 })) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constantFrom('complete' as const, 'cancel' as const), dt, item: fc.nat({ max: 3 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('cost' as const), dt, amount: fc.integer({ min: 0, max: 20_000 }), currency: fc.nat({ max: 1 }) }), weight: 1 },
);

const incidentPlan: fc.Arbitrary<IncidentPlan> = fc.record({
  at: incidentSlot,
  severity: fc.nat({ max: 4 }),
  impacted: fc.array(idx, { maxLength: 2 }),
  steps: fc.array(incidentStep, { minLength: 4, maxLength: 18, size: 'medium' }),
  finalResolve: fc.option(fc.integer({ min: 0, max: 12 }), { freq: 4 }),
});

const bound: fc.Arbitrary<Bound> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 2 },
  { arbitrary: fc.record({ slot }), weight: 1 },
  { arbitrary: fc.record({ incident: idx, delta: fc.integer({ min: -1, max: 1 }) }), weight: 2 },
);

export const historyPlan: fc.Arbitrary<HistoryPlan> = fc.record({
  people: fc.array(personPlan, { minLength: 3, maxLength: 10 }),
  teams: fc.array(teamPlan, { minLength: 2, maxLength: 6 }),
  services: fc.array(servicePlan, { minLength: 1, maxLength: 4 }),
  incidents: fc.array(incidentPlan, { minLength: 2, maxLength: 8 }),
  window: fc.record({ from: bound, to: bound }),
  asOf: fc.option(fc.integer({ min: 0, max: SLOTS + 48 * 20 })),
  findings: fc.array(idx, { maxLength: 4 }),
});

/** The events of a plan, stream after stream (each stream in its own order), and the options to ask with. */
export function buildHistory(plan: HistoryPlan): History {
  const events: HistoryEvent[] = [];
  // A line without an id gets the hash of its content as id (the importer's idempotency), so two
  // identical events are one: a history never holds the same event twice. `emit` says whether it
  // emitted; a step that changes the generator's state does so only then, so its state never
  // counts an event the log would drop.
  const emitted = new Set<string>();
  const emit = (type: string, data: Record<string, unknown>): boolean => {
    const key = `${type} ${JSON.stringify(data)}`;
    if (emitted.has(key)) return false;
    emitted.add(key);
    events.push({ type, data });
    return true;
  };
  const people = plan.people.map((_, i) => `p${i}`);
  const teams = plan.teams.map((_, i) => `t${i}`);
  const services = plan.services.map((_, i) => `s${i}`);
  const pick = <T>(list: readonly T[], i: number) => list[i % list.length];
  const at = (s: number) => slotIso(Math.min(s, SLOTS + 48 * 25));

  plan.people.forEach((p, i) => {
    if (!p.registered) return;
    const personId = people[i];
    let t = p.at;
    emit('PersonRegistered', { personId, name: `Person ${i}`, timeZone: ZONES[p.zone], occurredAt: at(t) });
    for (const [n, u] of p.updates.entries()) {
      t += u.dt;
      if (u.zone === null && !u.rename) continue;
      emit('PersonUpdated', { personId, ...(u.zone !== null ? { timeZone: ZONES[u.zone] } : {}), ...(u.rename ? { name: `Person ${i}.${n}` } : {}), occurredAt: at(t) });
    }
  });

  const dissolvedAt: (number | null)[] = [];
  const aliveAt = (team: number, t: number) => dissolvedAt[team] === undefined || dissolvedAt[team] === null || (dissolvedAt[team] as number) > t;
  plan.teams.forEach((plan_, i) => {
    const teamId = teams[i];
    // Parents have a lower index (no cycles) and are alive when the link starts.
    const parentIndex = (p: number | null, t: number) => {
      if (p === null || i === 0) return null;
      const j = p % i;
      return aliveAt(j, t) ? j : null;
    };
    let t = plan_.at;
    const parent = parentIndex(plan_.parent, t);
    emit('TeamFormed', { teamId, name: `Team ${i}`, ...(parent !== null ? { parentTeamId: teams[parent] } : {}), occurredAt: at(t) });
    const dissolveAt = plan_.dissolveAfter === null ? null : t + plan_.dissolveAfter;
    const members = new Set<string>();
    let shifts = 0;
    let renames = 0;
    for (const step of plan_.steps) {
      const next = t + step.dt;
      if (dissolveAt !== null && next > dissolveAt) break;
      t = next;
      switch (step.kind) {
        case 'add': {
          const personId = pick(people, step.person);
          if (members.has(personId) || !emit('TeamMemberAdded', { teamId, personId, role: step.person % 3 === 0 ? 'lead' : 'member', occurredAt: at(t) })) break;
          members.add(personId);
          break;
        }
        case 'remove': {
          const personId = pick(people, step.person);
          if (!members.has(personId) || !emit('TeamMemberRemoved', { teamId, personId, occurredAt: at(t) })) break;
          members.delete(personId);
          break;
        }
        case 'reparent': {
          if (i === 0) break;
          const p = parentIndex(step.parent, t);
          emit('TeamReparented', { teamId, parentTeamId: p === null ? null : teams[p], occurredAt: at(t) });
          break;
        }
        case 'shift': {
          const personId = pick(people, step.person);
          emit('OnCallShiftScheduled', {
            teamId,
            shiftId: `sh${shifts++}`,
            personId,
            startsAt: slotIso(step.start),
            endsAt: slotIso(step.start + step.length),
            occurredAt: at(t),
          });
          break;
        }
        case 'rename':
          emit('TeamRenamed', { teamId, name: `Team ${i} (${++renames})`, occurredAt: at(t) });
          break;
      }
    }
    if (dissolveAt !== null) {
      emit('TeamDissolved', { teamId, occurredAt: at(dissolveAt) });
      dissolvedAt[i] = dissolveAt;
    } else dissolvedAt[i] = null;
  });

  plan.services.forEach((s, i) => {
    if (!s.registered) return;
    const serviceId = services[i];
    let t = s.at;
    emit('ServiceRegistered', { serviceId, name: `Service ${i}`, tier: 1 + (i % 4), occurredAt: at(t) });
    const retireAt = s.retireAfter === null ? null : t + s.retireAfter;
    let owner: string | null = null;
    for (const o of s.owners) {
      const next = t + o.dt;
      if (retireAt !== null && next > retireAt) break;
      t = next;
      // Index beyond the teams: a team that is never formed (a placeholder owner).
      const team = o.team % (teams.length + 1);
      const teamId = team === teams.length ? 'ghost-team' : teams[team];
      if (teamId === owner) continue;
      // No assignment to a team already dissolved (the graph's behaviour there is not defined).
      if (team < teams.length && !aliveAt(team, t)) continue;
      if (emit('ServiceOwnershipAssigned', { serviceId, teamId, occurredAt: at(t) })) owner = teamId;
    }
    if (retireAt !== null) emit('ServiceRetired', { serviceId, occurredAt: at(retireAt) });
  });

  // Incidents may name a person that is never registered (`ghost`), and a service never registered.
  const everyone = [...people, 'ghost'];
  const serviceChoices = [...services, 'ghost-service'];
  const declared: number[] = [];
  plan.incidents.forEach((inc, n) => {
    const incidentId = `INC-${n}`;
    let t = inc.at;
    declared.push(t);
    const impacted = [...new Set(inc.impacted.map((x) => pick(serviceChoices, x)))];
    let severity: string = SEVERITIES[inc.severity];
    emit('IncidentDeclared', { incidentId, title: `Incident ${n}`, severity, impactedServiceIds: [...impacted], occurredAt: at(t) });
    const responders = new Set<string>();
    let commander: string | null = null;
    let resolved = false;
    const items: { id: string; open: boolean }[] = [];
    for (const step of inc.steps) {
      t += step.dt;
      const when = at(t);
      switch (step.kind) {
        case 'page':
          emit('ResponderPaged', { incidentId, personId: pick(everyone, step.person), occurredAt: when });
          break;
        case 'ack':
          emit('ResponderAcknowledged', { incidentId, personId: pick(everyone, step.person), occurredAt: when });
          break;
        case 'join': {
          const personId = pick(everyone, step.person);
          const role = ROLES[step.role];
          if (resolved || responders.has(personId) || !emit('ResponderJoined', { incidentId, personId, role, occurredAt: when })) break;
          responders.add(personId);
          if (role === 'commander') commander = personId;
          break;
        }
        case 'leave': {
          const personId = pick(everyone, step.person);
          if (!responders.has(personId) || !emit('ResponderLeft', { incidentId, personId, occurredAt: when })) break;
          responders.delete(personId);
          if (commander === personId) commander = null;
          break;
        }
        case 'handoff': {
          // To a current responder only: the domain allows anyone, but the projection fails on a
          // hand-off to someone who has left (reported to the lead: "No such field: since").
          const toPersonId = pick(everyone, step.person);
          if (commander === null || toPersonId === commander || !responders.has(toPersonId)) break;
          if (emit('CommandHandedOff', { incidentId, fromPersonId: commander, toPersonId, occurredAt: when })) commander = toPersonId;
          break;
        }
        case 'severity': {
          const next = SEVERITIES[step.severity];
          if (next !== severity && emit('IncidentSeverityChanged', { incidentId, severity: next, occurredAt: when })) severity = next;
          break;
        }
        case 'impact': {
          const serviceId = pick(serviceChoices, step.service);
          if (impacted.includes(serviceId)) break;
          impacted.push(serviceId);
          emit('ServiceImpacted', { incidentId, serviceId, occurredAt: when });
          break;
        }
        case 'resolve':
          if (!resolved && emit('IncidentResolved', { incidentId, occurredAt: when })) resolved = true;
          break;
        case 'reopen':
          if (resolved && emit('IncidentReopened', { incidentId, occurredAt: when })) resolved = false;
          break;
        case 'item': {
          const id = `a${items.length}`;
          items.push({ id, open: true });
          const team = step.team === null ? null : step.team % (teams.length + 1);
          emit('ActionItemCreated', {
            incidentId,
            actionItemId: id,
            title: `Item ${id}`,
            ...(team === null ? {} : { ownerTeamId: team === teams.length ? 'ghost-team' : teams[team] }),
            ...(step.due === null ? {} : { dueAt: at(t + step.due) }),
            occurredAt: when,
          });
          break;
        }
        case 'complete':
        case 'cancel': {
          const open = items.filter((x) => x.open);
          if (open.length === 0) break;
          const item = open[step.item % open.length];
          item.open = false;
          emit(step.kind === 'complete' ? 'ActionItemCompleted' : 'ActionItemCancelled', { incidentId, actionItemId: item.id, occurredAt: when });
          break;
        }
        case 'cost':
          emit('IncidentCostEstimated', { incidentId, amount: step.amount / 4, currency: ['EUR', 'USD'][step.currency], occurredAt: when });
          break;
      }
    }
    if (inc.finalResolve !== null && !resolved) emit('IncidentResolved', { incidentId, occurredAt: at(t + inc.finalResolve) });
  });

  const resolveBound = (b: Bound): string | null => {
    if (b === null) return null;
    if ('slot' in b) return slotIso(b.slot);
    return slotIso(Math.max(0, pick(declared, b.incident) + b.delta));
  };
  return {
    events,
    options: { window: { from: resolveBound(plan.window.from), to: resolveBound(plan.window.to) }, now: NOW },
    asOf: plan.asOf === null ? undefined : slotIso(plan.asOf),
    findings: plan.findings.map((s, i) => ({ id: `f${i}`, serviceId: pick([...serviceChoices, 'never-seen'], s) })),
    serviceIds: [...serviceChoices, 'never-seen'],
  };
}

export const arbitraryHistory: fc.Arbitrary<History> = historyPlan.map(buildHistory);
