// A real local Neo4j Community server without Docker: Maven resolves Neo4j + APOC into a
// cache (once per version), and tools/neo4j/Launcher.java runs an embedded DBMS with Bolt.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export type Logger = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export interface LocalNeo4j {
  uri: string;
  boltPort: number;
  pid: number;
  /** SIGTERM, wait for exit (SIGKILL after ~30 s). Idempotent. */
  stop(): Promise<void>;
  /** Resolves with the JVM's exit code (null if killed by a signal). */
  exited: Promise<number | null>;
}

export interface StartLocalNeo4jOptions {
  dataDir: string;
  /** Default 7687; 0 picks a free port. */
  boltPort?: number;
  heapMb?: number;
  pageCacheMb?: number;
  log?: Logger;
  /** Time allowed for the JVM to become ready, after artifacts are resolved. Default 120 s. */
  startTimeoutMs?: number;
}

/** pino-like JSON lines on stderr, so stdout stays free for the program's own output. */
export const consoleLogger: Logger = {
  info: (obj, msg) => writeLog(30, obj, msg),
  warn: (obj, msg) => writeLog(40, obj, msg),
  error: (obj, msg) => writeLog(50, obj, msg),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

function writeLog(level: number, obj: object, msg: string): void {
  process.stderr.write(JSON.stringify({ level, time: Date.now(), name: 'neo4j-local', ...obj, msg }) + '\n');
}

const READY_PREFIX = 'CATALYST_NEO4J_READY ';
const STOP_GRACE_MS = 30_000;

/** The directory holding package.json with name "catalyst" (works from src and from dist). */
export function findRepoRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'catalyst') return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`neo4j-local: no package.json named "catalyst" above ${start}`);
    }
  }
}

function toolDir(): string {
  return path.join(findRepoRoot(), 'tools', 'neo4j');
}

export async function resolveNeo4jArtifacts(
  opts: { cacheDir?: string; log?: Logger } = {},
): Promise<{ classpath: string; pluginsDir: string }> {
  const log = opts.log ?? consoleLogger;
  const pom = path.join(toolDir(), 'pom.xml');
  const pomText = fs.readFileSync(pom, 'utf8');
  const neo4jVersion = pomProperty(pomText, 'neo4j.version');
  const apocVersion = pomProperty(pomText, 'apoc.version');
  const cacheDir = path.resolve(
    opts.cacheDir || process.env.CATALYST_CACHE_DIR || path.join(os.homedir(), '.cache', 'catalyst', 'neo4j'),
  );
  // The pom hash re-resolves when dependencies change without a version bump.
  const pomHash = createHash('sha256').update(pomText).digest('hex').slice(0, 8);
  const target = path.join(cacheDir, `neo4j-${neo4jVersion}_apoc-${apocVersion}_${pomHash}`);

  const cached = readArtifacts(target);
  if (cached) return cached;

  fs.mkdirSync(cacheDir, { recursive: true });
  removeStaleTempDirs(target);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp);
  const started = Date.now();
  log.info({ neo4jVersion, apocVersion, cacheDir: target }, 'Resolving Neo4j and APOC with Maven (first run can take a minute)');
  try {
    const args = [
      '-B', '-q', '-Dstyle.color=never', '-f', pom,
      'dependency:build-classpath', 'dependency:copy',
      `-Dmdep.outputFile=${path.join(tmp, 'classpath.txt')}`,
      `-Dartifact=org.neo4j.procedure:apoc-core:${apocVersion}:jar:core`,
      `-DoutputDirectory=${path.join(tmp, 'plugins')}`,
    ];
    const { code, output } = await run('mvn', args);
    if (code !== 0) {
      throw new Error(
        `neo4j-local: Maven could not resolve Neo4j ${neo4jVersion} / APOC ${apocVersion} (mvn exited with ${code}). ` +
          `Check that Maven Central (https://repo.maven.apache.org) is reachable and that \`mvn -v\` works.\n` +
          `--- mvn output (tail) ---\n${tail(output, 4000)}`,
      );
    }
    if (!readArtifacts(tmp)) throw new Error(`neo4j-local: mvn succeeded but left no classpath/APOC jar in ${tmp}`);
    if (fs.existsSync(target)) fs.rmSync(target, { recursive: true, force: true }); // stale (e.g. ~/.m2 wiped)
    try {
      fs.renameSync(tmp, target);
    } catch (e) {
      // Another process finished first: use its copy.
      if (!readArtifacts(target)) throw e;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const resolved = readArtifacts(target);
  if (!resolved) throw new Error(`neo4j-local: artifact cache ${target} is incomplete after resolution`);
  log.info({ cacheDir: target, elapsedMs: Date.now() - started }, 'Resolved Neo4j artifacts');
  return resolved;
}

function pomProperty(pom: string, name: string): string {
  const m = new RegExp(`<${name.replace(/\./g, '\\.')}>\\s*([^<\\s]+)\\s*</`).exec(pom);
  if (!m) throw new Error(`neo4j-local: <${name}> missing from tools/neo4j/pom.xml`);
  return m[1];
}

/** A complete cache entry, or null. Checks the jars too: the classpath points into ~/.m2. */
function readArtifacts(dir: string): { classpath: string; pluginsDir: string } | null {
  try {
    const classpath = fs.readFileSync(path.join(dir, 'classpath.txt'), 'utf8').trim();
    const pluginsDir = path.join(dir, 'plugins');
    const entries = classpath.split(path.delimiter).filter(Boolean);
    if (entries.length === 0 || !entries.every((p) => fs.existsSync(p))) return null;
    if (!fs.readdirSync(pluginsDir).some((f) => f.endsWith('.jar'))) return null;
    return { classpath, pluginsDir };
  } catch {
    return null;
  }
}

/** Temp dirs of resolutions whose process is gone (killed mid-download). */
function removeStaleTempDirs(target: string): void {
  const prefix = `${path.basename(target)}.tmp-`;
  for (const name of fs.readdirSync(path.dirname(target))) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!isAlive(pid)) fs.rmSync(path.join(path.dirname(target), name), { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs a command, collecting stdout+stderr interleaved (Maven prints its errors on stdout). */
function run(cmd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (b: Buffer) => (output = tail(output + b.toString('utf8'), 64_000));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'ENOENT'
          ? new Error(`neo4j-local: \`${cmd}\` not found on PATH; install Maven 3.6+ (check with \`mvn -v\`)`)
          : e,
      ),
    );
    child.on('close', (code) => resolve({ code, output }));
  });
}

function tail(s: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/\x1b\[[0-9;]*m/g, '');
  return clean.length > max ? clean.slice(clean.length - max) : clean;
}

export async function startLocalNeo4j(opts: StartLocalNeo4jOptions): Promise<LocalNeo4j> {
  const log = opts.log ?? consoleLogger;
  const dataDir = path.resolve(opts.dataDir);
  const heapMb = opts.heapMb ?? 1024;
  const pageCacheMb = opts.pageCacheMb ?? 512;
  const startTimeoutMs = opts.startTimeoutMs ?? 120_000;
  const requested = opts.boltPort ?? 7687;

  if (requested !== 0) await assertPortFree(requested); // fail fast, before a slow resolution
  const { classpath, pluginsDir } = await resolveNeo4jArtifacts({ log });
  const boltPort = requested === 0 ? await freePort() : requested;
  fs.mkdirSync(dataDir, { recursive: true });

  const started = Date.now();
  log.info({ boltPort, dataDir, heapMb, pageCacheMb }, 'Starting local Neo4j');
  const javaBin = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const args = [
    `-Xms${Math.min(heapMb, 256)}m`,
    `-Xmx${heapMb}m`,
    '-XX:+ExitOnOutOfMemoryError',
    // The JVM flags Neo4j's own launcher uses, so the page cache can use direct buffers.
    '--add-opens=java.base/java.nio=ALL-UNNAMED',
    '--add-opens=java.base/java.io=ALL-UNNAMED',
    '--add-opens=java.base/sun.nio.ch=ALL-UNNAMED',
    '-Dio.netty.tryReflectionSetAccessible=true',
    '-Dlog4j2.disable.jmx=true',
    // APOC must also be on the classpath: its extension factories are found via ServiceLoader.
    '-cp', [classpath, path.join(pluginsDir, '*')].join(path.delimiter),
    path.join(toolDir(), 'Launcher.java'),
    '--home', dataDir,
    '--port', String(boltPort),
    '--plugins', pluginsDir,
    '--page-cache-mb', String(pageCacheMb),
  ];
  // stdin stays an open pipe we never write to: its EOF tells the JVM that we died.
  // cwd = dataDir so a JVM crash file (hs_err_pid*.log) lands next to the data.
  const child = spawn(javaBin, args, { cwd: dataDir, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.on('error', () => {}); // never written; ignore EPIPE noise when the JVM dies
  const logFile = path.join(dataDir, 'logs', 'debug.log');
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr = tail(stderr + b.toString('utf8'), 16_000)));

  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      process.off('exit', killOnExit);
      resolve(code);
    });
  });

  try {
    await waitUntilReady(child, boltPort, startTimeoutMs, exited);
  } catch (e) {
    killOnExit();
    process.off('exit', killOnExit);
    if (child.pid !== undefined) await exited; // no 'exit' event when spawn itself failed
    throw startError(e as Error, boltPort, stderr, logFile, javaBin);
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        log.warn({ pid: child.pid, graceMs: STOP_GRACE_MS }, 'Neo4j did not stop in time; killing it');
        child.kill('SIGKILL');
      }, STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    })());

  void exited.then((code) => {
    if (!stopping) log.error({ code, logFile, stderr: tail(stderr, 2000) }, 'Local Neo4j exited unexpectedly');
  });

  const uri = `bolt://127.0.0.1:${boltPort}`;
  log.info({ uri, pid: child.pid, dataDir, elapsedMs: Date.now() - started }, 'Local Neo4j started');
  return { uri, boltPort, pid: child.pid as number, stop, exited };
}

function waitUntilReady(child: ChildProcess, port: number, timeoutMs: number, exited: Promise<number | null>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`did not become ready within ${timeoutMs} ms`)), timeoutMs);
    child.on('error', (e) => finish(e));
    void exited.then((code) => finish(new Error(`JVM exited (code ${code}) before it was ready`)));

    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      if (settled) return; // keep draining stdout; only the first READY line matters
      out += b.toString('utf8');
      if (!out.split('\n').some((l) => l.startsWith(READY_PREFIX))) return;
      const deadline = Date.now() + 10_000;
      const probe = () =>
        canConnect(port).then((ok) => {
          if (ok) finish();
          else if (Date.now() > deadline) finish(new Error(`READY was printed but 127.0.0.1:${port} refuses connections`));
          else setTimeout(probe, 100);
        });
      void probe();
      out = '';
    });
  });
}

function startError(e: Error & { code?: string }, port: number, stderr: string, logFile: string, javaBin: string): Error {
  if (e.code === 'ENOENT') {
    return new Error(`neo4j-local: \`${javaBin}\` not found; install a JDK 17 or 21 or set JAVA_HOME`);
  }
  if (/Address already in use|BindException/.test(stderr)) return portInUse(port);
  return new Error(
    `neo4j-local: Neo4j failed to start: ${e.message}.\n` +
      `Neo4j log: ${logFile}\n--- JVM stderr (tail) ---\n${tail(stderr, 4000) || '(empty)'}`,
  );
}

function portInUse(port: number): Error {
  return new Error(
    `neo4j-local: Bolt port ${port} on 127.0.0.1 is already in use (another Neo4j?). ` +
      `Stop it, set NEO4J_BOLT_PORT to another port (0 = any free port), ` +
      `or set NEO4J_URI to use that server instead of starting one.`,
  );
}

function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE' ? portInUse(port) : e));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve()));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host: '127.0.0.1' });
    sock.setTimeout(2000);
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('timeout', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', () => resolve(false));
  });
}
