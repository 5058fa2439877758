import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import neo4j from 'neo4j-driver';
import { findRepoRoot, silentLogger, startLocalNeo4j } from './index';

const TIMEOUT = 180_000;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // An orphan that exited but was not reaped yet (zombie) counts as gone.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function waitForDeath(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return !isAlive(pid);
}

describe('local Neo4j', () => {
  const tmpDirs: string[] = [];
  const strayPids: number[] = [];
  const tmpDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-neo4j-'));
    tmpDirs.push(dir);
    return dir;
  };

  afterAll(() => {
    for (const pid of strayPids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'serves Bolt with APOC, then stops and leaves no JVM behind',
    async () => {
      const server = await startLocalNeo4j({ dataDir: tmpDir(), boltPort: 0, log: silentLogger });
      strayPids.push(server.pid);
      expect(server.uri).toBe(`bolt://127.0.0.1:${server.boltPort}`);

      const driver = neo4j.driver(server.uri);
      try {
        const one = await driver.executeQuery('RETURN 1 AS x');
        expect(one.records[0].get('x').toNumber()).toBe(1);
        const apoc = await driver.executeQuery('RETURN apoc.version() AS v');
        expect(apoc.records[0].get('v')).toMatch(/^5\.26\./);
      } finally {
        await driver.close();
      }

      await server.stop();
      await server.stop(); // idempotent
      await server.exited;
      expect(isAlive(server.pid)).toBe(false);
    },
    TIMEOUT,
  );

  it(
    'the JVM exits on its own when its Node parent is SIGKILLed',
    async () => {
      // The child loads index.ts by transpiling it on the fly (no ts-node in this repo).
      const indexTs = path.join(__dirname, 'index.ts');
      const script = `
        const ts = require('typescript'), fs = require('fs'), path = require('path'), Module = require('module');
        const file = process.argv[1];
        const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
          compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
        }).outputText;
        const m = new Module(file, module);
        m.filename = file;
        m.paths = Module._nodeModulePaths(path.dirname(file));
        m._compile(js, file);
        m.exports.startLocalNeo4j({ dataDir: process.argv[2], boltPort: 0, log: m.exports.silentLogger })
          .then((s) => process.stdout.write('STARTED ' + s.pid + '\\n'), (e) => { console.error(e); process.exit(2); });
      `;
      const parent = spawn(process.execPath, ['-e', script, indexTs, tmpDir()], {
        cwd: findRepoRoot(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      parent.stderr.on('data', (b: Buffer) => (stderr += b.toString()));

      const jvmPid = await new Promise<number>((resolve, reject) => {
        let out = '';
        parent.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /STARTED (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        parent.on('exit', (code) => reject(new Error(`parent exited early (${code}): ${stderr}`)));
      });
      strayPids.push(jvmPid);
      expect(isAlive(jvmPid)).toBe(true);

      parent.kill('SIGKILL');
      expect(await waitForDeath(jvmPid, 30_000)).toBe(true);
    },
    TIMEOUT,
  );
});
