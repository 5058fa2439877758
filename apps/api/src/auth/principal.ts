import type { Role } from './roles';

/** Who is calling: becomes `metadata.actor` of every event the request appends. */
export interface Principal {
  /** jwt: `sub`; api key: `key:<id>`; development mode: `anonymous`. */
  id: string;
  role: Role;
  kind: 'jwt' | 'api-key' | 'development';
}

/** Development mode (no authentication configured, loopback only): every request is this admin. */
export const DEVELOPMENT_PRINCIPAL: Principal = Object.freeze({ id: 'anonymous', role: 'admin', kind: 'development' });
