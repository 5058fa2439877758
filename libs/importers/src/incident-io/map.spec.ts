import { PayloadError } from '../pagerduty-webhooks/delivery';
import { collectIncidentIoRecords, mapIncidentIoRecords, mapIncidentIoWebhook, roleOf, severityOfIncidentIo } from './map';
import { signIncidentIo, verifyIncidentIoSignature } from './signature';

const lisa = { id: 'U1', name: 'Lisa', email: 'lisa@example.com' };
const incident = (extra: Record<string, unknown> = {}) => ({
  id: 'INC1',
  name: 'Our database is sad',
  summary: 'Really sad',
  created_at: '2021-08-17T13:28:57.801578Z',
  updated_at: '2021-08-17T15:00:00Z',
  creator: { user: lisa },
  severity: { name: 'Minor', rank: 1 },
  incident_status: { category: 'live', name: 'Investigating' },
  incident_role_assignments: [
    { assignee: lisa, role: { role_type: 'lead', name: 'Incident Lead', shortform: 'lead' } },
    { role: { role_type: 'custom', name: 'Scribe', shortform: 'scribe' } },
  ],
  ...extra,
});
const followUp = (extra: Record<string, unknown> = {}) => ({
  id: 'FU1',
  incident_id: 'INC1',
  title: 'Add an index',
  assignee: lisa,
  status: 'outstanding',
  created_at: '2021-08-18T09:00:00Z',
  updated_at: '2021-08-19T09:00:00Z',
  ...extra,
});

describe('incident.io records', () => {
  it('finds records anywhere in a document: list and get responses, once each', () => {
    const document = {
      'GET /v2/incidents 200': { example: { incidents: [incident()] } },
      'GET /v2/incidents/{id} 200': { example: { incident: incident() } },
      'GET /v2/follow_ups 200': { example: { follow_ups: [followUp()] } },
      'POST /v1/incident_memberships 201': { example: { incident_membership: { id: 'M1', incident_id: 'INC1', user: { id: 'U2' }, created_at: '2021-08-17T14:00:00Z' } } },
    };
    const { records, skipped } = collectIncidentIoRecords(document);
    expect(records.map((record) => [record.kind, record.path])).toEqual([
      ['incident', '$["GET /v2/incidents 200"].example.incidents[0]'],
      ['followUp', '$["GET /v2/follow_ups 200"].example.follow_ups[0]'],
      ['membership', '$["POST /v1/incident_memberships 201"].example.incident_membership'],
    ]);
    expect(skipped).toEqual([{ ref: '$["GET /v2/incidents/{id} 200"].example.incident', reason: 'incident INC1 appears again; the first one is imported' }]);
  });

  it('maps an incident, its lead, a membership and a follow-up in time order', () => {
    const { records } = collectIncidentIoRecords({
      incidents: [incident()],
      follow_ups: [followUp({ status: 'completed', completed_at: '2021-08-20T10:00:00Z' })],
      incident_membership: { incident_id: 'INC1', user: { id: 'U2' }, created_at: '2021-08-17T14:00:00Z' },
    });
    const { events, invalid } = mapIncidentIoRecords(records);
    expect(invalid).toEqual([]);
    expect(events.map((event) => [event.type, event.data])).toEqual([
      [
        'IncidentDeclared',
        {
          incidentId: 'incident.io:INC1',
          title: 'Our database is sad',
          severity: 'SEV3',
          declaredBy: 'incident.io:U1',
          summary: 'Really sad',
          occurredAt: '2021-08-17T13:28:57.801578Z',
        },
      ],
      ['ResponderJoined', { incidentId: 'incident.io:INC1', personId: 'incident.io:U1', role: 'commander', occurredAt: '2021-08-17T13:28:57.801578Z' }],
      ['ResponderJoined', { incidentId: 'incident.io:INC1', personId: 'incident.io:U2', role: 'responder', occurredAt: '2021-08-17T14:00:00Z' }],
      [
        'ActionItemCreated',
        { incidentId: 'incident.io:INC1', actionItemId: 'incident.io:FU1', title: 'Add an index', ownerPersonId: 'incident.io:U1', occurredAt: '2021-08-18T09:00:00Z' },
      ],
      ['ActionItemCompleted', { incidentId: 'incident.io:INC1', actionItemId: 'incident.io:FU1', occurredAt: '2021-08-20T10:00:00Z' }],
    ]);
    expect(new Set(events.map((event) => event.metadata.source))).toEqual(new Set(['import:incident-io']));
  });

  it('resolves a closed incident at its "Resolved at" timestamp, cancels a dropped follow-up, skips a declined incident', () => {
    const closed = incident({
      incident_status: { category: 'closed' },
      incident_timestamp_values: [{ incident_timestamp: { name: 'Resolved at' }, value: { value: '2021-08-17T14:30:00Z' } }],
    });
    const { events, skipped } = mapIncidentIoRecords(
      collectIncidentIoRecords({ incidents: [closed, incident({ id: 'INC2', incident_status: { category: 'declined' } })], follow_ups: [followUp({ status: 'not_doing' })] })
        .records,
    );
    expect(events.find((event) => event.type === 'IncidentResolved')?.data.occurredAt).toBe('2021-08-17T14:30:00Z');
    expect(events.find((event) => event.type === 'ActionItemCancelled')?.data).toMatchObject({ reason: 'not doing', occurredAt: '2021-08-19T09:00:00Z' });
    expect(skipped).toEqual([{ ref: 'incident INC2', reason: 'the incident is declined: nothing happened to record' }]);
  });

  it('gives the same ids every time (a file imported again, a webhook of the same record)', () => {
    const once = mapIncidentIoRecords(collectIncidentIoRecords({ incidents: [incident()] }).records).events.map((event) => event.id);
    const webhook = mapIncidentIoWebhook({ event_type: 'public_incident.incident_updated_v2', 'public_incident.incident_updated_v2': incident() }, 'msg_1');
    expect(webhook.events.map((event) => event.id)).toEqual(once);
  });

  it('reports an unreadable record naming the field, and keeps the others', () => {
    const { events, invalid } = mapIncidentIoRecords(collectIncidentIoRecords({ incidents: [incident({ created_at: 'soon' }), incident({ id: 'INC3' })] }).records);
    expect(invalid.map((error) => [error.field, error.rule])).toEqual([['$.incidents[0].created_at', 'isIso8601']]);
    expect(events[0].data.incidentId).toBe('incident.io:INC3');
  });

  it('refuses a webhook without event_type naming the field, and skips unmapped and private ones', () => {
    expect(() => mapIncidentIoWebhook({}, 'm')).toThrow(PayloadError);
    expect(mapIncidentIoWebhook({ event_type: 'private_incident.follow_up_created_v1' }, 'm').skipped[0].reason).toContain('private incident');
    expect(mapIncidentIoWebhook({ event_type: 'public_incident.action_created_v1' }, 'm').skipped[0].reason).toContain('not mapped');
  });

  it('maps severities and roles', () => {
    expect(['SEV1', 'P2', 'Sev 3', 'Critical', 'Major', 'Minor', 'Low', 'Unusual'].map((name) => severityOfIncidentIo({ name }))).toEqual([
      'SEV1',
      'SEV2',
      'SEV3',
      'SEV1',
      'SEV2',
      'SEV3',
      'SEV4',
      'SEV3',
    ]);
    expect([roleOf({ role_type: 'lead' }), roleOf({ role_type: 'custom', name: 'Comms lead' }), roleOf({ role_type: 'reporter', name: 'Reporter' })]).toEqual([
      'commander',
      'communications',
      'responder',
    ]);
  });
});

describe('verifyIncidentIoSignature', () => {
  const secret = `whsec_${Buffer.from('a secret of thirty-two bytes!!!!').toString('base64')}`;
  const body = Buffer.from('{"event_type":"x"}');
  const now = 1_700_000_000_000;
  const headers = (overrides: Record<string, string> = {}) => ({ id: 'msg_1', timestamp: '1700000000', signature: signIncidentIo('msg_1', 1_700_000_000, body, secret), ...overrides });

  it('accepts the Svix signature of id.timestamp.body within the tolerance, among several', () => {
    expect(verifyIncidentIoSignature(body, headers(), secret, 300, now)).toEqual({ ok: true });
    expect(verifyIncidentIoSignature(body, headers({ signature: `v1,AAAA ${headers().signature}` }), secret, 300, now)).toEqual({ ok: true });
  });

  it("matches Svix's published example (the same one incident.io's docs show)", () => {
    const signature = signIncidentIo('msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('refuses a stale timestamp, another id, a missing signature', () => {
    expect(verifyIncidentIoSignature(body, headers(), secret, 300, now + 301_000)).toMatchObject({ ok: false, code: 'TIMESTAMP_STALE' });
    expect(verifyIncidentIoSignature(body, headers({ id: 'msg_2' }), secret, 300, now)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(verifyIncidentIoSignature(body, headers({ signature: '' }), secret, 300, now)).toMatchObject({ ok: false, code: 'SIGNATURE_MISSING' });
  });
});
