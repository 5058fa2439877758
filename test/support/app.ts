import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '@app/runtime';
import { startServer, type RunningServer } from '../../apps/api/src/server';
import { tempDir, uniqueId } from './index';

export interface TestApp extends RunningServer {
  dataDir: string;
  env: Record<string, string>;
}

/**
 * Starts the real API in this process: real SQLite log in a temp DATA_DIR, the run's shared Neo4j,
 * a projection of its own, an ephemeral port.
 */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = overrides.DATA_DIR ?? tempDir('catalyst-e2e-');
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    NEO4J_URI: process.env.NEO4J_URI ?? '',
    PROJECTION_NAME: uniqueId('e2e'),
    LOG_LEVEL: 'silent',
    ...overrides,
  };
  const config = loadConfig(env);
  const server = await startServer(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  return { ...server, url: server.url, dataDir, env };
}

export const sqlitePathOf = (dataDir: string) => join(dataDir, 'events.sqlite');
