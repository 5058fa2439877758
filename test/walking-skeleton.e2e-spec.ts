import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { printSchema } from 'graphql';
import { SqliteEventStore } from '@app/event-store';
import { uniqueId } from '@test/support';
import { sqlitePathOf, startTestApp, type TestApp } from '@test/support/app';
import { gql, gqlOk } from '@test/support/graphql';

const DECLARE = `mutation Declare($input: DeclareIncidentInput!) { declareIncident(input: $input) { streamId revision position } }`;
const INCIDENT = `query Incident($id: String!) {
  incident(id: $id) {
    id title severity status declaredAt
    responders { person { id name placeholder } role joinedAt leftAt }
    impactedServices { service { id name tier } owningTeam { id name } }
  }
}`;

interface Ids {
  person: string;
  team: string;
  service: string;
  incident: string;
}

async function seedOrg(url: string, ids: Ids) {
  await gqlOk(url, `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { position } }`, {
    i: { personId: ids.person, name: 'Ana Lima', timeZone: 'America/Sao_Paulo', occurredAt: '2026-01-01T00:00:00Z' },
  });
  await gqlOk(url, `mutation($i: FormTeamInput!) { formTeam(input: $i) { position } }`, {
    i: { teamId: ids.team, name: 'Payments', occurredAt: '2026-01-01T00:00:00Z' },
  });
  await gqlOk(url, `mutation($i: AddTeamMemberInput!) { addTeamMember(input: $i) { position } }`, {
    i: { teamId: ids.team, personId: ids.person, role: 'lead', occurredAt: '2026-01-02T00:00:00Z' },
  });
  await gqlOk(url, `mutation($i: RegisterServiceInput!) { registerService(input: $i) { position } }`, {
    i: { serviceId: ids.service, name: 'Checkout', tier: 1, occurredAt: '2026-01-01T00:00:00Z' },
  });
  await gqlOk(url, `mutation($i: AssignServiceOwnerInput!) { assignServiceOwner(input: $i) { position } }`, {
    i: { serviceId: ids.service, teamId: ids.team, occurredAt: '2026-01-03T00:00:00Z' },
  });
}

const newIds = (): Ids => ({ person: uniqueId('ana'), team: uniqueId('payments'), service: uniqueId('checkout'), incident: uniqueId('INC') });

describe('walking skeleton over HTTP', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('declares an incident with a responder and reads it back with X-Min-Position', async () => {
    const ids = newIds();
    await seedOrg(app.url, ids);
    const declared = await gqlOk<{ declareIncident: { streamId: string; revision: number; position: string } }>(app.url, DECLARE, {
      input: { incidentId: ids.incident, title: 'Checkout returns 500', severity: 'SEV1', impactedServiceIds: [ids.service], occurredAt: '2026-02-01T10:00:00+01:00' },
    });
    expect(declared.declareIncident).toMatchObject({ streamId: `incident-${ids.incident}`, revision: 0 });
    const joined = await gqlOk<{ addResponder: { position: string; revision: number } }>(
      app.url,
      `mutation($i: AddResponderInput!) { addResponder(input: $i) { streamId revision position } }`,
      { i: { incidentId: ids.incident, personId: ids.person, role: 'commander', occurredAt: '2026-02-01T10:04:00.250+01:00' } },
    );
    expect(joined.addResponder.revision).toBe(1);
    expect(BigInt(joined.addResponder.position)).toBeGreaterThan(BigInt(declared.declareIncident.position));

    const read = await gqlOk<{ incident: Record<string, unknown> }>(app.url, INCIDENT, { id: ids.incident }, { 'X-Min-Position': joined.addResponder.position });
    expect(read.incident).toEqual({
      id: ids.incident,
      title: 'Checkout returns 500',
      severity: 'SEV1',
      status: 'active',
      declaredAt: '2026-02-01T10:00:00+01:00',
      responders: [{ person: { id: ids.person, name: 'Ana Lima', placeholder: false }, role: 'commander', joinedAt: '2026-02-01T10:04:00.250+01:00', leftAt: null }],
      impactedServices: [{ service: { id: ids.service, name: 'Checkout', tier: 1 }, owningTeam: { id: ids.team, name: 'Payments' } }],
    });

    const resolved = await gqlOk<{ resolveIncident: { position: string } }>(
      app.url,
      `mutation($i: ResolveIncidentInput!) { resolveIncident(input: $i) { position } }`,
      { i: { incidentId: ids.incident, occurredAt: '2026-02-01T11:30:00+01:00' } },
    );
    const team = await gqlOk<{ team: { members: { person: { id: string }; role: string }[] }; incident: { status: string } }>(
      app.url,
      `query($team: String!, $id: String!) { team(id: $team) { members { person { id } role } } incident(id: $id) { status } }`,
      { team: ids.team, id: ids.incident },
      { 'X-Min-Position': resolved.resolveIncident.position },
    );
    expect(team.team.members).toEqual([{ person: { id: ids.person }, role: 'lead' }]);
    expect(team.incident.status).toBe('resolved');
  });

  it('refuses a command with three wrong fields in one error naming all three, and appends nothing', async () => {
    const store = new SqliteEventStore(sqlitePathOf(app.dataDir));
    const before = await store.headPosition();
    const result = await gql(app.url, `mutation($i: RegisterPersonInput!) { registerPerson(input: $i) { position } }`, {
      i: { personId: '-nope', name: 'Ana', timeZone: 'Mars/Olympus_Mons', occurredAt: 'last tuesday' },
    });
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors!;
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.extensions?.stacktrace).toBeUndefined();
    const fieldErrors = error.extensions?.fieldErrors as { field: string; rule: string }[];
    expect(fieldErrors.map((e) => [e.field, e.rule])).toEqual([
      ['input.personId', 'isEntityId'],
      ['input.timeZone', 'isIanaTimeZone'],
      ['input.occurredAt', 'isIsoDateTimeWithOffset'],
    ]);
    expect(await store.headPosition()).toBe(before);
    await store.close();
  });

  it('answers a broken rule with CONFLICT and an unknown stream with NOT_FOUND', async () => {
    const ids = newIds();
    await seedOrg(app.url, ids);
    const again = await gql(app.url, `mutation($i: FormTeamInput!) { formTeam(input: $i) { position } }`, { i: { teamId: ids.team, name: 'Again' } });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'team.alreadyFormed' });
    const missing = await gql(app.url, `mutation($i: AddResponderInput!) { addResponder(input: $i) { position } }`, {
      i: { incidentId: uniqueId('INC'), personId: ids.person, role: 'responder' },
    });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const stale = await gql(app.url, `mutation($i: AssignServiceOwnerInput!) { assignServiceOwner(input: $i) { position } }`, {
      i: { serviceId: ids.service, teamId: uniqueId('other'), expectedRevision: 0 },
    });
    expect(stale.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', rule: 'expectedRevision', expectedRevision: 0, actualRevision: 1 });
  });

  it('reports projection progress', async () => {
    const data = await gqlOk<{ projection: { position: string; headPosition: string; lag: string; lastError: null } }>(
      app.url,
      `{ projection { position headPosition lag lastError { message } } }`,
    );
    expect(BigInt(data.projection.headPosition)).toBeGreaterThanOrEqual(BigInt(data.projection.position));
    expect(BigInt(data.projection.lag)).toBe(BigInt(data.projection.headPosition) - BigInt(data.projection.position));
    expect(data.projection.lastError).toBeNull();
  });

  it('fails a read that asks for a position the projection cannot reach in time', async () => {
    const result = await gql(app.url, `{ projection { position } }`, {}, { 'X-Min-Position': '99999999' });
    expect(result.status).toBe(503);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'PROJECTION_BEHIND', minPosition: '99999999' });
  }, 30_000);

  it('serves a GraphQL IDE that loads nothing from the network', async () => {
    const base = app.url.replace(/\/graphql$/, '');
    const page = await fetch(app.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('GraphiQL');
    expect(html).not.toMatch(/(src|href)="https?:/);
    for (const asset of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const response = await fetch(base + asset[1]);
      expect([asset[1], response.status]).toEqual([asset[1], 200]);
    }
  });

  it('keeps the committed schema.gql in step with the code', () => {
    const printed = printSchema(app.app.get(GraphQLSchemaHost).schema) + '\n';
    const file = join(__dirname, '..', 'apps', 'api', 'schema.gql');
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(file, printed);
    expect(printed).toBe(readFileSync(file, 'utf8'));
  });
});

describe('restart', () => {
  it('keeps everything across a stop and a start on the same data directory', async () => {
    const ids = newIds();
    const first = await startTestApp();
    let position: string;
    try {
      await seedOrg(first.url, ids);
      position = (
        await gqlOk<{ declareIncident: { position: string } }>(first.url, DECLARE, {
          input: { incidentId: ids.incident, title: 'Restart me', severity: 'SEV2', impactedServiceIds: [ids.service] },
        })
      ).declareIncident.position;
    } finally {
      await first.close();
    }
    const second = await startTestApp({ DATA_DIR: first.dataDir, PROJECTION_NAME: first.env.PROJECTION_NAME });
    try {
      const read = await gqlOk<{ incident: { title: string; impactedServices: { owningTeam: { id: string } }[] } }>(
        second.url,
        INCIDENT,
        { id: ids.incident },
        { 'X-Min-Position': position },
      );
      expect(read.incident.title).toBe('Restart me');
      expect(read.incident.impactedServices[0].owningTeam.id).toBe(ids.team);
      const store = new SqliteEventStore(sqlitePathOf(first.dataDir));
      expect(await store.headPosition()).toBe(position);
      await store.close();
    } finally {
      await second.close();
    }
  });
});
