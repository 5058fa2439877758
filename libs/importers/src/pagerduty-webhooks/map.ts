import { isIsoDateTimeWithOffset } from '@app/domain';
import { uuidV5 } from '@app/event-store/uuid';
import { PayloadError, type MappedDelivery, type MappedEvent, type SkippedRecord } from './delivery';

/** metadata.source of every event this mapper produces. */
export const PAGERDUTY_SOURCE = 'import:pagerduty';

/** Entity ids of PagerDuty objects: `pagerduty:` + the PagerDuty id (incidents, users, services). */
export const pagerDutyId = (id: string): string => `pagerduty:${id}`;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** PagerDuty priority names P1..P5 map to SEV1..SEV5; without a priority, urgency high -> SEV2, low -> SEV4. */
export function severityOf(incident: Json): string {
  const priority = isObject(incident.priority) ? text(incident.priority.summary) ?? text(incident.priority.name) : undefined;
  const level = priority ? /^P([1-5])$/i.exec(priority.trim()) : null;
  if (level) return `SEV${level[1]}`;
  return incident.urgency === 'low' ? 'SEV4' : 'SEV2';
}

/** The event types this mapper turns into incident events; any other is reported as skipped. */
export const PAGERDUTY_EVENT_TYPES = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.delegated',
  'incident.responder.added',
  'incident.responder.replied',
  'incident.priority_updated',
  'incident.annotated',
  'incident.reopened',
  'incident.resolved',
  'incident.status_update_published',
  'incident.service_updated',
] as const;

/**
 * Maps one PagerDuty v3 webhook body ({event: {id, event_type, occurred_at, agent, data}}) to
 * import lines, pure. Ids are UUIDv5 of the PagerDuty event id and the role of the line, so a
 * re-delivery maps to the same ids and appends nothing. A payload that carries the whole incident
 * (data.type = incident) with created_at (or an incident.triggered) also carries the incident's
 * IncidentDeclared, whose id depends on the incident only: the first webhook received declares it,
 * later ones are duplicates of it.
 */
export function mapPagerDutyWebhook(body: unknown): MappedDelivery {
  if (!isObject(body)) throw new PayloadError('$', 'isObject', 'the body must be a JSON object with an event');
  const event = body.event;
  if (!isObject(event)) throw new PayloadError('event', 'isObject', 'event is required: a PagerDuty v3 webhook has {"event": {...}}');
  const eventId = requireText(event, 'id', 'event');
  const eventType = requireText(event, 'event_type', 'event');
  const occurredAt = requireTime(event, 'occurred_at', 'event');
  const deliveryId = `pagerduty:${eventId}`;
  if (!(PAGERDUTY_EVENT_TYPES as readonly string[]).includes(eventType)) {
    return { deliveryId, eventType, events: [], skipped: [{ eventType, reason: `event type ${eventType} is not mapped to an incident event` }] };
  }
  const data = event.data;
  if (!isObject(data)) throw new PayloadError('event.data', 'isObject', `event.data must be an object for ${eventType}`);
  const agent = isObject(event.agent) && event.agent.type === 'user_reference' && text(event.agent.id) ? pagerDutyId(event.agent.id as string) : undefined;

  // Full incident payloads have data.type = incident; notes, responders and status updates reference it in data.incident.
  const full = data.type === 'incident';
  const incidentRef = full ? data : data.incident;
  if (!isObject(incidentRef)) throw new PayloadError('event.data.incident', 'isObject', `event.data.incident must name the incident of ${eventType}`);
  const pdIncidentId = requireText(incidentRef, 'id', full ? 'event.data' : 'event.data.incident');
  const incidentId = pagerDutyId(pdIncidentId);

  const events: MappedEvent[] = [];
  const skipped: SkippedRecord[] = [];
  const meta = { source: PAGERDUTY_SOURCE, correlationId: deliveryId, ...(agent ? { actor: agent } : {}) };
  const line = (role: string, type: string, payload: Json): void => {
    events.push({ id: uuidV5(`pagerduty-webhook\u0000${eventId}\u0000${role}`), type, data: { incidentId, ...payload, occurredAt }, metadata: meta });
  };

  if (full) {
    const declaredAt = data.created_at === undefined || data.created_at === null ? (eventType === 'incident.triggered' ? occurredAt : undefined) : requireTime(data, 'created_at', 'event.data');
    if (declaredAt) {
      const title = text(data.title) ?? text(data.summary);
      if (!title) throw new PayloadError('event.data.title', 'isNotEmpty', 'event.data.title is required to declare the incident');
      const service = isObject(data.service) ? text(data.service.id) : undefined;
      events.push({
        id: uuidV5(`pagerduty-incident\u0000${pdIncidentId}\u0000declared`),
        type: 'IncidentDeclared',
        data: {
          incidentId,
          title,
          severity: severityOf(data),
          ...(eventType === 'incident.triggered' && agent ? { declaredBy: agent } : {}),
          ...(service ? { impactedServiceIds: [pagerDutyId(service)] } : {}),
          occurredAt: declaredAt,
        },
        metadata: { ...meta, correlationId: `pagerduty:${pdIncidentId}` },
      });
    }
  }

  const assignees = (): string[] => {
    if (!Array.isArray(data.assignees)) return [];
    return data.assignees.flatMap((assignee, index) => {
      if (!isObject(assignee) || !text(assignee.id)) throw new PayloadError(`event.data.assignees[${index}].id`, 'isNotEmpty', 'every assignee needs an id');
      return [pagerDutyId(assignee.id as string)];
    });
  };

  switch (eventType) {
    case 'incident.triggered':
    case 'incident.reassigned':
    case 'incident.delegated':
      for (const personId of assignees()) line(`paged:${personId}`, 'ResponderPaged', { personId });
      if (eventType !== 'incident.triggered' && assignees().length === 0) skipped.push({ eventType, reason: `${eventType} has no assignees to page` });
      break;
    case 'incident.escalated':
      for (const personId of assignees()) {
        line(`paged:${personId}`, 'ResponderPaged', { personId, ...(agent && agent !== personId ? { escalatedFromPersonId: agent } : {}) });
      }
      if (assignees().length === 0) skipped.push({ eventType, reason: 'incident.escalated has no assignees to page' });
      break;
    case 'incident.acknowledged': {
      const people = agent ? [agent] : assignees();
      for (const personId of people) {
        line(`acknowledged:${personId}`, 'ResponderAcknowledged', { personId });
        line(`joined:${personId}`, 'ResponderJoined', { personId, role: 'responder' });
      }
      if (people.length === 0) skipped.push({ eventType, reason: 'incident.acknowledged names no user (no user agent, no assignees)' });
      break;
    }
    case 'incident.responder.added':
    case 'incident.responder.replied': {
      const user = isObject(data.user) ? text(data.user.id) : undefined;
      if (!user) {
        skipped.push({ eventType, reason: `${eventType} names no user (a responder request to an escalation policy); nothing to record` });
        break;
      }
      const personId = pagerDutyId(user);
      if (eventType === 'incident.responder.added') line(`paged:${personId}`, 'ResponderPaged', { personId, ...(agent && agent !== personId ? { escalatedFromPersonId: agent } : {}) });
      else if (data.state === 'accepted') line(`joined:${personId}`, 'ResponderJoined', { personId, role: 'responder' });
      else skipped.push({ eventType, reason: `the responder request was ${String(data.state)}, not accepted: nobody joined` });
      break;
    }
    case 'incident.priority_updated':
      if (!isObject(data.priority)) skipped.push({ eventType, reason: 'the priority was removed: the severity is left as it was' });
      else line('severity', 'IncidentSeverityChanged', { severity: severityOf(data), ...(agent ? { changedBy: agent } : {}) });
      break;
    case 'incident.annotated':
    case 'incident.status_update_published': {
      const noteText = text(eventType === 'incident.annotated' ? data.content : data.message);
      const field = eventType === 'incident.annotated' ? 'content' : 'message';
      if (!noteText) throw new PayloadError(`event.data.${field}`, 'isNotEmpty', `event.data.${field} is required for ${eventType}`);
      const noteId = pagerDutyId(text(data.id) ?? eventId);
      line('note', 'TimelineNoteAdded', {
        noteId,
        text: eventType === 'incident.status_update_published' ? `Status update: ${noteText}` : noteText,
        ...(agent ? { authorId: agent } : {}),
      });
      break;
    }
    case 'incident.reopened':
      line('reopened', 'IncidentReopened', {});
      break;
    case 'incident.resolved':
      line('resolved', 'IncidentResolved', agent ? { resolvedBy: agent } : {});
      break;
    case 'incident.service_updated': {
      const service = isObject(data.service) ? text(data.service.id) : undefined;
      if (!service) throw new PayloadError('event.data.service.id', 'isNotEmpty', 'event.data.service.id is required for incident.service_updated');
      line(`service:${service}`, 'ServiceImpacted', { serviceId: pagerDutyId(service) });
      break;
    }
  }
  return { deliveryId, eventType, events, skipped };
}

function requireText(object: Json, key: string, path: string): string {
  const value = text(object[key]);
  if (!value) throw new PayloadError(`${path}.${key}`, 'isNotEmpty', `${path}.${key} is required: a non-empty string`);
  return value;
}

function requireTime(object: Json, key: string, path: string): string {
  const value = requireText(object, key, path);
  if (!isIsoDateTimeWithOffset(value)) {
    throw new PayloadError(`${path}.${key}`, 'isIso8601', `${path}.${key} must be an ISO-8601 time with Z or an offset, got ${JSON.stringify(value)}`);
  }
  return value;
}
