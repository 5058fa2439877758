import { PayloadError } from './delivery';
import { mapPagerDutyWebhook, severityOf } from './map';
import { signPagerDuty, verifyPagerDutySignature } from './signature';

const user = (id: string) => ({ id, type: 'user_reference', summary: id });
const incident = (extra: Record<string, unknown> = {}) => ({
  id: 'PINC1',
  type: 'incident',
  title: 'Checkout latency',
  created_at: '2026-04-01T02:07:30Z',
  service: { id: 'PSVC1', type: 'service_reference' },
  assignees: [user('PUSER1')],
  priority: { id: 'X', type: 'priority_reference', summary: 'P1' },
  urgency: 'high',
  ...extra,
});
const webhook = (eventType: string, data: unknown, extra: Record<string, unknown> = {}) => ({
  event: { id: `EV-${eventType}`, event_type: eventType, resource_type: 'incident', occurred_at: '2026-04-01T02:08:04.642Z', agent: user('PAGENT'), data, ...extra },
});

describe('mapPagerDutyWebhook', () => {
  it('maps incident.triggered to IncidentDeclared (declaredBy the agent, the service impacted) and a page per assignee', () => {
    const mapped = mapPagerDutyWebhook(webhook('incident.triggered', incident()));
    expect(mapped.events.map((e) => [e.type, e.data])).toEqual([
      [
        'IncidentDeclared',
        {
          incidentId: 'pagerduty:PINC1',
          title: 'Checkout latency',
          severity: 'SEV1',
          declaredBy: 'pagerduty:PAGENT',
          impactedServiceIds: ['pagerduty:PSVC1'],
          occurredAt: '2026-04-01T02:07:30Z',
        },
      ],
      ['ResponderPaged', { incidentId: 'pagerduty:PINC1', personId: 'pagerduty:PUSER1', occurredAt: '2026-04-01T02:08:04.642Z' }],
    ]);
    expect(mapped.events.every((e) => e.metadata.source === 'import:pagerduty')).toBe(true);
    expect(mapped.skipped).toEqual([]);
  });

  it('gives the same ids to the same delivery, and the same declaration id to every webhook of one incident', () => {
    const first = mapPagerDutyWebhook(webhook('incident.escalated', incident()));
    const again = mapPagerDutyWebhook(webhook('incident.escalated', incident()));
    const other = mapPagerDutyWebhook(webhook('incident.delegated', incident()));
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(other.events[0].id).toBe(first.events[0].id);
    expect(other.events[1].id).not.toBe(first.events[1].id);
  });

  it('declares from created_at only; an old-style payload without it (not triggered) carries no declaration', () => {
    const { created_at: _created, ...old } = incident();
    const mapped = mapPagerDutyWebhook(webhook('incident.acknowledged', old));
    expect(mapped.events.map((e) => e.type)).toEqual(['ResponderAcknowledged', 'ResponderJoined']);
    expect(mapped.events[1].data).toMatchObject({ personId: 'pagerduty:PAGENT', role: 'responder' });
  });

  it('maps escalation with the escalating agent, priority to severity, notes, status updates, responders and resolution', () => {
    const ref = { id: 'PINC1', type: 'incident_reference' };
    const one = (eventType: string, data: unknown) => mapPagerDutyWebhook(webhook(eventType, data)).events.filter((e) => e.type !== 'IncidentDeclared');
    expect(one('incident.escalated', incident())[0].data).toMatchObject({ personId: 'pagerduty:PUSER1', escalatedFromPersonId: 'pagerduty:PAGENT' });
    expect(one('incident.priority_updated', incident({ priority: { summary: 'P3' } }))[0]).toMatchObject({
      type: 'IncidentSeverityChanged',
      data: { severity: 'SEV3', changedBy: 'pagerduty:PAGENT' },
    });
    expect(one('incident.annotated', { incident: ref, id: 'PNOTE', content: 'killing queries', type: 'incident_note' })[0]).toMatchObject({
      type: 'TimelineNoteAdded',
      data: { noteId: 'pagerduty:PNOTE', text: 'killing queries', authorId: 'pagerduty:PAGENT' },
    });
    expect(one('incident.status_update_published', { incident: ref, id: 'PSU', message: 'investigating', type: 'incident_status_update' })[0].data.text).toBe(
      'Status update: investigating',
    );
    expect(one('incident.responder.added', { incident: ref, user: user('PUSER2'), state: 'pending', type: 'incident_responder' })[0]).toMatchObject({
      type: 'ResponderPaged',
      data: { personId: 'pagerduty:PUSER2' },
    });
    expect(one('incident.responder.replied', { incident: ref, user: user('PUSER2'), state: 'accepted', type: 'incident_responder' })[0]).toMatchObject({
      type: 'ResponderJoined',
      data: { personId: 'pagerduty:PUSER2', role: 'responder' },
    });
    expect(one('incident.resolved', incident())[0]).toMatchObject({ type: 'IncidentResolved', data: { resolvedBy: 'pagerduty:PAGENT' } });
    expect(one('incident.reopened', incident())[0].type).toBe('IncidentReopened');
    expect(one('incident.service_updated', incident())[0]).toMatchObject({ type: 'ServiceImpacted', data: { serviceId: 'pagerduty:PSVC1' } });
  });

  it('reports unmapped types and declined responder requests as skipped, with the reason', () => {
    const unmapped = mapPagerDutyWebhook(webhook('incident.conference_bridge.updated', { type: 'incident_conference_bridge' }));
    expect(unmapped.events).toEqual([]);
    expect(unmapped.skipped[0].reason).toContain('incident.conference_bridge.updated is not mapped');
    const declined = mapPagerDutyWebhook(webhook('incident.responder.replied', { incident: { id: 'PINC1' }, user: user('U'), state: 'declined' }));
    expect(declined.events).toEqual([]);
    expect(declined.skipped[0].reason).toContain('declined');
  });

  it.each([
    [{}, 'event'],
    [{ event: { event_type: 'incident.triggered', occurred_at: '2026-04-01T02:08:04Z' } }, 'event.id'],
    [{ event: { id: 'E', event_type: 'incident.triggered', occurred_at: 'yesterday' } }, 'event.occurred_at'],
    [{ event: { id: 'E', event_type: 'incident.annotated', occurred_at: '2026-04-01T02:08:04Z', data: { type: 'incident_note', content: 'x' } } }, 'event.data.incident'],
    [{ event: { id: 'E', event_type: 'incident.escalated', occurred_at: '2026-04-01T02:08:04Z', data: incident({ created_at: '2026-04-01 02:07' }) } }, 'event.data.created_at'],
    [{ event: { id: 'E', event_type: 'incident.triggered', occurred_at: '2026-04-01T02:08:04Z', data: incident({ title: '' }) } }, 'event.data.title'],
    [{ event: { id: 'E', event_type: 'incident.annotated', occurred_at: '2026-04-01T02:08:04Z', data: { incident: { id: 'P' }, content: '' } } }, 'event.data.content'],
  ])('refuses a malformed payload naming the field (%#)', (body, field) => {
    let error: unknown;
    try {
      mapPagerDutyWebhook(body);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).field).toBe(field);
  });

  it('maps priorities P1..P5 to SEV1..SEV5 and falls back on urgency', () => {
    expect(['P1', 'P2', 'P3', 'P4', 'P5'].map((summary) => severityOf({ priority: { summary } }))).toEqual(['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5']);
    expect(severityOf({ priority: null, urgency: 'high' })).toBe('SEV2');
    expect(severityOf({ priority: null, urgency: 'low' })).toBe('SEV4');
  });
});

describe('verifyPagerDutySignature', () => {
  const body = Buffer.from('{"event":{}}');
  it('accepts any matching v1 signature among several, refuses a wrong or missing one', () => {
    const good = signPagerDuty(body, 'secret');
    expect(good).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifyPagerDutySignature(body, `v1=${'0'.repeat(64)}, ${good}`, 'secret')).toEqual({ ok: true });
    expect(verifyPagerDutySignature(body, signPagerDuty(body, 'other'), 'secret')).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(verifyPagerDutySignature(Buffer.from('{"event":{} }'), good, 'secret')).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(verifyPagerDutySignature(body, undefined, 'secret')).toMatchObject({ ok: false, code: 'SIGNATURE_MISSING' });
  });
});
