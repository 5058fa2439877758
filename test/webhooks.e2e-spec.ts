import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signIncidentIo, signPagerDuty } from '@app/importers';
import { sharedData, uniqueId } from '@test/support';
import { startTestApp, type TestApp } from '@test/support/app';
import { gqlOk } from '@test/support/graphql';

const FIXTURES = sharedData('pagerduty-webhooks/zerver/webhooks/pagerduty/fixtures');
const OPENAPI = sharedData('incident-io/internal/apischema/openapi3.json');
const PD_SECRET = 'pd-test-secret';
const IIO_SECRET = `whsec_${Buffer.from('incident-io-test-secret-0123456789').toString('base64')}`;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Reply = { status: number; body: Json };

const fixture = (name: string): Json => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Json;

/** The sample incident Q3B15VLMF3ASBD (Checkout API latency), as PagerDuty sent it, in occurred_at order. */
const INCIDENT_FILES = [
  'escalate_v3.json',
  'delegated_v3.json',
  'priority_updated_v3.json',
  'status_updated_v3.json',
  'annotated_v3.json',
  'responder_added.json',
  'conference_bridge_updated_v3.json',
  'responder_replied_v3.json',
  'service_updated_v3.json',
];

/**
 * Gives a sample a run-unique incident id and event id (the graph is shared between runs) without
 * changing anything else; the body is signed as sent.
 */
function isolate(body: Json, suffix: string): Json {
  const text = JSON.stringify(body).replaceAll('Q3B15VLMF3ASBD', `Q3B15VLMF3ASBD${suffix}`);
  const copy = JSON.parse(text) as Json;
  copy.event.id = `${copy.event.id}${suffix}`;
  return copy;
}

describe('webhooks over HTTP', () => {
  let app: TestApp;
  let base: string;
  beforeAll(async () => {
    app = await startTestApp({ PAGERDUTY_WEBHOOK_SECRET: PD_SECRET, INCIDENT_IO_WEBHOOK_SECRET: IIO_SECRET });
    base = app.url.replace(/\/graphql$/, '');
  });
  afterAll(() => app?.close());

  const post = async (path: string, body: string, headers: Record<string, string>): Promise<Reply> => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const pagerDuty = (payload: Json, signature?: string) => {
    const body = JSON.stringify(payload, null, 2);
    return post('/webhooks/pagerduty', body, { 'x-pagerduty-signature': signature ?? signPagerDuty(body, PD_SECRET) });
  };
  const incidentIo = (payload: Json, options: { id?: string; timestamp?: number } = {}) => {
    const body = JSON.stringify(payload);
    const id = options.id ?? `msg_${uniqueId('w')}`;
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    return post('/webhooks/incident-io', body, { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signIncidentIo(id, timestamp, body, IIO_SECRET) });
  };

  it('takes the sample PagerDuty incident webhook by webhook and reads it back with responders, escalation and resolution', async () => {
    const suffix = uniqueId('x').replace(/[^A-Za-z0-9]/g, '');
    const incidentId = `pagerduty:Q3B15VLMF3ASBD${suffix}`;
    const replies: Record<string, Reply> = {};
    for (const file of INCIDENT_FILES) replies[file] = await pagerDuty(isolate(fixture(file), suffix));
    // The samples hold no resolution of this incident: the resolved sample (another incident, agent PJ0LVEB) is sent for it, after the last one.
    const resolved = fixture('resolved_v3.json');
    resolved.event.data.id = `Q3B15VLMF3ASBD${suffix}`;
    resolved.event.id = `${resolved.event.id}${suffix}`;
    resolved.event.occurred_at = '2026-04-01T02:40:00.000Z';
    replies.resolved = await pagerDuty(resolved);

    expect(Object.fromEntries(Object.entries(replies).map(([file, reply]) => [file, [reply.status, reply.body.appended]]))).toEqual({
      'escalate_v3.json': [200, 2], // IncidentDeclared from created_at (no incident.triggered was sent) + ResponderPaged
      'delegated_v3.json': [200, 1],
      'priority_updated_v3.json': [200, 1],
      'status_updated_v3.json': [200, 1],
      'annotated_v3.json': [200, 1],
      'responder_added.json': [200, 1],
      'conference_bridge_updated_v3.json': [202, 0],
      'responder_replied_v3.json': [200, 1],
      'service_updated_v3.json': [200, 1], // moved to the service APIs: ServiceImpacted
      resolved: [200, 1],
    });
    expect(replies['delegated_v3.json'].body.duplicates).toBe(1); // the declaration the escalation already made
    expect(replies['conference_bridge_updated_v3.json'].body.skipped[0].reason).toContain('incident.conference_bridge.updated is not mapped');

    // A re-delivery (PagerDuty retries on timeout) appends nothing.
    const again = await pagerDuty(isolate(fixture('escalate_v3.json'), suffix));
    expect([again.status, again.body.appended, again.body.duplicates]).toEqual([200, 0, 2]);

    const position = replies.resolved.body.lastPosition as string;
    const data = await gqlOk<{ incident: Json; events: { edges: { node: Json }[] } }>(
      app.url,
      `query($id: String!, $stream: String!) {
        incident(id: $id) { id title severity status declaredAt resolvedAt placeholder
          responders { person { id } role joinedAt leftAt } impactedServices { service { id } } }
        events(streamId: $stream, first: 50) { edges { node { type data metadata } } }
      }`,
      { id: incidentId, stream: `incident-${incidentId}` },
      { 'x-min-position': position },
    );
    expect(data.incident).toEqual({
      id: incidentId,
      title: 'Critical: Checkout API High Latency',
      severity: 'SEV2',
      status: 'resolved',
      declaredAt: '2026-04-01T02:07:30Z', // created_at of the escalation payload
      resolvedAt: '2026-04-01T02:40:00Z',
      placeholder: false,
      responders: [{ person: { id: 'pagerduty:PXRUEF2' }, role: 'responder', joinedAt: '2026-04-01T02:21:54.532Z', leftAt: null }],
      impactedServices: expect.arrayContaining([{ service: { id: 'pagerduty:PLVTM9H' } }, { service: { id: 'pagerduty:P844A2S' } }]),
    });
    const events = data.events.edges.map(({ node }) => node);
    expect(events.map((event) => event.type)).toEqual([
      'IncidentDeclared',
      'ResponderPaged', // escalated
      'ResponderPaged', // delegated to APIs-ep
      'IncidentSeverityChanged',
      'TimelineNoteAdded', // status update
      'TimelineNoteAdded', // note
      'ResponderPaged', // responder added
      'ResponderJoined',
      'ServiceImpacted',
      'IncidentResolved',
    ]);
    expect(events.every((event) => event.metadata.source === 'import:pagerduty')).toBe(true);
    expect(data.incident.impactedServices).toHaveLength(2);
    expect(events[9].data).toEqual({ incidentId, resolvedBy: 'pagerduty:PJ0LVEB', occurredAt: '2026-04-01T02:40:00.000Z' });
  });

  it('refuses a missing or wrong signature (401) and a malformed payload (400 naming the field), appending nothing', async () => {
    const payload = isolate(fixture('annotated_v3.json'), uniqueId('y').replace(/[^A-Za-z0-9]/g, ''));
    const missing = await post('/webhooks/pagerduty', JSON.stringify(payload), {});
    expect([missing.status, missing.body.code]).toEqual([401, 'SIGNATURE_MISSING']);
    const wrong = await pagerDuty(payload, signPagerDuty(JSON.stringify(payload, null, 2), 'not-the-secret'));
    expect([wrong.status, wrong.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
    const tampered = JSON.stringify(payload, null, 2);
    const signature = signPagerDuty(tampered, PD_SECRET);
    const changed = await post('/webhooks/pagerduty', tampered.replace('Running KILL', 'Running kill'), { 'x-pagerduty-signature': signature });
    expect(changed.status).toBe(401);

    const notJson = await post('/webhooks/pagerduty', '{"event": ', { 'x-pagerduty-signature': signPagerDuty('{"event": ', PD_SECRET) });
    expect(notJson.status).toBe(400);

    delete payload.event.occurred_at;
    const malformed = await pagerDuty(payload);
    expect(malformed).toMatchObject({ status: 400, body: { code: 'INVALID_PAYLOAD', field: 'event.occurred_at', rule: 'isNotEmpty' } });
  });

  it('reports a note on an incident never declared as skipped (nothing appended)', async () => {
    const reply = await pagerDuty(isolate(fixture('annotated_v3.json'), uniqueId('z').replace(/[^A-Za-z0-9]/g, '')));
    expect(reply.status).toBe(200);
    expect(reply.body.appended).toBe(0);
    expect(reply.body.skipped[0].reason).toMatch(/NOT_FOUND: Incident pagerduty:Q3B15VLMF3ASBD\w+ does not exist/);
  });

  describe('incident.io', () => {
    const example = (eventType: string): Json => {
      const webhooks = (JSON.parse(readFileSync(OPENAPI, 'utf8')) as Json)['x-webhooks'];
      return webhooks[`/x-webhooks/${eventType}`].get.responses['200'].content['application/json'].example as Json;
    };

    it('declares an incident and adds its follow-up; a re-delivery appends nothing', async () => {
      const suffix = uniqueId('i').replace(/[^A-Za-z0-9]/g, '');
      const created = example('public_incident.incident_created_v2');
      const incident = created['public_incident.incident_created_v2'];
      incident.id = `${incident.id}${suffix}`;
      const first = await incidentIo(created, { id: 'msg_created' });
      expect(first.status).toBe(200);
      expect(first.body.appended).toBeGreaterThanOrEqual(1);
      const retry = await incidentIo(created, { id: 'msg_created' });
      expect([retry.status, retry.body.appended, retry.body.duplicates]).toEqual([200, 0, first.body.appended]);

      const followUp = example('public_incident.follow_up_created_v1');
      followUp['public_incident.follow_up_created_v1'].incident_id = incident.id;
      followUp['public_incident.follow_up_created_v1'].id = `FU${suffix}`;
      const added = await incidentIo(followUp);
      expect([added.status, added.body.appended, added.body.skipped]).toEqual([200, 1, []]);

      const data = await gqlOk<{ events: { edges: { node: Json }[] } }>(
        app.url,
        'query($stream: String!) { events(streamId: $stream) { edges { node { type metadata } } } }',
        { stream: `incident-incident.io:${incident.id}` },
      );
      expect(data.events.edges.map(({ node }) => node.type)).toContain('ActionItemCreated');
      expect(data.events.edges.every(({ node }) => node.metadata.source === 'import:incident-io')).toBe(true);
    });

    it('refuses a timestamp beyond the tolerance and a wrong signature (401); skips a private incident (202)', async () => {
      const created = example('public_incident.incident_created_v2');
      const stale = await incidentIo(created, { timestamp: Math.floor(Date.now() / 1000) - 301 });
      expect([stale.status, stale.body.code]).toEqual([401, 'TIMESTAMP_STALE']);
      const body = JSON.stringify(created);
      const now = String(Math.floor(Date.now() / 1000));
      const wrong = await post('/webhooks/incident-io', body, { 'webhook-id': 'msg_x', 'webhook-timestamp': now, 'webhook-signature': signIncidentIo('msg_y', now, body, IIO_SECRET) });
      expect([wrong.status, wrong.body.code]).toEqual([401, 'SIGNATURE_INVALID']);
      const hidden = await incidentIo(example('private_incident.incident_created_v2'));
      expect(hidden.status).toBe(202);
      expect(hidden.body.skipped[0].reason).toContain('private incident');
    });
  });
});

describe('webhooks without a secret', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  it('answers 503 naming the variable, and never accepts the unsigned payload', async () => {
    const base = app.url.replace(/\/graphql$/, '');
    const body = readFileSync(join(FIXTURES, 'triggered_v3.json'), 'utf8');
    for (const [path, variable] of [
      ['/webhooks/pagerduty', 'PAGERDUTY_WEBHOOK_SECRET'],
      ['/webhooks/incident-io', 'INCIDENT_IO_WEBHOOK_SECRET'],
    ]) {
      const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const reply = (await response.json()) as Json;
      expect([response.status, reply.code]).toEqual([503, 'WEBHOOK_NOT_CONFIGURED']);
      expect(reply.message).toContain(variable);
    }
    expect(await app.infrastructure.store.headPosition()).toBe('0');
  });
});
