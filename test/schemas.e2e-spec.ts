import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { EVENT_TYPES } from '@app/domain';
import { startTestApp, type TestApp } from '@test/support/app';

describe('event schemas over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());
  const base = () => app.url.replace(/\/graphql$/, '');

  it('lists every event type at /schemas', async () => {
    const response = await fetch(`${base()}/schemas`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { asyncapi: string; eventTypes: { type: string; schema: string }[] };
    expect(body.eventTypes.map((entry) => entry.type).sort()).toEqual([...EVENT_TYPES].sort());
    expect(body.asyncapi).toBe('/schemas/asyncapi.yaml');
  });

  it('serves each schema as JSON, equal to the committed file', async () => {
    const response = await fetch(`${base()}/schemas/events/IncidentDeclared.schema.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/json/);
    const committed = JSON.parse(readFileSync(join(__dirname, '../schemas/events/IncidentDeclared.schema.json'), 'utf8'));
    expect(await response.json()).toEqual(committed);
    expect((await fetch(`${base()}/schemas/events/NoSuchEvent.schema.json`)).status).toBe(404);
  });

  it('serves the AsyncAPI document as YAML', async () => {
    const response = await fetch(`${base()}/schemas/asyncapi.yaml`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/yaml/);
    const doc = parse(await response.text()) as { asyncapi: string; channels: Record<string, { address: string }> };
    expect(doc.asyncapi).toBe('3.0.0');
    expect(Object.values(doc.channels).map((channel) => channel.address)).toEqual(expect.arrayContaining(['/graphql', '$ce-incident']));
  });
});
