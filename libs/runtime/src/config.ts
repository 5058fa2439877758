import { isAbsolute, resolve } from 'node:path';

export type EventStoreKind = 'sqlite' | 'eventstoredb';
export type ProjectorMode = 'embedded' | 'external';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  eventStore: EventStoreKind;
  eventStoreConnectionString: string | null;
  sqlitePath: string;
  neo4j: { uri: string | null; user: string | null; password: string | null; database: string | undefined; boltPort: number; heapMb: number; pageCacheMb: number };
  projection: { name: string; onError: 'stop' | 'skip'; batchSize: number; maxWaitMs: number; mode: ProjectorMode };
  minPositionWaitMs: number;
  /** Largest JSON request body the API accepts. */
  maxRequestBytes: number;
  /**
   * How long an idle kept-alive HTTP connection stays open (the server's keepAliveTimeout). Above a
   * load balancer's idle timeout (60 s on AWS ALB), so the balancer, not the API, closes it first.
   */
  httpKeepAliveTimeoutMs: number;
  logLevel: string;
  nodeEnv: string;
  /** Who may call the API (SECURITY.md). Nothing configured: development mode (loopback only, every caller is admin). */
  auth: {
    jwtSecret: string | null;
    jwksUrl: string | null;
    jwtIssuer: string | null;
    jwtAudience: string | null;
    /** JWT claim holding the role (viewer, analyst, writer, admin). */
    roleClaim: string;
    /** API keys (keys.sqlite in DATA_DIR, `catalyst keys`) accepted; on whenever a JWT is configured. */
    apiKeys: boolean;
    keysPath: string;
  };
  /** What one GraphQL request may ask for. */
  limits: { maxQueryDepth: number; maxQueryCost: number; maxAliases: number; maxBatch: number; maxTokens: number; rateLimitPerMinute: number };
  /** Introspection and the GraphiQL IDE: on unless NODE_ENV=production, where they must be enabled explicitly. */
  graphqlIntrospection: boolean;
  graphqlIde: boolean;
  /** The analysts' read-only `cypher` query. */
  cypher: { timeoutMs: number; maxRows: number };
  /** Custom views (the generic read layer, docs/custom-views.md): largest `first`/`limit` a request may ask for. */
  views: { maxPageSize: number };
  /** Webhook receivers (POST /webhooks/...): a provider without a secret answers 503, never accepts unsigned payloads. */
  webhooks: { pagerdutySecret: string | null; incidentIoSecret: string | null; toleranceSeconds: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the environment; every problem is reported at once. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const text = (name: string, fallback: string) => {
    const value = env[name];
    return value === undefined || value === '' ? fallback : value;
  };
  const optional = (name: string) => (env[name] === undefined || env[name] === '' ? null : (env[name] as string));
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = text(name, fallback);
    if (!(allowed as readonly string[]).includes(value)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
      return fallback;
    }
    return value as T;
  };
  const flag = (name: string, raw: string | null, fallback: boolean): boolean => {
    if (raw === null) return fallback;
    if (['true', '1', 'yes', 'on'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no', 'off'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const dataDirRaw = text('DATA_DIR', './data');
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const eventStore = oneOf<EventStoreKind>('EVENT_STORE', ['sqlite', 'eventstoredb'], 'sqlite');
  const eventStoreConnectionString = optional('EVENTSTORE_CONNECTION_STRING');
  if (eventStore === 'eventstoredb' && !eventStoreConnectionString) {
    problems.push('EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb (e.g. esdb://localhost:2113?tls=false)');
  }
  const neo4jUri = optional('NEO4J_URI');
  if (neo4jUri && !/^(bolt|neo4j)(\+s|\+ssc)?:\/\//.test(neo4jUri)) {
    problems.push(`NEO4J_URI must start with bolt://, neo4j://, bolt+s://, neo4j+s:// (or +ssc), got "${neo4jUri}"`);
  }
  const projectionName = text('PROJECTION_NAME', 'graph');
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(projectionName)) {
    problems.push(`PROJECTION_NAME must be 1..100 characters of [A-Za-z0-9._-], got "${projectionName}"`);
  }

  const nodeEnv = text('NODE_ENV', 'development');
  const jwtSecret = optional('AUTH_JWT_SECRET');
  const jwksUrl = optional('AUTH_JWKS_URL');
  const jwtIssuer = optional('AUTH_JWT_ISSUER');
  const jwtAudience = optional('AUTH_JWT_AUDIENCE');
  if (jwtSecret && jwksUrl) problems.push('AUTH_JWT_SECRET and AUTH_JWKS_URL are exclusive: set one');
  if (jwtSecret !== null && Buffer.byteLength(jwtSecret) < 32) problems.push('AUTH_JWT_SECRET must be at least 32 bytes (HS256)');
  if (jwksUrl !== null && !/^https?:\/\//.test(jwksUrl)) problems.push(`AUTH_JWKS_URL must be an http(s) URL, got "${jwksUrl}"`);
  if ((jwtSecret || jwksUrl) && (!jwtIssuer || !jwtAudience)) {
    problems.push('AUTH_JWT_ISSUER and AUTH_JWT_AUDIENCE are required with AUTH_JWT_SECRET or AUTH_JWKS_URL (both are checked on every token)');
  }
  const production = nodeEnv === 'production';

  const config: Config = {
    port: integer('PORT', 4000, 0, 65535),
    host: text('HOST', '127.0.0.1'),
    dataDir,
    eventStore,
    eventStoreConnectionString,
    sqlitePath: resolve(dataDir, 'events.sqlite'),
    neo4j: {
      uri: neo4jUri,
      user: optional('NEO4J_USER'),
      password: optional('NEO4J_PASSWORD'),
      database: optional('NEO4J_DATABASE') ?? undefined,
      boltPort: integer('NEO4J_BOLT_PORT', 7687, 0, 65535),
      heapMb: integer('NEO4J_HEAP_MB', 1024, 256, 65536),
      pageCacheMb: integer('NEO4J_PAGECACHE_MB', 512, 64, 65536),
    },
    projection: {
      name: projectionName,
      onError: oneOf('PROJECTION_ON_ERROR', ['stop', 'skip'] as const, 'stop'),
      batchSize: integer('PROJECTION_BATCH_SIZE', 500, 1, 10_000),
      maxWaitMs: integer('PROJECTION_MAX_WAIT_MS', 0, 0, 60_000),
      mode: oneOf<ProjectorMode>('PROJECTOR', ['embedded', 'external'], 'embedded'),
    },
    minPositionWaitMs: integer('MIN_POSITION_WAIT_MS', 10_000, 0, 300_000),
    maxRequestBytes: integer('MAX_REQUEST_BYTES', 16 * 1024 * 1024, 1024, 256 * 1024 * 1024),
    httpKeepAliveTimeoutMs: integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 65_000, 1000, 600_000),
    logLevel: oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    nodeEnv,
    auth: {
      jwtSecret,
      jwksUrl,
      jwtIssuer,
      jwtAudience,
      roleClaim: text('AUTH_ROLE_CLAIM', 'role'),
      apiKeys: flag('AUTH_API_KEYS', optional('AUTH_API_KEYS'), false) || jwtSecret !== null || jwksUrl !== null,
      keysPath: resolve(dataDir, 'keys.sqlite'),
    },
    limits: {
      maxQueryDepth: integer('MAX_QUERY_DEPTH', 12, 1, 1000),
      maxQueryCost: integer('MAX_QUERY_COST', 100_000, 1, 10_000_000),
      maxAliases: integer('MAX_ALIASES', 30, 1, 10_000),
      maxBatch: integer('MAX_BATCH', 10, 1, 1000),
      maxTokens: integer('MAX_TOKENS', 5000, 100, 1_000_000),
      rateLimitPerMinute: integer('RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
    },
    graphqlIntrospection: flag('GRAPHQL_INTROSPECTION', optional('GRAPHQL_INTROSPECTION'), !production),
    graphqlIde: flag('GRAPHQL_IDE', optional('GRAPHQL_IDE'), !production),
    cypher: {
      timeoutMs: integer('CYPHER_TIMEOUT_MS', 5000, 100, 600_000),
      maxRows: integer('CYPHER_MAX_ROWS', 1000, 1, 100_000),
    },
    views: {
      maxPageSize: integer('VIEWS_MAX_PAGE_SIZE', 100, 1, 10_000),
    },
    webhooks: {
      pagerdutySecret: optional('PAGERDUTY_WEBHOOK_SECRET'),
      incidentIoSecret: optional('INCIDENT_IO_WEBHOOK_SECRET'),
      toleranceSeconds: integer('WEBHOOK_TOLERANCE_SECONDS', 300, 1, 86_400),
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Every environment variable loadConfig reads, with its default (null: none; see loadConfig for
 * when one is required). Checked against docker-compose.yml by tools/compose/docker-compose.spec.ts.
 */
export const CONFIG_VARIABLES: Readonly<Record<string, string | null>> = {
  PORT: '4000',
  HOST: '127.0.0.1',
  DATA_DIR: './data',
  EVENT_STORE: 'sqlite',
  EVENTSTORE_CONNECTION_STRING: null,
  NEO4J_URI: null,
  NEO4J_USER: null,
  NEO4J_PASSWORD: null,
  NEO4J_DATABASE: null,
  NEO4J_BOLT_PORT: '7687',
  NEO4J_HEAP_MB: '1024',
  NEO4J_PAGECACHE_MB: '512',
  PROJECTION_NAME: 'graph',
  PROJECTION_ON_ERROR: 'stop',
  PROJECTION_BATCH_SIZE: '500',
  PROJECTION_MAX_WAIT_MS: '0',
  PROJECTOR: 'embedded',
  MIN_POSITION_WAIT_MS: '10000',
  MAX_REQUEST_BYTES: String(16 * 1024 * 1024),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
  LOG_LEVEL: 'info',
  NODE_ENV: 'development',
  PAGERDUTY_WEBHOOK_SECRET: '',
  INCIDENT_IO_WEBHOOK_SECRET: '',
  WEBHOOK_TOLERANCE_SECONDS: '300',
  AUTH_JWT_SECRET: '',
  AUTH_JWKS_URL: '',
  AUTH_JWT_ISSUER: '',
  AUTH_JWT_AUDIENCE: '',
  AUTH_ROLE_CLAIM: 'role',
  AUTH_API_KEYS: 'false',
  MAX_QUERY_DEPTH: '12',
  MAX_QUERY_COST: '100000',
  MAX_ALIASES: '30',
  MAX_BATCH: '10',
  MAX_TOKENS: '5000',
  RATE_LIMIT_PER_MINUTE: '600',
  GRAPHQL_INTROSPECTION: '',
  GRAPHQL_IDE: '',
  CYPHER_TIMEOUT_MS: '5000',
  CYPHER_MAX_ROWS: '1000',
  VIEWS_MAX_PAGE_SIZE: '100',
};

/** For a process's entry point: the configuration, or the list of problems on stderr and exit code 2. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}
