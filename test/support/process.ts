import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const REPO_ROOT = join(__dirname, '..', '..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: string[];
}

/**
 * Runs the built API (`node dist/apps/api/src/main.js`) as its own process, the way `npm start`
 * does, and resolves with the URL it logs once it serves.
 */
export function spawnServer(env: Record<string, string>, timeoutMs = 120_000): Promise<ServerProcess> {
  const main = join(REPO_ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [main], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${output.slice(-20).join('\n')}`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal}):\n${output.slice(-20).join('\n')}`));
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      try {
        const entry = JSON.parse(line) as { url?: string; msg?: string };
        if (entry.url && entry.msg?.startsWith('Catalyst is serving')) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ child, url: entry.url, output });
        }
      } catch {
        // not a log line
      }
    });
  });
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
