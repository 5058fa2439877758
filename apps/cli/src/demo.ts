import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import { demoNdjson, importNdjson, type DemoOptions } from '@app/importers';
import { loadConfig, openEventStore } from '@app/runtime';
import { EXIT, ProgressLine, type CliIo } from './import-events';

type DemoIo = Omit<CliIo, 'stdin'>;

export function parseCount(min: number) {
  return (value: string): number => {
    const count = Number(value);
    if (!Number.isInteger(count) || count < min || count > 1_000_000) throw new InvalidArgumentError(`an integer from ${min} to 1000000`);
    return count;
  };
}

export function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new InvalidArgumentError('an integer from 0 to 4294967295');
  return seed;
}

/** `catalyst demo generate`: the NDJSON history on stdout, or in --out FILE; a one-line count on stderr. */
export async function demoGenerateCommand(options: DemoOptions & { out?: string }, io: DemoIo): Promise<number> {
  const output = options.out ? createWriteStream(options.out) : io.stdout;
  let lines = 0;
  for (const line of demoNdjson(options)) {
    lines += 1;
    if (!output.write(line)) await once(output, 'drain');
  }
  if (options.out) {
    const file = output as ReturnType<typeof createWriteStream>;
    file.end();
    await once(file, 'finish');
  }
  io.stderr.write(`${JSON.stringify({ lines, people: options.people, incidents: options.incidents, seed: options.seed, out: options.out ?? 'stdout' })}\n`);
  return EXIT.ok;
}

/**
 * `catalyst demo load`: when the log of DATA_DIR is empty, generates a history and imports it through the
 * NDJSON importer (progress on a terminal, summary as JSON on stderr); a log with events is left alone.
 */
export async function demoLoadCommand(options: DemoOptions, io: DemoIo): Promise<number> {
  const config = loadConfig(io.env);
  const store = openEventStore(config);
  try {
    const existing = await store.readAll({ maxCount: 1 });
    if (existing.length > 0) {
      io.stderr.write(`demo: the log in ${config.dataDir} has events already; nothing generated\n`);
      return EXIT.ok;
    }
    const progress = io.stderr.isTTY ? new ProgressLine(io.stderr, 'demo history', null) : null;
    const summary = await importNdjson(store, Readable.from(demoNdjson(options)), { source: 'import:demo', onProgress: (current) => progress?.update(current) });
    if (progress) {
      progress.update(summary, true);
      io.stderr.write('\n');
    }
    io.stderr.write(`${JSON.stringify({ demo: options, appended: summary.appended, rejected: summary.rejected, dataDir: config.dataDir })}\n`);
    return summary.rejected > 0 ? EXIT.rejected : EXIT.ok;
  } finally {
    await store.close();
  }
}

/** `catalyst demo start`: `demo load`, then the API as `npm start` runs it, in the foreground. */
export async function demoStartCommand(options: DemoOptions, io: DemoIo): Promise<number> {
  const loaded = await demoLoadCommand(options, io);
  if (loaded !== EXIT.ok) return loaded;
  const child = spawn(process.execPath, [resolve(__dirname, '../../api/src/main.js')], { stdio: 'inherit', env: io.env });
  // Ctrl-C reaches the API itself (same process group): only keep this process alive until it has stopped.
  const onInt = () => undefined;
  const onTerm = () => child.kill('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    return code ?? (signal === 'SIGINT' ? EXIT.stopped : 1);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
