import { isIsoDateTimeWithOffset } from '@app/domain';
import { uuidV5 } from '@app/event-store/uuid';
import { PayloadError, type MappedDelivery, type MappedEvent, type SkippedRecord } from '../pagerduty-webhooks/delivery';

/** metadata.source of every event this mapper produces. */
export const INCIDENT_IO_SOURCE = 'import:incident-io';

/** Entity ids of incident.io objects: `incident.io:` + the incident.io id (incidents, users, follow-ups). */
export const incidentIoId = (id: string): string => `incident.io:${id}`;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Mapped events of one record, without envelope decisions yet; `rank` orders events of the same instant. */
interface Draft extends MappedEvent {
  rank: number;
}

const RANK = { declared: 0, joined: 1, severity: 2, item: 3, itemDone: 4, resolved: 5 } as const;

/**
 * incident.io severities are named per organisation, ranked so that a higher rank is more severe.
 * A name with a number (SEV1, P2, "Sev 3") keeps it; critical -> SEV1, major -> SEV2, minor -> SEV3,
 * low / info -> SEV4; any other name -> SEV3.
 */
export function severityOfIncidentIo(severity: unknown): string {
  const name = isObject(severity) ? (text(severity.name) ?? '') : '';
  const numbered = /(?:sev|p)\s*-?\s*([1-5])\b/i.exec(name);
  if (numbered) return `SEV${numbered[1]}`;
  const lower = name.toLowerCase();
  if (lower.includes('critical')) return 'SEV1';
  if (lower.includes('major')) return 'SEV2';
  if (lower.includes('minor')) return 'SEV3';
  if (lower.includes('low') || lower.includes('info')) return 'SEV4';
  return 'SEV3';
}

/** incident.io role -> ResponderJoined role: the lead commands; communications / scribe by name; anyone else responds. */
export function roleOf(role: unknown): string {
  if (!isObject(role)) return 'responder';
  if (role.role_type === 'lead') return 'commander';
  const name = `${text(role.shortform) ?? ''} ${text(role.name) ?? ''}`.toLowerCase();
  if (name.includes('comms') || name.includes('communication')) return 'communications';
  if (name.includes('scribe')) return 'scribe';
  return 'responder';
}

const CANCELLED_CATEGORIES = new Set(['declined', 'canceled', 'merged']);
const RESOLVED_CATEGORIES = new Set(['learning', 'closed']);

function time(record: Json, key: string, path: string): string {
  const value = record[key];
  if (!isIsoDateTimeWithOffset(value)) {
    throw new PayloadError(`${path}.${key}`, 'isIso8601', `${path}.${key} must be an ISO-8601 time with Z or an offset, got ${JSON.stringify(value ?? null)}`);
  }
  return value;
}

function id(record: Json, key: string, path: string): string {
  const value = text(record[key]);
  if (!value) throw new PayloadError(`${path}.${key}`, 'isNotEmpty', `${path}.${key} is required: a non-empty string`);
  return value;
}

const eventId = (kind: string, recordId: string) => uuidV5(`incident-io\u0000${kind}\u0000${recordId}`);

/**
 * An incident (API v1/v2 or a webhook's incident): IncidentDeclared at created_at by the creator,
 * one ResponderJoined per role assignment, and IncidentResolved when its status is post-incident or
 * closed (at the "Resolved at" timestamp when it has one, else updated_at). Declined, cancelled and
 * merged incidents never happened: skipped.
 */
export function mapIncident(incident: Json, path: string): { events: Draft[]; skipped: SkippedRecord[] } {
  const recordId = id(incident, 'id', path);
  const incidentId = incidentIoId(recordId);
  // v2: incident_status.category; v1: status (triage, fixing, monitoring, closed, declined, ...).
  const status = isObject(incident.incident_status) ? text(incident.incident_status.category) : text(incident.status);
  if (status && CANCELLED_CATEGORIES.has(status)) return { events: [], skipped: [{ ref: `incident ${recordId}`, reason: `the incident is ${status}: nothing happened to record` }] };
  const title = text(incident.name);
  if (!title) throw new PayloadError(`${path}.name`, 'isNotEmpty', `${path}.name is required to declare the incident`);
  const declaredAt = time(incident, 'created_at', path);
  const creator = isObject(incident.creator) && isObject(incident.creator.user) ? text(incident.creator.user.id) : undefined;
  const meta = { source: INCIDENT_IO_SOURCE, correlationId: `incident.io:${recordId}` };
  const events: Draft[] = [
    {
      id: eventId('incident-declared', recordId),
      type: 'IncidentDeclared',
      rank: RANK.declared,
      data: {
        incidentId,
        title,
        severity: severityOfIncidentIo(incident.severity),
        ...(creator ? { declaredBy: incidentIoId(creator) } : {}),
        ...(text(incident.summary) ? { summary: text(incident.summary) } : {}),
        occurredAt: declaredAt,
      },
      metadata: meta,
    },
  ];
  const assignments = Array.isArray(incident.incident_role_assignments) ? incident.incident_role_assignments : [];
  assignments.forEach((assignment) => {
    const assignee = isObject(assignment) && isObject(assignment.assignee) ? text(assignment.assignee.id) : undefined;
    if (!assignee) return; // an unassigned role
    const personId = incidentIoId(assignee);
    events.push({
      id: eventId('role-assigned', `${recordId}\u0000${personId}`),
      type: 'ResponderJoined',
      rank: RANK.joined,
      data: { incidentId, personId, role: roleOf(isObject(assignment) ? assignment.role : undefined), occurredAt: declaredAt },
      metadata: meta,
    });
  });
  if (status && RESOLVED_CATEGORIES.has(status)) {
    const stamps = Array.isArray(incident.incident_timestamp_values) ? incident.incident_timestamp_values : [];
    const resolved = stamps.find((stamp) => isObject(stamp) && isObject(stamp.incident_timestamp) && /resolved/i.test(String(stamp.incident_timestamp.name)));
    const resolvedAt =
      isObject(resolved) && isObject(resolved.value) && isIsoDateTimeWithOffset(resolved.value.value) ? resolved.value.value : time(incident, 'updated_at', path);
    events.push({ id: eventId('incident-resolved', recordId), type: 'IncidentResolved', rank: RANK.resolved, data: { incidentId, occurredAt: resolvedAt }, metadata: meta });
  }
  return { events, skipped: [] };
}

/**
 * A follow-up (v2 follow_ups, or a v1 action with follow_up: true): ActionItemCreated at created_at
 * owned by the assignee; completed -> ActionItemCompleted at completed_at; deleted / not_doing ->
 * ActionItemCancelled (reason = the status) at updated_at.
 */
export function mapFollowUp(followUp: Json, path: string): { events: Draft[]; skipped: SkippedRecord[] } {
  const recordId = id(followUp, 'id', path);
  if (followUp.follow_up === false) return { events: [], skipped: [{ ref: `action ${recordId}`, reason: 'an action taken during the incident, not a follow-up' }] };
  const incidentId = incidentIoId(id(followUp, 'incident_id', path));
  const title = text(followUp.title) ?? text(followUp.description);
  if (!title) throw new PayloadError(`${path}.title`, 'isNotEmpty', `${path}.title (or description) is required for a follow-up`);
  const actionItemId = incidentIoId(recordId);
  const owner = isObject(followUp.assignee) ? text(followUp.assignee.id) : undefined;
  const meta = { source: INCIDENT_IO_SOURCE, correlationId: `incident.io:${recordId}` };
  const events: Draft[] = [
    {
      id: eventId('follow-up-created', recordId),
      type: 'ActionItemCreated',
      rank: RANK.item,
      data: { incidentId, actionItemId, title: title.slice(0, 500), ...(owner ? { ownerPersonId: incidentIoId(owner) } : {}), occurredAt: time(followUp, 'created_at', path) },
      metadata: meta,
    },
  ];
  const status = text(followUp.status);
  if (status === 'completed') {
    const at = isIsoDateTimeWithOffset(followUp.completed_at) ? followUp.completed_at : time(followUp, 'updated_at', path);
    events.push({ id: eventId('follow-up-completed', recordId), type: 'ActionItemCompleted', rank: RANK.itemDone, data: { incidentId, actionItemId, occurredAt: at }, metadata: meta });
  } else if (status === 'deleted' || status === 'not_doing') {
    events.push({
      id: eventId('follow-up-cancelled', recordId),
      type: 'ActionItemCancelled',
      rank: RANK.itemDone,
      data: { incidentId, actionItemId, reason: status === 'deleted' ? 'deleted in incident.io' : 'not doing', occurredAt: time(followUp, 'updated_at', path) },
      metadata: meta,
    });
  } else if (status !== undefined && status !== 'outstanding') {
    throw new PayloadError(`${path}.status`, 'isIn', `${path}.status must be one of outstanding, completed, deleted, not_doing, got ${JSON.stringify(status)}`);
  }
  return { events, skipped: [] };
}

/** A membership (who was let into a private incident): ResponderJoined as a responder at created_at. */
export function mapMembership(membership: Json, path: string): { events: Draft[]; skipped: SkippedRecord[] } {
  const incident = id(membership, 'incident_id', path);
  const user = isObject(membership.user) ? text(membership.user.id) : text(membership.user_id);
  if (!user) throw new PayloadError(`${path}.user.id`, 'isNotEmpty', `${path}.user.id is required for a membership`);
  const personId = incidentIoId(user);
  const at = time(membership, 'created_at', path);
  return {
    events: [
      {
        id: eventId('membership', `${incident}\u0000${user}`),
        type: 'ResponderJoined',
        rank: RANK.joined,
        data: { incidentId: incidentIoId(incident), personId, role: 'responder', occurredAt: at },
        metadata: { source: INCIDENT_IO_SOURCE, correlationId: `incident.io:${text(membership.id) ?? incident}` },
      },
    ],
    skipped: [],
  };
}

/** Orders the events of many records: by occurredAt, then declared < joined < ... < resolved; the sort is stable. */
export function orderEvents(drafts: readonly Draft[]): MappedEvent[] {
  return [...drafts]
    .sort((a, b) => Date.parse(a.data.occurredAt as string) - Date.parse(b.data.occurredAt as string) || a.rank - b.rank)
    .map(({ rank: _rank, ...event }) => event);
}

/** The incident.io webhook event types with a mapping; any other is skipped. */
export const INCIDENT_IO_EVENT_TYPES = [
  'public_incident.incident_created_v2',
  'public_incident.incident_updated_v2',
  'public_incident.incident_status_updated_v2',
  'public_incident.follow_up_created_v1',
  'public_incident.follow_up_updated_v1',
] as const;

/**
 * One incident.io webhook ({event_type, [event_type]: payload}). Incidents and follow-ups map as in
 * a file; an update maps the whole record again and only what is new appends (deterministic ids).
 * Private incidents' webhooks carry ids only: skipped.
 */
export function mapIncidentIoWebhook(body: unknown, webhookId: string): MappedDelivery {
  if (!isObject(body)) throw new PayloadError('$', 'isObject', 'the body must be a JSON object with event_type');
  const eventType = text(body.event_type);
  if (!eventType) throw new PayloadError('event_type', 'isNotEmpty', 'event_type is required, e.g. public_incident.incident_created_v2');
  const deliveryId = `incident.io:${webhookId}`;
  if (!(INCIDENT_IO_EVENT_TYPES as readonly string[]).includes(eventType)) {
    const reason = eventType.startsWith('private_incident.')
      ? `${eventType}: a private incident's webhook carries only ids; nothing to record`
      : `event type ${eventType} is not mapped to an incident event`;
    return { deliveryId, eventType, events: [], skipped: [{ eventType, reason }] };
  }
  const payload = body[eventType];
  if (!isObject(payload)) throw new PayloadError(eventType, 'isObject', `${eventType} must be an object: the payload of the event`);
  let mapped: { events: Draft[]; skipped: SkippedRecord[] };
  if (eventType.includes('follow_up')) mapped = mapFollowUp(payload, eventType);
  else if (eventType === 'public_incident.incident_status_updated_v2') {
    if (!isObject(payload.incident)) throw new PayloadError(`${eventType}.incident`, 'isObject', `${eventType}.incident is required`);
    mapped = mapIncident(payload.incident, `${eventType}.incident`);
  } else mapped = mapIncident(payload, eventType);
  const events = orderEvents(mapped.events).map((event) => ({ ...event, metadata: { ...event.metadata, correlationId: deliveryId } }));
  return { deliveryId, eventType, events, skipped: mapped.skipped.map((skip) => ({ eventType, ...skip })) };
}

/** Keys under which incident.io API responses (and webhooks) hold the records this importer reads. */
const RECORD_KEYS: Record<string, 'incident' | 'followUp' | 'membership'> = {
  incidents: 'incident',
  incident: 'incident',
  follow_ups: 'followUp',
  follow_up: 'followUp',
  incident_memberships: 'membership',
  incident_membership: 'membership',
  'public_incident.incident_created_v2': 'incident',
  'public_incident.incident_updated_v2': 'incident',
  'public_incident.follow_up_created_v1': 'followUp',
  'public_incident.follow_up_updated_v1': 'followUp',
};

export interface IncidentIoRecord {
  kind: 'incident' | 'followUp' | 'membership';
  /** JSON path of the record in the file, for problems. */
  path: string;
  record: Json;
}

/**
 * Finds the records of an incident.io export anywhere in a JSON document: API responses
 * ({incidents: [...]}, {follow_ups: [...]}, {incident_membership: {...}}), webhook bodies, or any
 * object holding them (the derived examples file keys responses by endpoint). A record whose id was
 * already seen is skipped (the same incident in a list and in a get).
 */
export function collectIncidentIoRecords(document: unknown): { records: IncidentIoRecord[]; skipped: SkippedRecord[] } {
  const records: IncidentIoRecord[] = [];
  const skipped: SkippedRecord[] = [];
  const seen = new Set<string>();
  const take = (kind: IncidentIoRecord['kind'], record: unknown, path: string) => {
    if (!isObject(record)) throw new PayloadError(path, 'isObject', `${path} must be an object`);
    const key = `${kind}\u0000${text(record.id) ?? `${String(record.incident_id)}\u0000${isObject(record.user) ? String(record.user.id) : ''}`}`;
    if (seen.has(key)) {
      skipped.push({ ref: path, reason: `${kind} ${String(record.id)} appears again; the first one is imported` });
      return;
    }
    seen.add(key);
    records.push({ kind, path, record });
  };
  const visit = (node: unknown, path: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, `${path}[${index}]`));
      return;
    }
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const childPath = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      const kind = RECORD_KEYS[key];
      if (kind && Array.isArray(value)) value.forEach((item, index) => take(kind, item, `${childPath}[${index}]`));
      else if (kind && isObject(value)) take(kind, value, childPath);
      else visit(value, childPath);
    }
  };
  visit(document, '$');
  return { records, skipped };
}

/** Maps collected records to ordered import lines (declarations before what happens in them). */
export function mapIncidentIoRecords(records: readonly IncidentIoRecord[]): {
  events: MappedEvent[];
  /** The path of the record each event comes from, by event id. */
  refs: Record<string, string>;
  skipped: SkippedRecord[];
  invalid: PayloadError[];
} {
  const drafts: Draft[] = [];
  const refs: Record<string, string> = {};
  const skipped: SkippedRecord[] = [];
  const invalid: PayloadError[] = [];
  for (const { kind, path, record } of records) {
    try {
      const mapped = kind === 'incident' ? mapIncident(record, path) : kind === 'followUp' ? mapFollowUp(record, path) : mapMembership(record, path);
      for (const event of mapped.events) refs[event.id] = path;
      drafts.push(...mapped.events);
      skipped.push(...mapped.skipped);
    } catch (error) {
      // One unreadable record is reported; the others are still imported.
      if (!(error instanceof PayloadError)) throw error;
      invalid.push(error);
    }
  }
  return { events: orderEvents(drafts), refs, skipped, invalid };
}
