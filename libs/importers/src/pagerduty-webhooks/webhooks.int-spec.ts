import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { appendDelivery, type DeliveryResult } from './delivery';
import { mapPagerDutyWebhook } from './map';
import { sharedData } from '@test/support';

const FIXTURES = sharedData('pagerduty-webhooks/zerver/webhooks/pagerduty/fixtures');
const sample = (file: string): unknown => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
/** Every sample, in the order PagerDuty sent them (occurred_at). */
const inOrder = () =>
  readdirSync(FIXTURES)
    .map((file) => ({ file, body: sample(file) as { event: { occurred_at: string } } }))
    .sort((a, b) => Date.parse(a.body.event.occurred_at) - Date.parse(b.body.event.occurred_at));

describe('PagerDuty webhooks on the samples, into a real SQLite log', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalyst-pd-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends all 14 samples in order: what maps is appended, the rest is skipped with a reason; delivering them again appends nothing', async () => {
    const results: Record<string, DeliveryResult> = {};
    for (const { file, body } of inOrder()) results[file] = await appendDelivery(store, mapPagerDutyWebhook(body), { source: 'import:pagerduty' });
    const outcome = Object.fromEntries(Object.entries(results).map(([file, result]) => [file, [result.appended, result.skipped.map((skip) => skip.reason.split(':')[0])]]));
    expect(outcome).toEqual({
      // pig208 account, 2021: three incidents seen only mid-flight, without created_at -> never declared, skipped
      'reassigned_v3.json': [0, ['NOT_FOUND']],
      'resolved_v3.json': [0, ['NOT_FOUND']],
      'triggered_v3.json': [2, []], // PFQZPSY: declared from the trigger, its assignee paged
      'acknowledged_v3.json': [0, ['NOT_FOUND', 'NOT_FOUND']],
      // harsh0303 account, 2026: Q3B15VLMF3ASBD declared from created_at by its first webhook (an escalation)
      'escalate_v3.json': [2, []],
      'delegated_v3.json': [1, []],
      'reopened_v3.json': [1, ['incident.notResolved']], // Q05XJA8GDXGOB3 declared from created_at; never resolved here
      'priority_updated_v3.json': [1, []],
      'status_updated_v3.json': [1, []],
      'annotated_v3.json': [1, []],
      'responder_added.json': [1, []],
      'conference_bridge_updated_v3.json': [0, ['event type incident.conference_bridge.updated is not mapped to an incident event']],
      'responder_replied_v3.json': [1, []],
      'service_updated_v3.json': [1, []],
    });
    const head = await store.headPosition();
    for (const { body } of inOrder()) {
      const again = await appendDelivery(store, mapPagerDutyWebhook(body), { source: 'import:pagerduty' });
      expect(again.appended).toBe(0);
    }
    expect(await store.headPosition()).toBe(head);

    const incident = await store.readStream('incident-pagerduty:Q3B15VLMF3ASBD');
    expect(incident.map((event) => event.type)).toEqual([
      'IncidentDeclared',
      'ResponderPaged',
      'ResponderPaged',
      'IncidentSeverityChanged',
      'TimelineNoteAdded',
      'TimelineNoteAdded',
      'ResponderPaged',
      'ResponderJoined',
      'ServiceImpacted',
    ]);
    expect(incident[0].data).toEqual({
      incidentId: 'pagerduty:Q3B15VLMF3ASBD',
      title: 'Critical: Checkout API High Latency',
      severity: 'SEV1',
      impactedServiceIds: ['pagerduty:PLVTM9H'],
      occurredAt: '2026-04-01T02:07:30Z',
    });
    expect(incident[3].data).toMatchObject({ severity: 'SEV2', changedBy: 'pagerduty:PXRUEF2' });
    expect(incident[4].data.text).toMatch(/^Status update: Investigating a P1 incident/);
    expect(incident.every((event) => event.metadata.source === 'import:pagerduty' && event.metadata.actor === 'pagerduty:PXRUEF2')).toBe(true);
  });
});
