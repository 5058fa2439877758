import { uniqueId } from '@test/support';
import { startTestApp, type TestApp } from '@test/support/app';
import { gqlOk } from '@test/support/graphql';

describe('health and metrics', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());
  const base = () => app.url.replace(/\/graphql$/, '');

  it('answers liveness and readiness with the state of the log, Neo4j and the projection', async () => {
    const live = await fetch(`${base()}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${base()}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; info: Record<string, { status: string; state?: string }> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.info).sort()).toEqual(['eventStore', 'neo4j', 'projection']);
    expect(body.info.projection.state).toBe('running');
  });

  it('exposes position, head, lag and batch metrics for Prometheus', async () => {
    const written = await gqlOk<{ formTeam: { position: string } }>(app.url, `mutation($i: FormTeamInput!) { formTeam(input: $i) { position } }`, {
      i: { teamId: uniqueId('team'), name: 'Observed' },
    });
    await gqlOk(app.url, `{ projection { position } }`, {}, { 'X-Min-Position': written.formTeam.position });
    const response = await fetch(`${base()}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('catalyst_projection_position')).toBe(Number(written.formTeam.position));
    expect(value('catalyst_log_head_position')).toBe(Number(written.formTeam.position));
    expect(value('catalyst_projection_lag_events')).toBe(0);
    expect(value('catalyst_projection_lag_seconds')).toBe(0);
    expect(value('catalyst_projection_events_total')).toBeGreaterThanOrEqual(1);
    expect(value('catalyst_projection_batches_total')).toBeGreaterThanOrEqual(1);
    expect(value('catalyst_projection_has_error')).toBe(0);
    expect(text).toContain('catalyst_process_resident_memory_bytes');
  });
});
