import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { isRole, ROLES, type Role } from './roles';

/** What `keys list` shows: never the key, never its hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

export class ApiKeyInputError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'ApiKeyInputError';
  }
}

const KEY_FORMAT = /^ck_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const NAME_FORMAT = /^[\w .:@-]{1,100}$/;
const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * API keys for services, in a SQLite file beside the event log (DATA_DIR/keys.sqlite).
 * A key is `ck_<id>_<secret>`: the id finds the row, the secret (256 random bits) is checked against
 * its SHA-256 hash in constant time. The key itself is shown once, at creation, and never stored.
 */
export class ApiKeyStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS api_keys (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      role TEXT NOT NULL,
      hash BLOB NOT NULL,
      created_at TEXT NOT NULL,
      revoked_at TEXT
    )`);
  }

  create(name: string, role: string): { key: string; info: ApiKeyInfo } {
    if (!NAME_FORMAT.test(name)) throw new ApiKeyInputError('name', 'format', 'must be 1..100 characters of letters, digits, space, _ . : @ -');
    if (!isRole(role)) throw new ApiKeyInputError('role', 'isRole', `must be one of ${ROLES.join(', ')}, got "${role}"`);
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const createdAt = new Date().toISOString();
    this.db.prepare('INSERT INTO api_keys (id, name, role, hash, created_at) VALUES (?, ?, ?, ?, ?)').run(id, name, role, sha256(secret), createdAt);
    return { key: `ck_${id}_${secret}`, info: { id, name, role, createdAt, revokedAt: null } };
  }

  list(): ApiKeyInfo[] {
    const rows = this.db.prepare('SELECT id, name, role, created_at, revoked_at FROM api_keys ORDER BY created_at, id').all() as {
      id: string;
      name: string;
      role: Role;
      created_at: string;
      revoked_at: string | null;
    }[];
    return rows.map((row) => ({ id: row.id, name: row.name, role: row.role, createdAt: row.created_at, revokedAt: row.revoked_at }));
  }

  /** True when the key existed and was live; revoking twice changes nothing. */
  revoke(id: string): boolean {
    return this.db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(new Date().toISOString(), id).changes === 1;
  }

  /** The key's holder, or null for anything that is not a live key of this store. */
  verify(key: string): ApiKeyInfo | null {
    const match = KEY_FORMAT.exec(key);
    if (!match) return null;
    const row = this.db.prepare('SELECT id, name, role, hash, created_at, revoked_at FROM api_keys WHERE id = ?').get(match[1]) as
      | { id: string; name: string; role: string; hash: Buffer; created_at: string; revoked_at: string | null }
      | undefined;
    const candidate = sha256(match[2]);
    // Compare even when the id is unknown, so timing does not tell ids apart.
    const expected = row?.hash ?? sha256('');
    const equal = expected.length === candidate.length && timingSafeEqual(expected, candidate);
    if (!row || !equal || row.revoked_at !== null || !isRole(row.role)) return null;
    return { id: row.id, name: row.name, role: row.role, createdAt: row.created_at, revokedAt: null };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

export const looksLikeApiKey = (credential: string) => credential.startsWith('ck_');
