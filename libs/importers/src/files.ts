import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The files of a path that an import reads: the path itself when it is a file, or every file under
 * a directory whose name `accept` takes, recursively, in name order (so an import is repeatable).
 */
export async function filesUnder(path: string, accept: (name: string) => boolean): Promise<string[]> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${path}: ${error.code ?? error.message}`);
  });
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full, accept)));
    else if (accept(entry.name)) found.push(full);
  }
  return found;
}
