import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './common';
import { generateHistory } from './history-generator';

/** A generated history imported into a SQLite log, kept in a cache between runs (seeded: same size, same log). */

const CLI = join(REPO, 'dist', 'apps', 'cli', 'src', 'main.js');

/** Runs node with `argv`; wall time and the process's peak RSS (VmHWM polled every 100 ms). */
export function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; ms: number; peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
    let peak = 0;
    // VmHWM: the kernel's own peak RSS of the process, which never goes down.
    const poll = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peak = Math.max(peak, Number(match[1]) / 1024);
      } catch {
        // exited
      }
    }, 100);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve({ code, ms: performance.now() - started, peakRssMb: Math.round(peak) });
    });
  });
}

/** `maxLines`: keeps only the first lines of the generated file (the org: a log small enough for a smoke run). */
export async function prepareLog(mb: number, maxLines = Infinity): Promise<{ dataDir: string; file: string }> {
  const cache = join(process.env.CATALYST_CACHE_DIR ?? join(homedir(), '.cache', 'catalyst'), 'bench', `projector-${mb}MB${Number.isFinite(maxLines) ? `-${maxLines}lines` : ''}`);
  mkdirSync(cache, { recursive: true });
  const file = join(cache, 'history.ndjson');
  const dataDir = join(cache, 'data');
  if (!existsSync(join(cache, 'imported'))) {
    rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`generating ${mb} MB of history into ${file}\n`);
    await generateHistory(file, mb * 1024 * 1024);
    if (Number.isFinite(maxLines)) writeFileSync(file, `${readFileSync(file, 'utf8').split('\n').slice(0, maxLines).join('\n')}\n`);
    process.stderr.write('importing it\n');
    const imported = await run([CLI, 'import', 'events', file, '--batch-size', '2000'], { DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    if (imported.code !== 0 && imported.code !== 1) throw new Error(`import exited with ${imported.code}`);
    writeFileSync(join(cache, 'imported'), '');
  }
  return { dataDir, file };
}

