import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ChildAppend {
  ids: string[];
  positions: string[];
}

/** A second OS process appending to the same SQLite file (see append-child.js). */
export interface ChildWriter {
  readonly process: ChildProcess;
  /** Every append the child reported as committed, in order. */
  readonly reported: ChildAppend[];
  /** Settles when the child exits: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Resolves once the child has reported at least `count` appends. */
  reportedAtLeast(count: number): Promise<void>;
}

export function startChildWriter(options: { file: string; streamId: string; appends: number; batchSize?: number; pauseMs?: number }): ChildWriter {
  const child = spawn(process.execPath, [join(__dirname, 'append-child.js'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reported: ChildAppend[] = [];
  const waiters: { count: number; resolve(): void }[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (line === 'done') return;
    reported.push(JSON.parse(line) as ChildAppend);
    for (const waiter of waiters.filter((w) => reported.length >= w.count)) waiter.resolve();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return {
    process: child,
    reported,
    exited,
    reportedAtLeast(count) {
      if (reported.length >= count) return Promise.resolve();
      const reached = new Promise<void>((resolve) => waiters.push({ count, resolve }));
      const died = exited.then(({ code, signal, stderr: err }) => {
        if (reported.length < count) throw new Error(`child exited (${code ?? signal}) after ${reported.length} of ${count} appends: ${err}`);
      });
      return Promise.race([reached, died]);
    },
  };
}
