import { startTestApp, type TestApp } from '@test/support/app';

/** POSTs `{ __typename }` over a kept-alive connection (fetch reuses them) and returns the Keep-Alive header. */
async function keepAliveHeader(url: string): Promise<string | null> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ data: { __typename: 'Query' } });
  return response.headers.get('keep-alive');
}

describe('HTTP connections (keep-alive above load balancers idle timeouts)', () => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('keeps an idle connection open for HTTP_KEEP_ALIVE_TIMEOUT_MS, and says so in Keep-Alive', async () => {
    app = await startTestApp({ HTTP_KEEP_ALIVE_TIMEOUT_MS: '7000' });
    expect(await keepAliveHeader(app.url)).toBe('timeout=7');
    const server = app.app.getHttpServer();
    expect(server.keepAliveTimeout).toBe(7000);
    expect(server.headersTimeout).toBe(8000);
  });

  it('keeps it 65 s by default, longer than the 60 s of AWS ALB', async () => {
    app = await startTestApp();
    expect(await keepAliveHeader(app.url)).toBe('timeout=65');
  });
});
