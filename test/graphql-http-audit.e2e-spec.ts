import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serverAudits, type AuditResult } from 'graphql-http';
import { SignJWT } from 'jose';
import { startTestApp, type TestApp } from '@test/support/app';
import { REPO_ROOT } from '@test/support/process';

/**
 * graphql-http's GraphQL-over-HTTP server audit suite against the running app. No audit may end in
 * error; warnings (SHOULD/MAY items) are listed in reports/graphql-http-audit.json and in the test output.
 */
type Row = { id: string; name: string; status: AuditResult['status']; reason?: string };

async function audit(url: string, fetchFn: typeof fetch): Promise<Row[]> {
  const rows: Row[] = [];
  for (const one of serverAudits({ url, fetchFn })) {
    const result = await one.fn();
    rows.push({ id: one.id, name: one.name, status: result.status, ...(result.status !== 'ok' ? { reason: result.reason } : {}) });
  }
  return rows;
}

describe('GraphQL over HTTP audits (graphql-http serverAudits)', () => {
  let app: TestApp;
  const results: Row[] = [];

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
    const warnings = results.filter((r) => r.status === 'warn');
    mkdirSync(join(REPO_ROOT, 'reports'), { recursive: true });
    writeFileSync(join(REPO_ROOT, 'reports', 'graphql-http-audit.json'), `${JSON.stringify({ total: results.length, warnings: warnings.length, results }, null, 2)}\n`);
    if (warnings.length) process.stdout.write(`graphql-http audit warnings:\n${warnings.map((w) => `  - ${w.name}: ${w.reason}`).join('\n')}\n`);
  });

  it('passes every audit (no error)', async () => {
    results.push(...(await audit(app.url, fetch)));
    expect(results.length).toBeGreaterThan(30);
    expect(results.filter((r) => r.status === 'error')).toEqual([]);
  });

  it('passes every audit with authentication enforced (each request with a bearer JWT)', async () => {
    const secret = 'audit-secret-that-is-at-least-32-bytes!!';
    const secured = await startTestApp({ AUTH_JWT_SECRET: secret, AUTH_JWT_ISSUER: 'audit', AUTH_JWT_AUDIENCE: 'audit' });
    try {
      const jwt = await new SignJWT({ role: 'viewer' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('auditor')
        .setIssuer('audit')
        .setAudience('audit')
        .setExpirationTime('10m')
        .sign(new TextEncoder().encode(secret));
      const withToken: typeof fetch = (input, init) => {
        const headers = new Headers(init?.headers);
        headers.set('authorization', `Bearer ${jwt}`);
        return fetch(input, { ...init, headers });
      };
      const rows = await audit(secured.url, withToken);
      expect(rows.filter((r) => r.status === 'error')).toEqual([]);
    } finally {
      await secured.close();
    }
  });
});
