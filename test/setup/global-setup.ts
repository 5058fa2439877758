import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleLogger, startLocalNeo4j, type LocalNeo4j } from '../../tools/neo4j/src';

declare global {
  var __CATALYST_NEO4J__: LocalNeo4j | undefined;
}

/** Starts one local Neo4j for the whole run (unless NEO4J_URI points at one, or only unit tests run). */
export default async function globalSetup(): Promise<void> {
  const selected = selectedProjects(process.argv);
  const needsNeo4j = !selected || selected.some((name) => name === 'int' || name === 'e2e');
  if (!needsNeo4j || process.env.NEO4J_URI) return;
  const dataDir = mkdtempSync(join(tmpdir(), 'catalyst-test-neo4j-'));
  const neo4j = await startLocalNeo4j({ dataDir, boltPort: 0, heapMb: 1024, pageCacheMb: 256, log: consoleLogger });
  globalThis.__CATALYST_NEO4J__ = neo4j;
  process.env.NEO4J_URI = neo4j.uri;
  process.env.CATALYST_TEST_NEO4J_STARTED = '1';
}

/** The names after `--selectProjects` on Jest's command line, or null when every project runs. */
function selectedProjects(argv: string[]): string[] | null {
  const at = argv.indexOf('--selectProjects');
  if (at < 0) return null;
  const names: string[] = [];
  for (const arg of argv.slice(at + 1)) {
    if (arg.startsWith('-')) break;
    names.push(arg);
  }
  return names;
}
