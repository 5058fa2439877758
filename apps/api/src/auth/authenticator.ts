import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Logger } from 'pino';
import type { Config } from '@app/runtime';
import { apiError } from '../graphql/errors';
import { ApiKeyStore, looksLikeApiKey } from './api-keys';
import { DEVELOPMENT_PRINCIPAL, type Principal } from './principal';
import { isRole, ROLES } from './roles';

export type AuthMode = 'development' | 'enforced';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** True when some authentication is configured (a JWT secret, a JWKS URL or API keys). */
export const authConfigured = (config: Config) => config.auth.jwtSecret !== null || config.auth.jwksUrl !== null || config.auth.apiKeys;

/**
 * Refuses configurations that would expose the API: production without authentication, and
 * development mode (no authentication) on anything but loopback. The message says what to set.
 */
export function checkAuthStartup(config: Config): AuthMode {
  if (authConfigured(config)) return 'enforced';
  if (config.nodeEnv === 'production') {
    throw new Error(
      'NODE_ENV=production and no authentication is configured: refusing to start. Set AUTH_JWT_SECRET (HS256, with AUTH_JWT_ISSUER ' +
        'and AUTH_JWT_AUDIENCE) or AUTH_JWKS_URL (with AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE), and/or AUTH_API_KEYS=true with keys from `catalyst keys create`.',
    );
  }
  if (!LOOPBACK.has(config.host)) {
    throw new Error(
      `No authentication is configured (development mode), which only binds to localhost, but HOST=${config.host}: ` +
        'set HOST=127.0.0.1, or configure authentication (AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_API_KEYS=true).',
    );
  }
  return 'development';
}

const unauthenticated = (message: string) => apiError('UNAUTHENTICATED', message, { http: { status: 401 } });

/**
 * Turns a credential (a bearer JWT or an API key) into a Principal, or refuses with UNAUTHENTICATED.
 * JWTs: HS256 with a shared secret or keys from a JWKS URL; issuer, audience, expiry and the role claim checked.
 */
export class Authenticator {
  private readonly keys: ApiKeyStore | null;
  private readonly jwtKey: Uint8Array | JWTVerifyGetKey | null;
  private readonly algorithms: string[];

  constructor(
    private readonly config: Config,
    readonly mode: AuthMode,
    private readonly logger: Logger,
  ) {
    const { auth } = config;
    this.keys = mode === 'enforced' && auth.apiKeys ? new ApiKeyStore(auth.keysPath) : null;
    if (auth.jwtSecret) {
      this.jwtKey = new TextEncoder().encode(auth.jwtSecret);
      this.algorithms = ['HS256'];
    } else if (auth.jwksUrl) {
      this.jwtKey = createRemoteJWKSet(new URL(auth.jwksUrl));
      this.algorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
    } else {
      this.jwtKey = null;
      this.algorithms = [];
    }
  }

  static start(config: Config, logger: Logger): Authenticator {
    const mode = checkAuthStartup(config);
    if (mode === 'development') {
      logger.warn(
        { host: config.host, mode },
        'DEVELOPMENT MODE: no authentication configured; every request is an admin ("anonymous"), served on localhost only. ' +
          'Configure AUTH_JWT_SECRET / AUTH_JWKS_URL / AUTH_API_KEYS before exposing this service.',
      );
    } else {
      logger.info({ jwt: config.auth.jwtSecret ? 'HS256' : config.auth.jwksUrl ? 'JWKS' : 'off', apiKeys: config.auth.apiKeys }, 'authentication enforced');
    }
    return new Authenticator(config, mode, logger);
  }

  /** `Authorization: Bearer <token>` or `X-API-Key: <key>` (HTTP), or the same names in graphql-ws connection parameters. */
  static credentialFrom(source: Record<string, unknown> | undefined): string | undefined {
    if (!source) return undefined;
    const pick = (...names: string[]) => {
      for (const name of names) {
        const value = source[name];
        const text = Array.isArray(value) ? value[0] : value;
        if (typeof text === 'string' && text !== '') return text;
      }
      return undefined;
    };
    const authorization = pick('authorization', 'Authorization');
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      return match ? match[1] : authorization;
    }
    return pick('x-api-key', 'X-API-Key', 'apiKey');
  }

  async authenticate(credential: string | undefined): Promise<Principal> {
    if (this.mode === 'development') return DEVELOPMENT_PRINCIPAL;
    if (credential === undefined) {
      throw unauthenticated('Authentication required: send Authorization: Bearer <JWT or API key> (graphql-ws: connection parameter "authorization")');
    }
    if (looksLikeApiKey(credential)) {
      const key = this.keys?.verify(credential) ?? null;
      if (!key) throw unauthenticated('Invalid API key: unknown, revoked or malformed');
      return { id: `key:${key.id}`, role: key.role, kind: 'api-key' };
    }
    if (!this.jwtKey) throw unauthenticated('Bearer JWTs are not accepted by this server (no AUTH_JWT_SECRET or AUTH_JWKS_URL); use an API key');
    try {
      const { payload } = await jwtVerify(credential, this.jwtKey as Uint8Array, {
        issuer: this.config.auth.jwtIssuer ?? undefined,
        audience: this.config.auth.jwtAudience ?? undefined,
        algorithms: this.algorithms,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      });
      const role = payload[this.config.auth.roleClaim];
      if (!isRole(role)) {
        throw unauthenticated(`The token's "${this.config.auth.roleClaim}" claim must be one of ${ROLES.join(', ')}`);
      }
      return { id: String(payload.sub), role, kind: 'jwt' };
    } catch (error) {
      if (error instanceof joseErrors.JOSEError) {
        const reason = error instanceof joseErrors.JWTExpired ? 'expired' : error.code;
        this.logger.debug({ reason }, 'token refused');
        throw unauthenticated(`Invalid token (${reason}): ${error.message}`);
      }
      throw error;
    }
  }

  close(): void {
    this.keys?.close();
  }
}
