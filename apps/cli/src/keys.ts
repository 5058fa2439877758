import type { Command } from 'commander';
import { loadConfig } from '@app/runtime';
import { ApiKeyInputError, ApiKeyStore } from '../../api/src/auth/api-keys';
import { ROLES } from '../../api/src/auth/roles';

interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Runs `fn` on the key store of DATA_DIR (keys.sqlite beside the event log); exit code 2 for bad input. */
function withStore(io: Io, fn: (store: ApiKeyStore) => number): number {
  const store = new ApiKeyStore(loadConfig(io.env).auth.keysPath);
  try {
    return fn(store);
  } catch (error) {
    if (error instanceof ApiKeyInputError) {
      io.stderr.write(`catalyst keys: ${error.message} (rule ${error.rule})\n`);
      return 2;
    }
    throw error;
  } finally {
    store.close();
  }
}

export function createKeyCommand(options: { name: string; role: string }, io: Io): number {
  return withStore(io, (store) => {
    const { key, info } = store.create(options.name, options.role);
    io.stdout.write(`${JSON.stringify({ ...info, key })}\n`);
    io.stderr.write('The key is shown once and only its hash is stored: keep it now. Send it as X-API-Key or Authorization: Bearer.\n');
    return 0;
  });
}

export function listKeysCommand(io: Io): number {
  return withStore(io, (store) => {
    for (const info of store.list()) io.stdout.write(`${JSON.stringify(info)}\n`);
    return 0;
  });
}

export function revokeKeyCommand(id: string, io: Io): number {
  return withStore(io, (store) => {
    if (store.revoke(id)) {
      io.stdout.write(`${JSON.stringify({ id, revoked: true })}\n`);
      return 0;
    }
    io.stderr.write(`catalyst keys: no live key with id ${id}\n`);
    return 1;
  });
}

/** `catalyst keys create|list|revoke`: API keys for services (the server accepts them with AUTH_API_KEYS=true or a JWT configured). */
export function registerKeysCommand(program: Command, io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): void {
  const keys = program.command('keys').description('API keys for services, stored hashed in DATA_DIR/keys.sqlite');
  keys
    .command('create')
    .description('create a key and print it once, as JSON with its id')
    .requiredOption('--name <name>', 'who or what uses the key')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .action((options: { name: string; role: string }) => {
      process.exitCode = createKeyCommand(options, io);
    });
  keys
    .command('list')
    .description('print every key (id, name, role, createdAt, revokedAt) as NDJSON; never the key itself')
    .action(() => {
      process.exitCode = listKeysCommand(io);
    });
  keys
    .command('revoke')
    .description('revoke a key by id; it is refused from the next request on')
    .argument('<id>', 'the id printed by create or list')
    .action((id: string) => {
      process.exitCode = revokeKeyCommand(id, io);
    });
}
