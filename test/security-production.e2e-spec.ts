import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT } from 'jose';
import { tempDir, uniqueId } from '@test/support';
import { gql } from '@test/support/graphql';
import { exitOf, REPO_ROOT, spawnServer, type ServerProcess } from '@test/support/process';

const SECRET = 'production-test-secret-at-least-32-bytes!';
const CLI = join(REPO_ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');
const MAIN = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const run = promisify(execFile);

const token = (sub: string, role: string) =>
  new SignJWT({ role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer('https://issuer.prod.test')
    .setAudience('catalyst')
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(SECRET));

/** The built server, as `npm start` runs it, with NODE_ENV=production (run `npm run build` first). */
describe('production mode (built server, NODE_ENV=production)', () => {
  it('refuses to start without authentication configuration, and says what to set', async () => {
    const child = spawn(process.execPath, [MAIN], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'production', DATA_DIR: tempDir('catalyst-prod-'), NEO4J_URI: process.env.NEO4J_URI!, PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const { code } = await exitOf(child);
    expect(code).not.toBe(0);
    expect(output).toContain('NODE_ENV=production and no authentication is configured: refusing to start');
    expect(output).toContain('AUTH_JWT_SECRET');
    expect(output).not.toContain('Catalyst is serving');
  });

  describe('with a JWT secret and API keys', () => {
    let server: ServerProcess;
    let key: string;
    let keyId: string;
    const dataDir = tempDir('catalyst-prod-');

    beforeAll(async () => {
      const created = await run(process.execPath, [CLI, 'keys', 'create', '--name', 'ci-writer', '--role', 'writer'], { env: { ...process.env, DATA_DIR: dataDir } });
      ({ key, id: keyId } = JSON.parse(created.stdout) as { key: string; id: string });
      server = await spawnServer({
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        NEO4J_URI: process.env.NEO4J_URI!,
        PROJECTION_NAME: uniqueId('prod'),
        AUTH_JWT_SECRET: SECRET,
        AUTH_JWT_ISSUER: 'https://issuer.prod.test',
        AUTH_JWT_AUDIENCE: 'catalyst',
      });
    });
    afterAll(async () => {
      if (server) {
        server.child.kill('SIGTERM');
        await exitOf(server.child);
      }
    });

    it('refuses a request without a token: 401 UNAUTHENTICATED', async () => {
      const result = await gql(server.url, '{ projection { position } }');
      expect(result.status).toBe(401);
      expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });

    it("refuses a viewer's mutation and cypher with FORBIDDEN; lets it read", async () => {
      const viewer = { authorization: `Bearer ${await token('prod-viewer', 'viewer')}` };
      const mutation = await gql(
        server.url,
        'mutation { registerPerson(input: { personId: "P-prod-1", name: "P", timeZone: "UTC", occurredAt: "2024-01-01T00:00:00Z" }) { position } }',
        {},
        viewer,
      );
      expect(mutation.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const cypher = await gql(server.url, '{ cypher(query: "RETURN 1 AS one") { rows } }', {}, viewer);
      expect(cypher.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const read = await gql(server.url, '{ projection { position } }', {}, viewer);
      expect(read.errors).toBeUndefined();
    });

    it('turns introspection and the IDE off', async () => {
      const viewer = { authorization: `Bearer ${await token('prod-viewer', 'viewer')}` };
      const introspection = await gql(server.url, '{ __schema { queryType { name } } }', {}, viewer);
      expect(introspection.errors?.[0].message).toMatch(/introspection/i);
      const ide = await fetch(server.url, { headers: { accept: 'text/html' } });
      expect(await ide.text()).not.toContain('GraphiQL');
    });

    it('accepts a key made by `catalyst keys create`, records it as the actor, and refuses it once revoked', async () => {
      const personId = uniqueId('P-key');
      const mutation = await gql(
        server.url,
        'mutation R($input: RegisterPersonInput!) { registerPerson(input: $input) { position } }',
        { input: { personId, name: 'Key', timeZone: 'UTC', occurredAt: '2024-01-01T00:00:00Z' } },
        { 'x-api-key': key },
      );
      expect(mutation.errors).toBeUndefined();
      const events = await gql<{ events: { edges: { node: { metadata: { actor: string } } }[] } }>(
        server.url,
        `{ events(streamId: "person-${personId}") { edges { node { metadata } } } }`,
        {},
        { 'x-api-key': key },
      );
      expect(events.data?.events.edges.map((e) => e.node.metadata.actor)).toEqual([`key:${keyId}`]);

      const listed = await run(process.execPath, [CLI, 'keys', 'list'], { env: { ...process.env, DATA_DIR: dataDir } });
      expect(listed.stdout).not.toContain(key);
      expect(listed.stdout).toContain(keyId);
      await run(process.execPath, [CLI, 'keys', 'revoke', keyId], { env: { ...process.env, DATA_DIR: dataDir } });
      const refused = await gql(server.url, '{ projection { position } }', {}, { 'x-api-key': key });
      expect(refused.status).toBe(401);
    });
  });
});
