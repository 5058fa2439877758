import { buildSchema, parse } from 'graphql';
import { loadConfig } from '@app/runtime';
import { analyzeOperation } from '../graphql/limits';
import { checkAuthStartup } from './authenticator';
import { RateLimiter } from './rate-limit';
import { roleAllows } from './roles';

describe('roles', () => {
  it('orders viewer < analyst < writer < admin', () => {
    expect(roleAllows('viewer', 'viewer')).toBe(true);
    expect(roleAllows('viewer', 'analyst')).toBe(false);
    expect(roleAllows('writer', 'analyst')).toBe(true);
    expect(roleAllows('writer', 'admin')).toBe(false);
    expect(roleAllows('admin', 'writer')).toBe(true);
  });
});

describe('checkAuthStartup', () => {
  const config = (env: Record<string, string>) => loadConfig({ DATA_DIR: '/tmp/x', ...env }, '/');
  const jwt = { AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_JWT_ISSUER: 'i', AUTH_JWT_AUDIENCE: 'a' };

  it('refuses production without authentication, naming what to set', () => {
    expect(() => checkAuthStartup(config({ NODE_ENV: 'production' }))).toThrow(/NODE_ENV=production and no authentication is configured.*AUTH_JWT_SECRET/);
  });
  it('keeps development mode on loopback', () => {
    expect(checkAuthStartup(config({}))).toBe('development');
    expect(() => checkAuthStartup(config({ HOST: '0.0.0.0' }))).toThrow(/only binds to localhost.*HOST=0\.0\.0\.0/);
  });
  it('enforces authentication once a JWT or API keys are configured, on any host', () => {
    expect(checkAuthStartup(config({ NODE_ENV: 'production', HOST: '0.0.0.0', ...jwt }))).toBe('enforced');
    expect(checkAuthStartup(config({ NODE_ENV: 'production', AUTH_API_KEYS: 'true' }))).toBe('enforced');
  });
  it('refuses a JWT configuration without issuer and audience, or a short secret', () => {
    expect(() => config({ AUTH_JWT_SECRET: 'x'.repeat(32) })).toThrow(/AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE are required/);
    expect(() => config({ ...jwt, AUTH_JWT_SECRET: 'short' })).toThrow(/at least 32 bytes/);
  });
});

describe('RateLimiter (token bucket per principal)', () => {
  it('allows perMinute at once, then refills over time, per principal', () => {
    let now = 0;
    const limiter = new RateLimiter(3, () => now);
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([true, true, true]);
    const refused = limiter.take('a');
    expect(refused).toEqual({ allowed: false, retryAfterMs: 20_000 });
    expect(limiter.take('b').allowed).toBe(true);
    now = 20_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });
  it('is off at 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i += 1) expect(limiter.take('a').allowed).toBe(true);
  });
});

describe('analyzeOperation', () => {
  const schema = buildSchema(`
    type Query { items(first: Int = 10): [Item!]! one: Item }
    type Item { id: String! children: [Item!]! parent: Item }
  `);
  const limits = { maxQueryDepth: 5, maxQueryCost: 1000, maxAliases: 3 };
  const analyze = (query: string, variables: Record<string, unknown> = {}) => analyzeOperation(schema, parse(query), undefined, variables, limits);

  it('measures depth, aliases and a cost that multiplies page sizes', () => {
    expect(analyze('{ one { id parent { id } } }')).toMatchObject({ depth: 3, aliases: 0, cost: 4 });
    expect(analyze('query Q($n: Int) { items(first: $n) { id } }', { n: 50 })).toMatchObject({ cost: 51 });
    expect(analyze('{ items { id } }')).toMatchObject({ cost: 11 });
    expect(analyze('{ a: one { id } b: one { id } }')).toMatchObject({ aliases: 2 });
  });
  it('expands fragments and refuses with TOO_COMPLEX past a limit', () => {
    expect(() => analyze('{ one { ...F } } fragment F on Item { parent { parent { parent { parent { id } } } } }')).toThrow(/depth 6, the limit is 5/);
    expect(() => analyze('{ a: one { id } b: one { id } c: one { id } d: one { id } }')).toThrow(/MAX_ALIASES/);
    expect(() => analyze('{ items(first: 100) { children { children { id } } } }')).toThrow(/MAX_QUERY_COST/);
  });
  it('stops a fragment bomb early instead of expanding it', () => {
    const bomb = `{ one { ...A } }
      fragment A on Item { ...B ...B ...B ...B ...B ...B ...B ...B ...B ...B }
      fragment B on Item { ...C ...C ...C ...C ...C ...C ...C ...C ...C ...C }
      fragment C on Item { ...D ...D ...D ...D ...D ...D ...D ...D ...D ...D }
      fragment D on Item { id id id id id id id id id id }`;
    const started = Date.now();
    expect(() => analyze(bomb)).toThrow(/MAX_QUERY_COST/);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
