import { join } from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import type { Logger } from 'pino';
import { SqliteEventStore, openEventStoreDb, type EventStore } from '@app/event-store';
import { startLocalNeo4j, type LocalNeo4j } from '@app/neo4j-local';
import type { ProjectorOptions } from '@app/graph';
import { ConfigError, type Config } from './config';

export interface Infrastructure {
  store: EventStore;
  driver: Driver;
  /** The Neo4j this process started itself, when NEO4J_URI was not given. */
  localNeo4j: LocalNeo4j | null;
  close(): Promise<void>;
}

export function openEventStore(config: Config): EventStore {
  switch (config.eventStore) {
    case 'sqlite':
      return new SqliteEventStore(config.sqlitePath);
    case 'eventstoredb':
      if (!config.eventStoreConnectionString) {
        throw new ConfigError(['EVENTSTORE_CONNECTION_STRING is required when EVENT_STORE=eventstoredb (e.g. esdb://localhost:2113?tls=false)']);
      }
      return openEventStoreDb(config.eventStoreConnectionString);
  }
}

/** Connects to NEO4J_URI, or starts the local Neo4j under DATA_DIR/neo4j when it is not set. */
export async function connectNeo4j(config: Config, logger: Logger): Promise<{ driver: Driver; localNeo4j: LocalNeo4j | null }> {
  let localNeo4j: LocalNeo4j | null = null;
  let uri = config.neo4j.uri;
  if (!uri) {
    localNeo4j = await startLocalNeo4j({
      dataDir: join(config.dataDir, 'neo4j'),
      boltPort: config.neo4j.boltPort,
      heapMb: config.neo4j.heapMb,
      pageCacheMb: config.neo4j.pageCacheMb,
      log: logger.child({ component: 'neo4j-local' }),
    });
    uri = localNeo4j.uri;
  }
  const auth = config.neo4j.user ? neo4j.auth.basic(config.neo4j.user, config.neo4j.password ?? '') : undefined;
  const driver = neo4j.driver(uri, auth, { disableLosslessIntegers: false, maxConnectionPoolSize: 50 });
  try {
    await driver.verifyConnectivity({ database: config.neo4j.database });
  } catch (error) {
    await driver.close();
    await localNeo4j?.stop();
    throw new Error(`Cannot reach Neo4j at ${uri}: ${(error as Error).message}. Check NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD.`);
  }
  logger.info({ uri, local: localNeo4j !== null }, 'connected to Neo4j');
  return { driver, localNeo4j };
}

export async function openInfrastructure(config: Config, logger: Logger): Promise<Infrastructure> {
  const store = openEventStore(config);
  try {
    const { driver, localNeo4j } = await connectNeo4j(config, logger);
    return {
      store,
      driver,
      localNeo4j,
      async close() {
        await store.close();
        await driver.close();
        await localNeo4j?.stop();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** The projector's options from the configuration: one definition for the API's embedded projector and apps/projector. */
export function projectorOptions(config: Config, logger: Logger): ProjectorOptions {
  return {
    name: config.projection.name,
    batchSize: config.projection.batchSize,
    maxWaitMs: config.projection.maxWaitMs,
    onError: config.projection.onError,
    logger,
    database: config.neo4j.database,
  };
}
