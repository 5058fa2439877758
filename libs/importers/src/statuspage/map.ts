import { isEntityId, isIsoDateTimeWithOffset, instant } from '@app/domain';

export const STATUSPAGE_SOURCE = 'import:statuspage';
/** Prefix of every incident id: `statuspage:<id>`. */
export const STATUSPAGE_ID_PREFIX = 'statuspage';

export interface StatuspageEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: { source: string };
}

export interface StatuspageMapped {
  events: StatuspageEvent[];
  /** Why the record (or a part of it) became no event. */
  skipped: string[];
}

/** Statuspage impact -> severity. `maintenance` is a planned window: the least severe. */
export const IMPACT_SEVERITY: Record<string, string> = { critical: 'SEV1', major: 'SEV2', minor: 'SEV3', none: 'SEV4', maintenance: 'SEV5' };
const RESOLVED = new Set(['resolved', 'completed', 'postmortem']);
const ACTIVE = new Set(['investigating', 'identified', 'in progress', 'verifying']);
const TEXT_LIMIT = 10_000;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const clip = (value: string, limit: number) => (value.length <= limit ? value : `${value.slice(0, limit - 1)}…`);

/** A component name as a service id: lower case, runs of other characters become `-` (`Pull Requests` -> `pull-requests`). */
export function componentServiceId(name: string): string | null {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9._@-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '');
  return isEntityId(id) ? id : null;
}

/**
 * One Statuspage-style incident (a line of an export such as github-statuses' incidents.jsonl: id, title,
 * impact, started_at, resolved_at, components, updates[{at, status, message}]) -> the events of its
 * incident stream, in time order. Pure. Each update becomes a timeline note; the first `Monitoring`
 * mitigates, `Resolved`/`Completed` resolves, an active status after a resolution reopens.
 */
export function mapStatuspageIncident(record: unknown): StatuspageMapped {
  const skipped: string[] = [];
  if (!isObject(record)) return { events: [], skipped: ['not a JSON object'] };
  const rawId = typeof record.id === 'string' || typeof record.id === 'number' ? String(record.id) : '';
  const incidentId = `${STATUSPAGE_ID_PREFIX}:${rawId}`;
  if (rawId === '' || !isEntityId(incidentId)) return { events: [], skipped: [`id: ${JSON.stringify(record.id)} is not a usable incident id`] };
  const title = typeof record.title === 'string' && record.title.trim() !== '' ? clip(record.title.trim(), 500) : null;
  if (!title) return { events: [], skipped: [`${incidentId}: title is missing`] };
  const impact = typeof record.impact === 'string' ? record.impact.toLowerCase() : 'none';
  const severity = IMPACT_SEVERITY[impact] ?? 'SEV4';
  if (!IMPACT_SEVERITY[impact]) skipped.push(`${incidentId}: impact ${JSON.stringify(record.impact)} is unknown; SEV4 is used`);

  const updates = (Array.isArray(record.updates) ? record.updates : [])
    .filter((update): update is Json => isObject(update) && isIsoDateTimeWithOffset(update.at))
    .map((update, index) => ({ at: update.at as string, status: String(update.status ?? 'Update'), message: String(update.message ?? ''), index }))
    .sort((a, b) => instant(a.at) - instant(b.at) || a.index - b.index);
  const starts = [record.started_at, updates[0]?.at].filter(isIsoDateTimeWithOffset);
  if (starts.length === 0) return { events: [], skipped: [`${incidentId}: neither started_at nor an update gives a start time`] };
  const declaredAt = starts.reduce((a, b) => (instant(b) < instant(a) ? b : a));

  const services: string[] = [];
  for (const name of Array.isArray(record.components) ? record.components : []) {
    const id = typeof name === 'string' ? componentServiceId(name) : null;
    if (!id) skipped.push(`${incidentId}: component ${JSON.stringify(name)} gives no service id`);
    else if (!services.includes(id)) services.push(id);
  }

  const events: StatuspageEvent[] = [];
  const emit = (type: string, occurredAt: string, data: Json) =>
    events.push({ type, data: { incidentId, ...data, occurredAt }, metadata: { source: STATUSPAGE_SOURCE } });
  const first = updates[0];
  emit('IncidentDeclared', declaredAt, {
    title,
    severity,
    ...(first && first.message.trim() !== '' ? { summary: clip(first.message.trim(), TEXT_LIMIT) } : {}),
    ...(services.length > 0 ? { impactedServiceIds: services } : {}),
  });
  let status: 'open' | 'mitigated' | 'resolved' = 'open';
  for (const update of updates) {
    const kind = update.status.trim().toLowerCase();
    const text = clip(`${update.status}: ${update.message}`.trim(), TEXT_LIMIT);
    emit('TimelineNoteAdded', update.at, { noteId: `update-${update.index + 1}`, text });
    if (RESOLVED.has(kind)) {
      if (status !== 'resolved') emit('IncidentResolved', update.at, {});
      status = 'resolved';
    } else if (kind === 'monitoring') {
      if (status === 'resolved') emit('IncidentReopened', update.at, { reason: 'monitoring again after the resolution' });
      if (status !== 'mitigated') emit('IncidentMitigated', update.at, {});
      status = 'mitigated';
    } else if (ACTIVE.has(kind) && status === 'resolved') {
      emit('IncidentReopened', update.at, { reason: `${update.status} after the resolution` });
      status = 'open';
    }
  }
  if (status !== 'resolved' && isIsoDateTimeWithOffset(record.resolved_at) && instant(record.resolved_at) >= instant(events.at(-1)!.data.occurredAt as string)) {
    emit('IncidentResolved', record.resolved_at, {});
  }
  return { events, skipped };
}
