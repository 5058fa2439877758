import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { SignJWT } from 'jose';
import { chromium, type Browser, type Page } from 'playwright-core';
import { demoNdjson, generateDemoHistory, importNdjson, type DemoOptions } from '@app/importers';
import { startDedicatedNeo4j, type DedicatedNeo4j } from '../libs/graph/src/analytics/testing/harness';
import { ReferenceAnalytics } from '../libs/graph/src/analytics/testing/reference';
import type { AnalysisOptions } from '../libs/graph/src/analytics/types';
import { startTestApp, type TestApp } from '@test/support/app';
import { gqlOk } from '@test/support/graphql';

/**
 * The web page in headless Chromium (Debian's chromium, driven by playwright-core, which downloads
 * no browser: CHROMIUM_PATH or /usr/bin/chromium) over the demo dataset `npm run demo` loads, in a
 * Neo4j of its own so that the whole-org views hold exactly that organisation. Every count the page
 * shows is checked against the reference implementation of the analyses (plain TypeScript over the
 * same generated events, sharing nothing with the page or the Cypher). Screenshots are saved to
 * reports/web-ui*.png.
 */
// Browser globals used inside page.evaluate (this file compiles without the DOM library).
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number } & Iterable<{ width: number; height: number }>;
};
declare const window: unknown;

const DEMO: DemoOptions = { people: 60, incidents: 500, seed: 1 }; // the defaults of `catalyst demo`
const REPORTS = resolve(__dirname, '..', 'reports');
const SECRET = 'web-ui-test-secret-that-is-at-least-32-bytes';

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((x): x is string => Boolean(x));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`No Chromium found (tried ${candidates.join(', ')}): install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH`);
  return found;
}

interface Expected {
  theory: { teams: number; people: number; services: number; extraMemberships: number };
  practice: { teams: number; people: number; responseEdges: number; outsiderEdges: number; collaborationEdges: number; hiddenCouplings: number; heroes: number };
  rows: { heroes: number; kept: number; debt: number; drift: number };
  firstHero: { id: string; name: string | null };
}

async function expectedFrom(reference: ReferenceAnalytics, window: AnalysisOptions['window'], asOf: string): Promise<Expected> {
  const options: AnalysisOptions = { window };
  const [tree, edges, collaboration, delta] = await Promise.all([
    reference.orgTree(asOf),
    reference.responseEdges({ ...options, limit: 2000 }),
    reference.teamCollaboration(options),
    reference.orgDelta(options),
  ]);
  const memberships = tree.reduce((n, t) => n + t.members.length, 0);
  const people = new Set(tree.flatMap((t) => t.members.map((m) => m.person.id))).size;
  const heroIds = new Set(delta.heroes.map((h) => h.person.id));
  const responders = new Set(edges.map((e) => e.person.id));
  return {
    theory: { teams: tree.length, people, services: tree.reduce((n, t) => n + t.services.length, 0), extraMemberships: memberships - people },
    practice: {
      teams: new Set([...edges.map((e) => e.team.id), ...collaboration.flatMap((c) => [c.teamA.id, c.teamB.id])]).size,
      people: responders.size,
      responseEdges: edges.length,
      outsiderEdges: edges.filter((e) => e.outsiderIncidents > 0).length,
      collaborationEdges: collaboration.length,
      hiddenCouplings: collaboration.filter((c) => c.orgDistance === null || c.orgDistance >= 3).length,
      heroes: [...heroIds].filter((id) => responders.has(id)).length,
    },
    rows: {
      heroes: delta.heroes.length,
      kept: delta.servicesKeptByOutsiders.length,
      debt: delta.actionItemDebt.length,
      drift: delta.onCallDrift.incidents.length,
    },
    firstHero: delta.heroes[0].person,
  };
}

/** What the page shows: its counts, its tables' rows and what the two Cytoscape instances hold. */
async function shown(page: Page) {
  return page.evaluate(() => {
    const count = (key: string) => Number(document.querySelector(`[data-count="${key}"]`)?.textContent);
    const rows = (id: string) => document.querySelectorAll(`#${id} tbody tr:not(.empty)`).length;
    const ui = (window as unknown as { catalystUi: Record<'theory' | 'practice', import('cytoscape').Core> }).catalystUi;
    const canvases = (id: string) => [...document.querySelectorAll(`#${id} canvas`)].filter((c) => c.width > 0 && c.height > 0).length;
    return {
      theory: { teams: count('theory.teams'), people: count('theory.people'), services: count('theory.services'), extraMemberships: count('theory.extraMemberships') },
      practice: {
        teams: count('practice.teams'),
        people: count('practice.people'),
        responseEdges: count('practice.responseEdges'),
        outsiderEdges: count('practice.outsiderEdges'),
        collaborationEdges: count('practice.collaborationEdges'),
        hiddenCouplings: count('practice.hiddenCouplings'),
        heroes: count('practice.heroes'),
      },
      rows: { heroes: rows('heroes'), kept: rows('kept'), debt: rows('debt'), drift: rows('drift') },
      graph: {
        theory: {
          teams: ui.theory.nodes('.team').length,
          people: ui.theory.nodes('.person').length,
          services: ui.theory.nodes('.service').length,
          edges: ui.theory.edges().length,
          heroes: ui.theory.nodes('.hero').length,
          canvases: canvases('theory-graph'),
        },
        practice: {
          teams: ui.practice.nodes('.team').length,
          people: ui.practice.nodes('.person').length,
          responseEdges: ui.practice.edges('.responded').length,
          outsiderEdges: ui.practice.edges('.responded.outsider').length,
          collaborationEdges: ui.practice.edges('.shared').length,
          hiddenCouplings: ui.practice.edges('.shared.hidden').length,
          heroes: ui.practice.nodes('.hero').length,
          canvases: canvases('practice-graph'),
        },
      },
    };
  });
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('body[data-state="ready"], body[data-state="error"], body[data-state="signin"]', { timeout: 60_000 });
  const state = await page.getAttribute('body', 'data-state');
  if (state !== 'ready') throw new Error(`the page is ${state}: ${await page.textContent('#status')}`);
}

function check(seen: Awaited<ReturnType<typeof shown>>, expected: Expected): void {
  expect(seen.theory).toEqual(expected.theory);
  expect(seen.practice).toEqual(expected.practice);
  expect(seen.rows).toEqual(expected.rows);
  // The graphs hold what the captions say, drawn on real canvases.
  expect(seen.graph.theory).toMatchObject({ teams: expected.theory.teams, people: expected.theory.people, services: expected.theory.services, edges: expected.theory.extraMemberships });
  expect(seen.graph.practice).toMatchObject(expected.practice);
  expect(seen.graph.theory.canvases).toBeGreaterThan(0);
  expect(seen.graph.practice.canvases).toBeGreaterThan(0);
}

describe('web page: the org in theory beside the org in practice (headless Chromium, demo dataset)', () => {
  let neo: DedicatedNeo4j;
  let app: TestApp;
  let browser: Browser;
  let base: string;
  let reference: ReferenceAnalytics;

  beforeAll(async () => {
    mkdirSync(REPORTS, { recursive: true });
    browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    neo = await startDedicatedNeo4j();
    await neo.driver.executeQuery('MATCH (n) DETACH DELETE n');
    app = await startTestApp({ NEO4J_URI: neo.server.uri });
    base = app.url.replace(/\/graphql$/, '');
    // What `npm run demo` loads: the generated history through the NDJSON importer.
    const summary = await importNdjson(app.infrastructure.store, Readable.from(demoNdjson(DEMO)), { source: 'import:demo' });
    expect(summary.rejected).toBe(0);
    reference = new ReferenceAnalytics(generateDemoHistory(DEMO).map((line) => ({ type: line.type, data: line.data })));
    for (let waited = 0; ; waited += 500) {
      const { projection } = await gqlOk<{ projection: { lag: string; lastError: { message: string } | null } }>(app.url, '{ projection { lag lastError { message } } }');
      if (projection.lastError) throw new Error(`projection failed: ${projection.lastError.message}`);
      if (projection.lag === '0') break;
      if (waited > 240_000) throw new Error(`projection still ${projection.lag} events behind after 240 s`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await neo?.stop();
  });

  it('serves the page and its bundle from the API, with a strict CSP and no third-party origin', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-powered-by')).toBeNull();
    const html = await page.text();
    expect(html).toContain('<script src="/ui/app.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${base}/ui/app.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${base}/ui/missing.js`)).status).toBe(404);
  });

  it('shows both views and the report with the counts of the demo organisation; links select in both graphs', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1300 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const consoleErrors: string[] = [];
    page.on('console', (message) => (message.type() === 'error' ? consoleErrors.push(message.text()) : undefined));
    await page.goto(`${base}/`);
    await waitReady(page);
    // Development mode (no authentication configured): no token asked for.
    expect(await page.isVisible('#token-form')).toBe(false);

    const expected = await expectedFrom(reference, { from: null, to: null }, new Date().toISOString());
    // The demo organisation is not trivial: every highlight has something to show.
    expect(expected.theory.teams).toBeGreaterThan(3);
    expect(expected.practice.outsiderEdges).toBeGreaterThan(0);
    expect(expected.practice.hiddenCouplings).toBeGreaterThan(0);
    expect(expected.rows.heroes).toBe(10);
    expect(expected.rows.kept).toBeGreaterThan(0);
    check(await shown(page), expected);
    await page.screenshot({ path: join(REPORTS, 'web-ui.png'), fullPage: true });

    // A hero's link in the table selects that person in both graphs.
    await page.click(`#heroes a[data-ref="${expected.firstHero.id}"]`);
    await expect(page.getAttribute('#selection', 'data-selected')).resolves.toBe(`person:${expected.firstHero.id}`);
    const selected = await page.evaluate(() => {
      const ui = (window as unknown as { catalystUi: Record<'theory' | 'practice', import('cytoscape').Core> }).catalystUi;
      return { theory: ui.theory.$(':selected').map((n) => n.id()), practice: ui.practice.$(':selected').map((n) => n.id()) };
    });
    expect(selected).toEqual({ theory: [`person:${expected.firstHero.id}`], practice: [`person:${expected.firstHero.id}`] });
    expect(await page.textContent('#heroes tbody tr:first-child td:first-child')).toBe(expected.firstHero.name);

    // Only the API's own origin was asked, and only POST /graphql for data.
    expect(requests.every((url) => url.startsWith(base))).toBe(true);
    expect(requests.filter((url) => url.endsWith('/graphql'))).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('re-queries the API for a window and for an instant, and says which control is wrong', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1300 } });
    await page.goto(`${base}/`);
    await waitReady(page);

    // A quarter of the demo year: the org as of its end (asOf follows `to` unless set).
    await page.fill('input[name="from"]', '2025-04-01');
    await page.fill('input[name="to"]', '2025-07-01');
    await page.click('#controls button[type="submit"]');
    await waitReady(page);
    const quarter = { from: '2025-04-01T00:00:00.000Z', to: '2025-07-01T00:00:00.000Z' };
    const expectedQuarter = await expectedFrom(reference, quarter, quarter.to);
    check(await shown(page), expectedQuarter);
    expect(new URL(page.url()).search).toBe('?from=2025-04-01&to=2025-07-01');
    await page.screenshot({ path: join(REPORTS, 'web-ui-quarter.png'), fullPage: true });

    // The org in theory early in the year: fewer people had joined.
    await page.fill('input[name="asOf"]', '2025-01-20T12:00');
    await page.click('#controls button[type="submit"]');
    await waitReady(page);
    const early = await expectedFrom(reference, quarter, '2025-01-20T12:00:00.000Z');
    check(await shown(page), early);
    expect(await page.textContent('#as-of-shown')).toBe('2025-01-20T12:00:00Z');

    // A link keeps the controls: a new tab on the same URL shows the same counts.
    const again = await browser.newPage({ viewport: { width: 1600, height: 1300 } });
    await again.goto(page.url());
    await waitReady(again);
    check(await shown(again), early);
    await again.close();

    // A window that ends before it starts is refused before anything is asked.
    await page.fill('input[name="from"]', '2025-07-01');
    await page.fill('input[name="to"]', '2025-04-01');
    await page.click('#controls button[type="submit"]');
    await expect(page.getAttribute('body', 'data-state')).resolves.toBe('error');
    expect(await page.textContent('#status')).toBe('to must not be before from');
    expect(await page.getAttribute('input[name="to"]', 'aria-invalid')).toBe('true');
    await page.close();
  });

  it('respects authentication: no token, no data; an analyst token shows the same views', async () => {
    await app.close();
    // The same log and projection, now behind JWT authentication.
    app = await startTestApp({
      DATA_DIR: app.dataDir,
      PROJECTION_NAME: app.env.PROJECTION_NAME,
      NEO4J_URI: neo.server.uri,
      AUTH_JWT_SECRET: SECRET,
      AUTH_JWT_ISSUER: 'https://issuer.web-ui.test',
      AUTH_JWT_AUDIENCE: 'catalyst-web-ui',
    });
    base = app.url.replace(/\/graphql$/, '');
    const sign = (role: string) =>
      new SignJWT({ role })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(`web-${role}`)
        .setIssuer('https://issuer.web-ui.test')
        .setAudience('catalyst-web-ui')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(SECRET));

    const page = await browser.newPage({ viewport: { width: 1600, height: 1300 } });
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-state="signin"]');
    expect(await page.textContent('#status')).toContain('Authentication required');
    expect(await page.isVisible('#token-form')).toBe(true);

    // A viewer may read the org tree but not the analyses: the page says what is missing.
    await page.fill('#token', await sign('viewer'));
    await page.click('#token-form button[type="submit"]');
    await page.waitForSelector('body[data-state="signin"]');
    expect(await page.textContent('#status')).toContain('requires role analyst');

    await page.fill('#token', await sign('analyst'));
    await page.click('#token-form button[type="submit"]');
    await waitReady(page);
    expect(await page.isVisible('#token-form')).toBe(false);
    check(await shown(page), await expectedFrom(reference, { from: null, to: null }, new Date().toISOString()));
    // The token lives in this tab's sessionStorage only, never in the URL.
    expect(page.url()).not.toContain('ey');
    await page.close();
  });
});
