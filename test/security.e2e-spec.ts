import { SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ApiKeyStore } from '../apps/api/src/auth/api-keys';
import type { Role } from '../apps/api/src/auth/roles';
import { startTestApp, type TestApp } from '@test/support/app';
import { gql } from '@test/support/graphql';
import { uniqueId } from '@test/support';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'catalyst-e2e';

async function token(sub: string, role: Role | string, options: { issuer?: string; audience?: string; expiresIn?: string | number; secret?: string } = {}) {
  return new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const codes = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

const REGISTER = `mutation R($input: RegisterPersonInput!) { registerPerson(input: $input) { position } }`;
const registerInput = () => ({ personId: uniqueId('sec'), name: 'Sec Test', timeZone: 'Europe/Berlin', occurredAt: '2024-01-01T00:00:00Z' });

describe('authentication, roles, actor and limits (JWT HS256 + API keys)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      AUTH_JWT_SECRET: SECRET,
      AUTH_JWT_ISSUER: ISSUER,
      AUTH_JWT_AUDIENCE: AUDIENCE,
      RATE_LIMIT_PER_MINUTE: '30',
      MAX_QUERY_DEPTH: '3',
      MAX_ALIASES: '5',
      MAX_QUERY_COST: '2000',
      MAX_BATCH: '2',
      MAX_TOKENS: '400',
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('who is calling', () => {
    it('refuses a request without a credential: 401 UNAUTHENTICATED', async () => {
      const result = await gql(app.url, '{ projection { position } }');
      expect(result.status).toBe(401);
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
      expect(result.data ?? null).toBeNull();
    });

    it.each([
      ['expired', () => token('u-exp', 'admin', { expiresIn: Math.floor(Date.now() / 1000) - 60 })],
      ['another issuer', () => token('u-iss', 'admin', { issuer: 'https://evil.test' })],
      ['another audience', () => token('u-aud', 'admin', { audience: 'someone-else' })],
      ['signed with another secret', () => token('u-sig', 'admin', { secret: 'another-secret-that-is-32-bytes-long!!' })],
      ['an unknown role', () => token('u-role', 'superuser')],
      ['garbage', async () => 'not.a.jwt'],
    ])('refuses a token that is %s', async (_case, make) => {
      const result = await gql(app.url, '{ projection { position } }', {}, bearer(await make()));
      expect(result.status).toBe(401);
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    });

    it('accepts an API key until it is revoked', async () => {
      const store = new ApiKeyStore(app.env.DATA_DIR + '/keys.sqlite');
      const { key, info } = store.create('e2e-service', 'viewer');
      try {
        const ok = await gql(app.url, '{ projection { position } }', {}, { 'x-api-key': key });
        expect(ok.errors).toBeUndefined();
        const asBearer = await gql(app.url, '{ projection { position } }', {}, bearer(key));
        expect(asBearer.errors).toBeUndefined();
        const forged = await gql(app.url, '{ projection { position } }', {}, { 'x-api-key': `${key.slice(0, -2)}xx` });
        expect(forged.status).toBe(401);
        expect(store.revoke(info.id)).toBe(true);
        const revoked = await gql(app.url, '{ projection { position } }', {}, { 'x-api-key': key });
        expect(revoked.status).toBe(401);
        expect(codes(revoked)).toEqual(['UNAUTHENTICATED']);
      } finally {
        store.close();
      }
    });
  });

  describe('what each role may do', () => {
    it('a viewer reads entities but cannot run a mutation or cypher (FORBIDDEN, nothing appended)', async () => {
      const viewer = bearer(await token('viewer-1', 'viewer'));
      const read = await gql(app.url, '{ incident(id: "INC-none") { id } projection { position } }', {}, viewer);
      expect(read.errors).toBeUndefined();
      const head = (read.data as { projection: { position: string } }).projection;
      expect(head).toBeDefined();

      const input = registerInput();
      const mutation = await gql(app.url, REGISTER, { input }, viewer);
      expect(codes(mutation)).toEqual(['FORBIDDEN']);
      expect(mutation.errors?.[0].message).toContain('Mutation.registerPerson requires role writer');
      const stream = await gql(app.url, `{ events(streamId: "person-${input.personId}") { edges { cursor } } }`, {}, viewer);
      expect(stream.data).toEqual({ events: { edges: [] } });

      const cypher = await gql(app.url, '{ cypher(query: "RETURN 1 AS one") { columns rows truncated } }', {}, viewer);
      expect(codes(cypher)).toEqual(['FORBIDDEN']);
      expect(cypher.errors?.[0].extensions).toMatchObject({ field: 'Query.cypher', requiredRole: 'analyst', role: 'viewer' });
    });

    it('an analyst runs cypher, and its sandbox refuses writes; a mutation stays FORBIDDEN', async () => {
      const analyst = bearer(await token('analyst-1', 'analyst'));
      const ok = await gql(app.url, '{ cypher(query: "UNWIND [1, 2] AS x RETURN x, $p AS p", params: { p: "v" }) { columns rows truncated } }', {}, analyst);
      expect(ok.errors).toBeUndefined();
      expect(ok.data).toEqual({ cypher: { columns: ['x', 'p'], rows: [[1, 'v'], [2, 'v']], truncated: false } });
      const write = await gql(app.url, '{ cypher(query: "CREATE (n:Pwned) RETURN n") { columns } }', {}, analyst);
      expect(codes(write)).toEqual(['FORBIDDEN']);
      expect(write.errors?.[0].extensions).toMatchObject({ rule: 'readOnly' });
      expect(codes(await gql(app.url, REGISTER, { input: registerInput() }, analyst))).toEqual(['FORBIDDEN']);
    });

    it("a writer's command is appended with the principal as metadata.actor", async () => {
      const sub = uniqueId('writer');
      const writer = bearer(await token(sub, 'writer'));
      const input = registerInput();
      const result = await gql(app.url, REGISTER, { input }, writer);
      expect(result.errors).toBeUndefined();
      const stored = await app.infrastructure.store.readStream(`person-${input.personId}`, { fromRevision: 0, maxCount: 10 });
      expect(stored.map((event) => event.metadata.actor)).toEqual([sub]);
    });
  });

  describe('limits', () => {
    it('refuses a query deeper than MAX_QUERY_DEPTH with TOO_COMPLEX', async () => {
      const admin = bearer(await token(uniqueId('limits'), 'admin'));
      const deep = '{ events(first: 1) { pageInfo { hasNextPage } } }';
      expect((await gql(app.url, deep, {}, admin)).errors).toBeUndefined();
      const tooDeep = '{ events(first: 1) { edges { node { id } } } }';
      const result = await gql(app.url, tooDeep, {}, admin);
      expect(codes(result)).toEqual(['TOO_COMPLEX']);
      expect(result.errors?.[0].message).toContain('Event.id is at depth 4, the limit is 3 (MAX_QUERY_DEPTH)');
    });

    it('refuses more aliases than MAX_ALIASES, and a too costly query, with TOO_COMPLEX', async () => {
      const admin = bearer(await token(uniqueId('limits'), 'admin'));
      const aliases = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: projection { position }`).join(' ')} }`;
      const tooMany = await gql(app.url, aliases, {}, admin);
      expect(codes(tooMany)).toEqual(['TOO_COMPLEX']);
      expect(tooMany.errors?.[0].message).toContain('MAX_ALIASES');
      const costly = await gql(app.url, '{ events(first: 1000) { pageInfo { hasNextPage endCursor } } }', {}, admin);
      expect(codes(costly)).toEqual(['TOO_COMPLEX']);
      expect(costly.errors?.[0].message).toContain('MAX_QUERY_COST');
    });

    it('refuses a document past MAX_TOKENS, and a batch larger than MAX_BATCH', async () => {
      const admin = bearer(await token(uniqueId('limits'), 'admin'));
      const long = `{ ${Array.from({ length: 450 }, () => '__typename').join(' ')} }`;
      const parsed = await gql(app.url, long, {}, admin);
      expect(parsed.status).toBe(400);
      expect(parsed.errors?.[0].message).toMatch(/400 tokens/);

      const op = { query: '{ projection { position } }' };
      const send = (body: unknown) =>
        fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', ...admin }, body: JSON.stringify(body) });
      const two = await send([op, op]);
      expect(two.status).toBe(200);
      expect(((await two.json()) as unknown[]).length).toBe(2);
      const three = await send([op, op, op]);
      expect(three.status).toBe(400);
      expect(((await three.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('TOO_COMPLEX');
    });

    it('rate-limits each principal on its own: RATE_LIMITED with a retry-after', async () => {
      const busy = bearer(await token(uniqueId('busy'), 'viewer'));
      const results = [];
      for (let i = 0; i < 31; i += 1) results.push(await gql(app.url, '{ projection { position } }', {}, busy));
      expect(results.slice(0, 30).every((r) => r.errors === undefined)).toBe(true);
      const limited = results[30];
      expect(limited.status).toBe(429);
      expect(codes(limited)).toEqual(['RATE_LIMITED']);
      expect(limited.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
      const raw = await fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', ...busy }, body: JSON.stringify({ query: '{ projection { position } }' }) });
      expect(raw.status).toBe(429);
      expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another principal is not affected.
      const other = await gql(app.url, '{ projection { position } }', {}, bearer(await token(uniqueId('calm'), 'viewer')));
      expect(other.errors).toBeUndefined();
    });

    it('keeps CSRF prevention on: a simple GET without a preflight header is refused', async () => {
      const response = await fetch(`${app.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: bearer(await token('csrf', 'viewer')) });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/CSRF/i);
    });
  });

  describe('graphql-ws', () => {
    const subscribeOnce = (connectionParams: Record<string, unknown> | undefined, query: string) =>
      new Promise<{ data?: unknown; error?: unknown }>((resolve) => {
        const client = createClient({ url: app.url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams });
        const stop = client.subscribe(
          { query },
          {
            next: (value) => {
              stop();
              void client.dispose();
              resolve(value.errors ? { error: value.errors } : { data: value.data });
            },
            error: (error) => {
              void client.dispose();
              resolve({ error });
            },
            complete: () => undefined,
          },
        );
      });

    it('closes a connection without a credential (4403)', async () => {
      const outcome = await subscribeOnce(undefined, 'subscription { projectionProgress { position } }');
      expect(outcome.error).toMatchObject({ code: 4403 });
    });

    it('lets a viewer subscribe, and refuses a field above its role', async () => {
      const viewer = await token('ws-viewer', 'viewer');
      const ok = await subscribeOnce({ authorization: `Bearer ${viewer}` }, 'subscription { projectionProgress { position } }');
      expect(ok.data).toMatchObject({ projectionProgress: { position: expect.any(String) } });
      const refused = await subscribeOnce({ authorization: `Bearer ${viewer}` }, '{ cypher(query: "RETURN 1 AS one") { columns } }');
      expect(refused.error).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
    });
  });
});
