import { isIanaTimeZone, isIsoDateTimeWithOffset } from '@app/domain';
import { DEFAULT_TIME_ZONE, type BackstageSkip, type DesiredPerson, type DesiredService, type DesiredTeam } from '../backstage/map';
import { pagerDutyId } from '../pagerduty-webhooks/map';

export const PAGERDUTY_REST_SOURCE = 'import:pagerduty';

/** One JSON file of the export, parsed. */
export interface PagerDutyDocument {
  file: string;
  json: unknown;
}

export interface ShiftWindow {
  /** Shifts overlapping [from, from + days) are scheduled. */
  from: string;
  days: number;
}

export interface PagerDutyOrg {
  teams: Map<string, DesiredTeam>;
  people: Map<string, DesiredPerson>;
  services: Map<string, DesiredService>;
  skipped: BackstageSkip[];
  /** Records read, by kind. */
  records: { users: number; teams: number; memberships: number; services: number; schedules: number; escalationPolicies: number; shifts: number };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objects = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
const idOf = (value: unknown): string | undefined => (isObject(value) ? text(value.id) : undefined);

/** `teams-<id>-members.json` (the id lower-cased by the export tool). */
const MEMBERS_FILE = /teams-([a-z0-9]+)-members\.json$/i;

/**
 * A PagerDuty REST export (the JSON bodies of GET /users, /teams, /teams/{id}/members, /services,
 * /schedules, /escalation_policies, one per file) -> the org it describes. Pure. Files are recognised by
 * their content (`users`, `teams`, `members`, `services`, `schedules` or `schedule`, `escalation_policies`).
 * Schedule layers become one on-call shift per rotation turn that overlaps the window.
 */
export function pagerDutyOrg(documents: readonly PagerDutyDocument[], window: ShiftWindow): PagerDutyOrg {
  const skipped: BackstageSkip[] = [];
  const records = { users: 0, teams: 0, memberships: 0, services: 0, schedules: 0, escalationPolicies: 0, shifts: 0 };
  const users = new Map<string, { user: Json; ref: string }>();
  const teams = new Map<string, { team: Json; ref: string }>();
  const members: { teamRaw: string; member: Json; ref: string }[] = [];
  const services = new Map<string, { service: Json; ref: string }>();
  const schedules = new Map<string, { schedule: Json; ref: string }>();
  const policyTeams = new Map<string, string[]>();

  for (const { file, json } of documents) {
    if (!isObject(json)) {
      skipped.push({ ref: file, reason: 'not a JSON object' });
      continue;
    }
    let known = false;
    const each = (key: string, add: (item: Json, ref: string) => void) => {
      if (!Array.isArray(json[key])) return;
      known = true;
      objects(json[key]).forEach((item, index) => add(item, `${file} ${key}[${index}]`));
    };
    each('users', (user, ref) => {
      const id = text(user.id);
      if (id && !users.has(id)) users.set(id, { user, ref });
      else if (!id) skipped.push({ ref, reason: 'a user without id' });
    });
    each('teams', (team, ref) => {
      const id = text(team.id);
      if (id && !teams.has(id)) teams.set(id, { team, ref });
      else if (!id) skipped.push({ ref, reason: 'a team without id' });
    });
    each('services', (service, ref) => {
      const id = text(service.id);
      if (id && !services.has(id)) services.set(id, { service, ref });
      else if (!id) skipped.push({ ref, reason: 'a service without id' });
    });
    const addSchedule = (schedule: Json, ref: string) => {
      const id = text(schedule.id);
      if (!id) return skipped.push({ ref, reason: 'a schedule without id' });
      const before = schedules.get(id);
      // A detail response (GET /schedules/{id}) may give teams the list left out: merge.
      schedules.set(id, { schedule: { ...before?.schedule, ...schedule, teams: objects(schedule.teams).length > 0 ? schedule.teams : before?.schedule.teams }, ref: before?.ref ?? ref });
    };
    each('schedules', addSchedule);
    if (isObject(json.schedule)) {
      known = true;
      addSchedule(json.schedule, `${file} schedule`);
    }
    each('escalation_policies', (policy) => {
      records.escalationPolicies += 1;
      const id = text(policy.id);
      const teamIds = objects(policy.teams).flatMap((team) => idOf(team) ?? []);
      for (const rule of objects(policy.escalation_rules)) {
        for (const target of objects(rule.targets)) {
          if (text(target.type)?.startsWith('schedule') && text(target.id) && teamIds.length > 0) policyTeams.set(text(target.id)!, teamIds);
        }
      }
      if (id) policyTeams.set(`policy:${id}`, teamIds);
    });
    each('members', (member, ref) => {
      const match = MEMBERS_FILE.exec(file);
      if (match) members.push({ teamRaw: match[1], member, ref });
      else skipped.push({ ref, reason: 'team members outside a teams-<id>-members.json file: the team is unknown' });
    });
    if (!known) skipped.push({ ref: file, reason: `no PagerDuty list in it (keys: ${Object.keys(json).slice(0, 6).join(', ')})` });
  }
  records.users = users.size;
  records.teams = teams.size;
  records.services = services.size;
  records.schedules = schedules.size;

  const desiredTeams = new Map<string, DesiredTeam>();
  for (const [id, { team, ref }] of teams) {
    const parent = idOf(team.parent);
    desiredTeams.set(pagerDutyId(id), {
      teamId: pagerDutyId(id),
      name: text(team.name) ?? text(team.summary) ?? id,
      parentTeamId: parent ? pagerDutyId(parent) : null,
      members: new Set(),
      roles: new Map(),
      shifts: [],
      ref,
    });
  }
  const teamByLowerId = new Map([...teams.keys()].map((id) => [id.toLowerCase(), id]));
  const people = new Map<string, DesiredPerson>();
  for (const [id, { user, ref }] of users) {
    const zone = text(user.time_zone);
    if (zone && !isIanaTimeZone(zone)) skipped.push({ ref, reason: `time_zone ${zone} is not an IANA time zone; ${DEFAULT_TIME_ZONE} is used` });
    people.set(pagerDutyId(id), {
      personId: pagerDutyId(id),
      name: text(user.name) ?? text(user.summary) ?? id,
      email: text(user.email),
      timeZone: zone && isIanaTimeZone(zone) ? zone : DEFAULT_TIME_ZONE,
      ref,
    });
    for (const teamRef of objects(user.teams)) {
      const teamId = idOf(teamRef);
      const team = teamId ? desiredTeams.get(pagerDutyId(teamId)) : undefined;
      if (team) team.members.add(pagerDutyId(id));
      else skipped.push({ ref: `${ref} teams`, reason: `dangling reference: team ${teamId ?? '?'} is not in the export` });
    }
  }
  for (const { teamRaw, member, ref } of members) {
    const teamKey = teamByLowerId.get(teamRaw.toLowerCase());
    const userId = idOf(member.user);
    if (!teamKey) {
      skipped.push({ ref, reason: `dangling reference: team ${teamRaw} is not in the export` });
      continue;
    }
    if (!userId) {
      skipped.push({ ref, reason: 'a member without user.id' });
      continue;
    }
    records.memberships += 1;
    const team = desiredTeams.get(pagerDutyId(teamKey))!;
    team.members.add(pagerDutyId(userId));
    if (text(member.role) === 'manager') team.roles!.set(pagerDutyId(userId), 'lead');
    if (!users.has(userId)) skipped.push({ ref, reason: `dangling reference: user ${userId} is not in users; the membership is kept (the person stays a placeholder)` });
  }

  const desiredServices = new Map<string, DesiredService>();
  for (const [id, { service, ref }] of services) {
    const owners = objects(service.teams).flatMap((team) => idOf(team) ?? []);
    if (owners.length > 1) skipped.push({ ref: `${ref} teams`, reason: `${owners.length} teams; the first, ${owners[0]}, is the owner` });
    const owner = owners[0] ? pagerDutyId(owners[0]) : null;
    if (owner && !desiredTeams.has(owner)) skipped.push({ ref: `${ref} teams`, reason: `team ${owners[0]} is not in teams; ownership is kept (the team stays a placeholder)` });
    desiredServices.set(pagerDutyId(id), { serviceId: pagerDutyId(id), name: text(service.name) ?? id, ownerTeamId: owner, dependsOn: new Set(), ref });
  }

  const from = Date.parse(window.from);
  const until = from + window.days * 86_400_000;
  for (const [id, { schedule, ref }] of schedules) {
    const scheduleTeams = objects(schedule.teams).flatMap((team) => idOf(team) ?? []);
    const viaPolicy = policyTeams.get(id) ?? objects(schedule.escalation_policies).flatMap((policy) => policyTeams.get(`policy:${idOf(policy) ?? ''}`) ?? []);
    const teamRaw = scheduleTeams[0] ?? viaPolicy[0];
    const team = teamRaw ? desiredTeams.get(pagerDutyId(teamRaw)) : undefined;
    if (!team) {
      skipped.push({ ref, reason: teamRaw ? `schedule ${id}: team ${teamRaw} is not in teams` : `schedule ${id} belongs to no team (neither its teams nor an escalation policy's)` });
      continue;
    }
    for (const [index, layer] of objects(schedule.schedule_layers).entries()) {
      const layerRef = `${ref} schedule_layers[${index}]`;
      const layerId = text(layer.id) ?? String(index);
      const turn = Number(layer.rotation_turn_length_seconds) * 1000;
      const people = objects(layer.users).flatMap((entry) => idOf(entry.user) ?? []);
      const virtualStart = isIsoDateTimeWithOffset(layer.rotation_virtual_start) ? Date.parse(layer.rotation_virtual_start) : NaN;
      if (!(turn > 0) || people.length === 0 || Number.isNaN(virtualStart)) {
        skipped.push({ ref: layerRef, reason: 'a layer needs rotation_turn_length_seconds, rotation_virtual_start and users' });
        continue;
      }
      const layerStart = isIsoDateTimeWithOffset(layer.start) ? Date.parse(layer.start) : -Infinity;
      const layerEnd = isIsoDateTimeWithOffset(layer.end) ? Date.parse(layer.end) : Infinity;
      const begin = Math.max(from, layerStart);
      const end = Math.min(until, layerEnd);
      if (objects(layer.restrictions).length > 0) {
        skipped.push({ ref: `${layerRef} restrictions`, reason: 'restrictions are not applied: each shift covers its whole rotation turn' });
      }
      for (let k = Math.floor((begin - virtualStart) / turn); virtualStart + k * turn < end; k++) {
        const startsAt = Math.max(virtualStart + k * turn, begin);
        const endsAt = Math.min(virtualStart + (k + 1) * turn, end);
        if (endsAt <= startsAt) continue;
        const turnStart = new Date(virtualStart + k * turn).toISOString().replace(/[-:]|\.\d+/g, '');
        team.shifts!.push({
          shiftId: `pagerduty:${id}:${layerId}:${turnStart}`,
          personId: pagerDutyId(people[((k % people.length) + people.length) % people.length]),
          startsAt: new Date(startsAt).toISOString(),
          endsAt: new Date(endsAt).toISOString(),
        });
        records.shifts += 1;
      }
    }
  }
  return { teams: desiredTeams, people, services: desiredServices, skipped, records };
}
