import { isEntityId, isIanaTimeZone, type PersonState, type ServiceState, type TeamState } from '@app/domain';
import { parseAllDocuments } from 'yaml';

export const BACKSTAGE_SOURCE = 'import:backstage';

/** One catalog entity as read from a YAML document, with where it came from. */
export interface BackstageEntity {
  kind: string;
  namespace: string;
  name: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
  /** `file#document` (1-based document number). */
  ref: string;
}

/** A record (or a reference inside one) that became no event, and why. */
export interface BackstageSkip {
  ref: string;
  reason: string;
}

/** An event to append: the envelope of an NDJSON line (the id is derived from the content by the core). */
export interface CatalogEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: { source: string };
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Kinds that carry no org fact for Catalyst: read, counted, reported as skipped. */
const UNMAPPED_KINDS = new Set(['location', 'domain', 'api', 'template']);
const SERVICE_KINDS = new Set(['component', 'system', 'resource']);

/** Annotations that give a user's time zone (IANA name), first match wins. */
export const TIME_ZONE_ANNOTATIONS = ['catalyst.dev/time-zone', 'catalyst.io/timezone', 'backstage.io/time-zone', 'timezone', 'time-zone', 'tz'];
export const DEFAULT_TIME_ZONE = 'UTC';

/**
 * Parses the YAML documents of one catalog file (multi-document files included). A document that is not
 * an entity (no kind or no metadata.name) or does not parse is skipped with the reason.
 */
export function parseCatalogText(content: string, file: string): { entities: BackstageEntity[]; skipped: BackstageSkip[] } {
  const entities: BackstageEntity[] = [];
  const skipped: BackstageSkip[] = [];
  parseAllDocuments(content).forEach((document, index) => {
    const ref = `${file}#${index + 1}`;
    if (document.errors.length > 0) {
      skipped.push({ ref, reason: `YAML does not parse: ${document.errors[0].message.split('\n')[0]}` });
      return;
    }
    const value: unknown = document.toJS();
    if (value === null || value === undefined) return; // an empty document (a trailing ---)
    if (!isObject(value) || !text(value.kind) || !isObject(value.metadata) || !text(value.metadata.name)) {
      skipped.push({ ref, reason: 'not a catalog entity: kind and metadata.name are required' });
      return;
    }
    entities.push({
      kind: text(value.kind)!,
      namespace: text(value.metadata.namespace) ?? 'default',
      name: text(value.metadata.name)!,
      metadata: value.metadata,
      spec: isObject(value.spec) ? value.spec : {},
      ref,
    });
  });
  return { entities, skipped };
}

/**
 * The Catalyst id of a Backstage entity: its name in the `default` namespace, `namespace:name` in any other
 * (`group:default/team-a` -> `team-a`, `user:development/guest` -> `development:guest`). Null when the
 * result breaks the entity-id rule (1..128 chars of [A-Za-z0-9._:@-], starting with a letter or digit).
 */
export function catalystId(namespace: string, name: string): string | null {
  const id = namespace.toLowerCase() === 'default' ? name : `${namespace}:${name}`;
  return isEntityId(id) ? id : null;
}

/**
 * Parses an entity reference as Backstage does: `[kind:][namespace/]name`; a missing kind is `defaultKind`,
 * a missing namespace is the namespace of the entity that holds the reference.
 */
export function parseEntityRef(ref: string, defaultKind: string, defaultNamespace: string): { kind: string; namespace: string; name: string } | null {
  const match = /^(?:([^:/]+):)?(?:([^:/]+)\/)?([^:/]+)$/.exec(ref.trim());
  if (!match) return null;
  return { kind: (match[1] ?? defaultKind).toLowerCase(), namespace: match[2] ?? defaultNamespace, name: match[3] };
}

const key = (kind: string, namespace: string, name: string) => `${kind.toLowerCase()}:${namespace.toLowerCase()}/${name.toLowerCase()}`;

export interface DesiredTeam {
  teamId: string;
  name: string;
  parentTeamId: string | null;
  members: Set<string>;
  ref: string;
  /** Role of a member when it is not the default `member` (`lead`). */
  roles?: Map<string, 'member' | 'lead'>;
  /** On-call shifts (PagerDuty schedules); a shift id already in the stream is not scheduled again. */
  shifts?: { shiftId: string; personId: string; startsAt: string; endsAt: string }[];
}
export interface DesiredPerson {
  personId: string;
  name: string;
  email?: string;
  timeZone: string;
  ref: string;
}
export interface DesiredService {
  serviceId: string;
  name: string;
  ownerTeamId: string | null;
  dependsOn: Set<string>;
  ref: string;
}

/** What the catalog says the org is, ids already mapped. */
export interface DesiredOrg {
  teams: Map<string, DesiredTeam>;
  people: Map<string, DesiredPerson>;
  services: Map<string, DesiredService>;
  skipped: BackstageSkip[];
  /** Entities read, by kind (lower case). */
  kinds: Record<string, number>;
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

function annotationTimeZone(metadata: Json): string | undefined {
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  for (const name of TIME_ZONE_ANNOTATIONS) {
    const value = text(annotations[name]);
    if (value) return value;
  }
  return undefined;
}

/**
 * Reads a whole catalog into the org it describes. Pure. Unknown and unmapped kinds, duplicates, ids out of
 * the id rule and dangling references (a parent, member, owner or dependency not in the catalog) are
 * reported in `skipped` and leave the rest intact.
 */
export function desiredOrg(entities: readonly BackstageEntity[]): DesiredOrg {
  const skipped: BackstageSkip[] = [];
  const kinds: Record<string, number> = {};
  const byKey = new Map<string, { entity: BackstageEntity; id: string }>();
  for (const entity of entities) {
    const kind = entity.kind.toLowerCase();
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    if (UNMAPPED_KINDS.has(kind)) {
      skipped.push({ ref: `${entity.ref} ${entity.kind}:${entity.name}`, reason: `kind ${entity.kind} has no Catalyst mapping` });
      continue;
    }
    if (kind !== 'group' && kind !== 'user' && !SERVICE_KINDS.has(kind)) {
      skipped.push({ ref: `${entity.ref} ${entity.kind}:${entity.name}`, reason: `unknown kind ${entity.kind}` });
      continue;
    }
    const id = catalystId(entity.namespace, entity.name);
    if (!id) {
      skipped.push({ ref: `${entity.ref} ${entity.kind}:${entity.name}`, reason: 'the name does not fit the entity-id rule (1..128 chars of [A-Za-z0-9._:@-])' });
      continue;
    }
    const k = key(SERVICE_KINDS.has(kind) ? 'service' : kind, entity.namespace, entity.name);
    const existing = byKey.get(k);
    if (existing) {
      skipped.push({ ref: `${entity.ref} ${entity.kind}:${entity.name}`, reason: `duplicate of ${existing.entity.ref} (the first one is used)` });
      continue;
    }
    byKey.set(k, { entity, id });
  }

  const resolve = (ref: string, holder: BackstageEntity, defaultKind: string, expected: string[]): string | null => {
    const parsed = parseEntityRef(ref, defaultKind, holder.namespace);
    if (!parsed || !expected.includes(parsed.kind)) return null;
    const found = byKey.get(key(SERVICE_KINDS.has(parsed.kind) ? 'service' : parsed.kind, parsed.namespace, parsed.name));
    return found ? found.id : null;
  };
  const dangling = (holder: BackstageEntity, field: string, ref: string, what: string) =>
    skipped.push({ ref: `${holder.ref} ${holder.kind}:${holder.name} ${field}`, reason: `dangling reference: ${what} ${ref} is not in the catalog` });

  const teams = new Map<string, DesiredTeam>();
  const people = new Map<string, DesiredPerson>();
  const services = new Map<string, DesiredService>();
  const entries = [...byKey.values()];
  for (const { entity, id } of entries) {
    const kind = entity.kind.toLowerCase();
    const profile = isObject(entity.spec.profile) ? entity.spec.profile : {};
    if (kind === 'group') {
      teams.set(id, { teamId: id, name: text(profile.displayName) ?? entity.name, parentTeamId: null, members: new Set(), ref: entity.ref });
    } else if (kind === 'user') {
      const zone = annotationTimeZone(entity.metadata);
      if (zone && !isIanaTimeZone(zone)) skipped.push({ ref: `${entity.ref} User:${entity.name} time zone`, reason: `${zone} is not an IANA time zone; ${DEFAULT_TIME_ZONE} is used` });
      people.set(id, {
        personId: id,
        name: text(profile.displayName) ?? entity.name,
        email: text(profile.email),
        timeZone: zone && isIanaTimeZone(zone) ? zone : DEFAULT_TIME_ZONE,
        ref: entity.ref,
      });
    } else {
      services.set(id, { serviceId: id, name: text(entity.metadata.title) ?? entity.name, ownerTeamId: null, dependsOn: new Set(), ref: entity.ref });
    }
  }

  for (const { entity, id } of entries) {
    const kind = entity.kind.toLowerCase();
    if (kind === 'group') {
      const parent = text(entity.spec.parent);
      if (parent) {
        const parentId = resolve(parent, entity, 'group', ['group']);
        if (parentId && parentId !== id) teams.get(id)!.parentTeamId = parentId;
        else dangling(entity, 'spec.parent', parent, 'group');
      }
      for (const child of list(entity.spec.children)) {
        const childId = resolve(child, entity, 'group', ['group']);
        if (!childId) dangling(entity, 'spec.children', child, 'group');
        else if (childId !== id && teams.get(childId)!.parentTeamId === null) teams.get(childId)!.parentTeamId = id;
      }
      for (const member of list(entity.spec.members)) {
        const personId = resolve(member, entity, 'user', ['user']);
        if (personId) teams.get(id)!.members.add(personId);
        else dangling(entity, 'spec.members', member, 'user');
      }
    } else if (kind === 'user') {
      for (const group of list(entity.spec.memberOf)) {
        const teamId = resolve(group, entity, 'group', ['group']);
        if (teamId) teams.get(teamId)!.members.add(id);
        else dangling(entity, 'spec.memberOf', group, 'group');
      }
    } else if (SERVICE_KINDS.has(kind)) {
      const owner = text(entity.spec.owner);
      if (owner) {
        const teamId = resolve(owner, entity, 'group', ['group']);
        if (teamId) services.get(id)!.ownerTeamId = teamId;
        else if (parseEntityRef(owner, 'group', entity.namespace)?.kind === 'user') {
          skipped.push({ ref: `${entity.ref} ${entity.kind}:${entity.name} spec.owner`, reason: `owner ${owner} is a user; Catalyst services are owned by teams` });
        } else dangling(entity, 'spec.owner', owner, 'group');
      }
      for (const dependency of list(entity.spec.dependsOn)) {
        const serviceId = resolve(dependency, entity, 'component', [...SERVICE_KINDS]);
        if (serviceId && serviceId !== id) services.get(id)!.dependsOn.add(serviceId);
        else dangling(entity, 'spec.dependsOn', dependency, 'component, system or resource');
      }
    }
  }
  return { teams, people, services, skipped, kinds };
}

/** The stored state of the streams the catalog touches (decider states, `unknown` when empty). */
export interface CurrentOrg {
  team(teamId: string): TeamState;
  person(personId: string): PersonState;
  service(serviceId: string): ServiceState;
}

/**
 * The events that take the stored org to what the catalog says, all at `occurredAt`. Pure. Nothing when
 * they already agree, so importing the same catalog twice appends nothing. Only entities in the catalog
 * are compared: a team, person or service missing from it is left as it is (a catalog may be partial),
 * but the members of a team in the catalog are exactly the catalog's members of it.
 */
export function diffOrg(
  desired: Pick<DesiredOrg, 'teams' | 'people' | 'services'>,
  current: CurrentOrg,
  occurredAt: string,
  source: string = BACKSTAGE_SOURCE,
): { events: CatalogEvent[]; skipped: BackstageSkip[] } {
  const events: CatalogEvent[] = [];
  const skipped: BackstageSkip[] = [];
  const emit = (type: string, data: Json) => events.push({ type, data: { ...data, occurredAt }, metadata: { source } });
  const sorted = <T>(map: Map<string, T>) => [...map.keys()].sort().map((id) => map.get(id)!);

  for (const person of sorted(desired.people)) {
    const state = current.person(person.personId);
    if (state.status === 'unknown') {
      emit('PersonRegistered', { personId: person.personId, name: person.name, timeZone: person.timeZone, ...(person.email ? { email: person.email } : {}) });
      continue;
    }
    const changes: Json = {};
    if (state.name !== person.name) changes.name = person.name;
    if (person.email && state.email !== person.email) changes.email = person.email;
    if (state.timeZone !== person.timeZone) changes.timeZone = person.timeZone;
    if (Object.keys(changes).length > 0) emit('PersonUpdated', { personId: person.personId, ...changes });
  }

  for (const team of sorted(desired.teams)) {
    const state = current.team(team.teamId);
    if (state.status === 'dissolved') {
      skipped.push({ ref: team.ref, reason: `team ${team.teamId} is dissolved in the log; the catalog cannot change it` });
      continue;
    }
    const members = state.status === 'active' ? state.members : new Set<string>();
    if (state.status === 'unknown') {
      emit('TeamFormed', { teamId: team.teamId, name: team.name, ...(team.parentTeamId ? { parentTeamId: team.parentTeamId } : {}) });
    } else {
      if (state.name !== team.name) emit('TeamRenamed', { teamId: team.teamId, name: team.name });
      if (state.parentTeamId !== team.parentTeamId) emit('TeamReparented', { teamId: team.teamId, parentTeamId: team.parentTeamId });
    }
    for (const personId of [...members].sort()) if (!team.members.has(personId)) emit('TeamMemberRemoved', { teamId: team.teamId, personId });
    for (const personId of [...team.members].sort()) {
      const role = team.roles?.get(personId);
      if (!members.has(personId)) emit('TeamMemberAdded', { teamId: team.teamId, personId, ...(role && role !== 'member' ? { role } : {}) });
    }
    const shiftIds = state.status === 'active' ? state.shiftIds : new Set<string>();
    for (const shift of team.shifts ?? []) if (!shiftIds.has(shift.shiftId)) emit('OnCallShiftScheduled', { teamId: team.teamId, ...shift });
  }

  for (const service of sorted(desired.services)) {
    const state = current.service(service.serviceId);
    if (state.status === 'retired') {
      skipped.push({ ref: service.ref, reason: `service ${service.serviceId} is retired in the log; the catalog cannot change it` });
      continue;
    }
    if (state.status === 'unknown') emit('ServiceRegistered', { serviceId: service.serviceId, name: service.name });
    const owner = state.status === 'active' ? state.ownerTeamId : null;
    if (service.ownerTeamId && owner !== service.ownerTeamId) emit('ServiceOwnershipAssigned', { serviceId: service.serviceId, teamId: service.ownerTeamId });
    const dependsOn = state.status === 'active' ? state.dependsOn : new Set<string>();
    for (const id of [...dependsOn].sort()) if (!service.dependsOn.has(id)) emit('ServiceDependencyRemoved', { serviceId: service.serviceId, dependsOnServiceId: id });
    for (const id of [...service.dependsOn].sort()) if (!dependsOn.has(id)) emit('ServiceDependencyAdded', { serviceId: service.serviceId, dependsOnServiceId: id });
  }
  return { events, skipped };
}
