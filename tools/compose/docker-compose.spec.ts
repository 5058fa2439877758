import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '@app/runtime';

// Reads docker-compose.yml and config.ts from the repository: the files under test.
const ROOT = resolve(__dirname, '../..');
const compose = parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};

interface Service {
  image?: string;
  build?: unknown;
  environment?: Record<string, string | number | boolean> | string[];
  ports?: (string | number)[];
  volumes?: string[];
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition?: string }> | string[];
}

const environmentOf = (service: Service): Record<string, string> => {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]));
};

/** Container ports a service publishes, by container port, to host port. */
const publishedPorts = (service: Service): Map<number, number> =>
  new Map(
    (service.ports ?? []).map((spec) => {
      const parts = String(spec).split('/')[0].split(':');
      const container = Number(parts[parts.length - 1]);
      const host = parts.length > 1 ? Number(parts[parts.length - 2]) : container;
      return [container, host];
    }),
  );

const APP_SERVICES = ['api', 'projector'] as const;

describe('docker-compose.yml', () => {
  it('has EventStoreDB, Neo4j 5.26 with APOC, the API and the projector', () => {
    const { eventstore, neo4j, api, projector } = compose.services;
    expect(eventstore.image).toMatch(/^(eventstore\/eventstore|docker\.kurrent\.io\/kurrent-latest\/kurrentdb|kurrentplatform\/kurrentdb)/);
    expect(neo4j.image).toMatch(/^neo4j:5\.26/);
    expect(environmentOf(neo4j).NEO4J_PLUGINS).toContain('apoc');
    expect(api.build ?? api.image).toBeDefined();
    expect(projector.build ?? projector.image).toBeDefined();
    expect(environmentOf(api).PROJECTOR).toBe('external');
  });

  it('lists exactly the variables config.ts reads', () => {
    const source = readFileSync(resolve(ROOT, 'libs/runtime/src/config.ts'), 'utf8');
    const read = new Set([...source.matchAll(/\b(?:integer|text|optional|oneOf(?:<[^>]+>)?)\('([A-Z0-9_]+)'/g)].map((match) => match[1]));
    expect([...read].sort()).toEqual(Object.keys(CONFIG_VARIABLES).sort());
  });

  it.each(APP_SERVICES)('%s sets every variable without a default, and its configuration loads', (name) => {
    const env = environmentOf(compose.services[name]);
    const missing = Object.entries(CONFIG_VARIABLES)
      .filter(([variable, fallback]) => fallback === null && !(variable in env))
      .map(([variable]) => variable);
    expect(missing).toEqual([]);
    const config = loadConfig(env, '/app');
    expect(config.eventStore).toBe('eventstoredb');
  });

  it.each(APP_SERVICES)('%s points at the neo4j and eventstore services on their ports', (name) => {
    const env = environmentOf(compose.services[name]);
    const neo4j = new URL(env.NEO4J_URI);
    expect(neo4j.hostname).toBe('neo4j');
    expect(Number(neo4j.port || 7687)).toBe(7687);
    expect(publishedPorts(compose.services.neo4j).has(7687)).toBe(true);
    const esdb = new URL(env.EVENTSTORE_CONNECTION_STRING);
    expect(esdb.protocol).toBe('esdb:');
    expect(esdb.hostname).toBe('eventstore');
    expect(publishedPorts(compose.services.eventstore).has(Number(esdb.port || 2113))).toBe(true);
    expect(env.NEO4J_PASSWORD).toBe(environmentOf(compose.services.neo4j).NEO4J_AUTH.split('/')[1]);
  });

  it('publishes the port the API listens on, on all interfaces', () => {
    const env = environmentOf(compose.services.api);
    const port = Number(env.PORT ?? CONFIG_VARIABLES.PORT);
    expect(publishedPorts(compose.services.api).has(port)).toBe(true);
    expect(env.HOST).toBe('0.0.0.0');
    expect(JSON.stringify(compose.services.api.healthcheck?.test ?? '')).toContain(`:${port}/`);
  });

  it('gives every service a health check or makes it wait for healthy ones', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      const dependsOn = service.depends_on ?? {};
      const waitsForHealthy =
        !Array.isArray(dependsOn) &&
        Object.keys(dependsOn).length > 0 &&
        Object.entries(dependsOn).every(([dependency, { condition }]) => condition === 'service_healthy' && compose.services[dependency]?.healthcheck);
      expect({ name, ok: Boolean(service.healthcheck) || waitsForHealthy }).toEqual({ name, ok: true });
    }
  });

  it('keeps the data of EventStoreDB and Neo4j in declared volumes, with system projections for $ce- streams', () => {
    for (const name of ['eventstore', 'neo4j']) {
      const volumes = compose.services[name].volumes ?? [];
      expect(volumes.length).toBeGreaterThan(0);
      for (const volume of volumes) expect(Object.keys(compose.volumes ?? {})).toContain(volume.split(':')[0]);
    }
    const env = environmentOf(compose.services.eventstore);
    expect(env.EVENTSTORE_RUN_PROJECTIONS).toMatch(/^(System|All)$/i);
    expect(env.EVENTSTORE_START_STANDARD_PROJECTIONS).toBe('true');
  });
});
