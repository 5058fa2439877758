import pino from 'pino';
import { readCheckpoint } from '@app/graph';
import { loadConfig, openInfrastructure } from '@app/runtime';

export interface ProjectionStatusReport {
  projection: string;
  position: string;
  headPosition: string;
  lag: string;
  graphLogId: string | null;
  storeLogId: string;
}

/** Reads the checkpoint from Neo4j and the head from the log (starting the local Neo4j if needed). */
export async function projectionStatus(env: NodeJS.ProcessEnv): Promise<ProjectionStatusReport> {
  const config = loadConfig(env);
  const infrastructure = await openInfrastructure(config, pino({ level: 'warn' }, pino.destination(2)));
  try {
    const session = infrastructure.driver.session({ database: config.neo4j.database });
    const checkpoint = await session
      .executeRead((tx) => readCheckpoint(tx, config.projection.name))
      .finally(() => session.close());
    const headPosition = await infrastructure.store.headPosition();
    const lag = BigInt(headPosition) - BigInt(checkpoint.position);
    return {
      projection: config.projection.name,
      position: checkpoint.position,
      headPosition,
      lag: (lag > 0n ? lag : 0n).toString(),
      graphLogId: checkpoint.logId,
      storeLogId: await infrastructure.store.logId(),
    };
  } finally {
    await infrastructure.close();
  }
}
