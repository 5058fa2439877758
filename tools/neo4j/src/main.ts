// Standalone runner: `node dist/tools/neo4j/src/main.js` keeps a local Neo4j in the foreground.
// Env: DATA_DIR (default ./data; the store goes to <DATA_DIR>/neo4j), NEO4J_BOLT_PORT (default
// 7687, 0 = any free port), NEO4J_HEAP_MB, NEO4J_PAGECACHE_MB.
import * as path from 'node:path';
import { consoleLogger, startLocalNeo4j, type Logger } from './index';

/** Runs until SIGINT/SIGTERM (or until the JVM dies); resolves with a process exit code. */
export async function runNeo4jForeground(env: NodeJS.ProcessEnv = process.env, log: Logger = consoleLogger): Promise<number> {
  const dataDir = path.resolve(env.DATA_DIR || './data', 'neo4j');
  const boltPort = intEnv(env, 'NEO4J_BOLT_PORT', 7687);
  const server = await startLocalNeo4j({
    dataDir,
    boltPort,
    heapMb: intEnv(env, 'NEO4J_HEAP_MB', 1024),
    pageCacheMb: intEnv(env, 'NEO4J_PAGECACHE_MB', 512),
    log,
  });
  process.stdout.write(`${server.uri}\n`);

  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    log.info({ signal }, 'Stopping local Neo4j');
    void server.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const code = await server.exited;
    return signalled ? 0 : code || 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function intEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

if (require.main === module) {
  runNeo4jForeground().then(
    (code) => (process.exitCode = code),
    (err: Error) => {
      consoleLogger.error({ err: err.message }, 'Local Neo4j failed');
      process.exitCode = 1;
    },
  );
}
