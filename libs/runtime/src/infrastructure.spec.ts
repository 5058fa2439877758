import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The EventStoreDB client (gRPC, generated protobuf code: ~6 MB of live heap) is loaded only when
 * EVENT_STORE=eventstoredb. The module registry is watched through a pass-through factory for
 * `@eventstore/db-client`: it records that the module was required and returns the real one.
 */
describe('openEventStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'catalyst-open-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function isolated(): { loaded: () => boolean; runtime: typeof import('./infrastructure') & typeof import('./config') } {
    let loaded = false;
    let runtime!: typeof import('./infrastructure') & typeof import('./config');
    jest.isolateModules(() => {
      jest.doMock('@eventstore/db-client', () => {
        loaded = true;
        return jest.requireActual('@eventstore/db-client');
      });
      runtime = { ...require('./infrastructure'), ...require('./config') };
    });
    return { loaded: () => loaded, runtime };
  }

  it('opens the SQLite log without loading the EventStoreDB client', async () => {
    const { loaded, runtime } = isolated();
    expect(loaded()).toBe(false);
    const store = runtime.openEventStore(runtime.loadConfig({ DATA_DIR: dir }, '/'));
    try {
      const appended = await store.append('open-store-1', [{ id: 'e6f1f0a2-0c1d-4f7b-9a57-3d5c1f1e0a01', type: 'PersonJoined', data: {}, metadata: {} }], {
        expectedRevision: 'no_stream',
      });
      expect(appended.nextRevision).toBe(0);
    } finally {
      await store.close();
    }
    expect(loaded()).toBe(false);
  });

  it('loads it when EVENT_STORE=eventstoredb', async () => {
    const { loaded, runtime } = isolated();
    const store = runtime.openEventStore(
      runtime.loadConfig({ DATA_DIR: dir, EVENT_STORE: 'eventstoredb', EVENTSTORE_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false' }, '/'),
    );
    expect(loaded()).toBe(true);
    await store.close();
  });
});
