import type { ManagedTransaction } from 'neo4j-driver';
import { toPlain, toNeo4jInt } from '../values';

export interface Checkpoint {
  name: string;
  position: string;
  logId: string | null;
}

export async function readCheckpoint(tx: ManagedTransaction, name: string): Promise<Checkpoint> {
  const result = await tx.run(
    'OPTIONAL MATCH (c:ProjectionCheckpoint {name: $name}) RETURN c.position AS position, c.logId AS logId',
    { name },
  );
  const record = result.records[0];
  const position = record?.get('position');
  return {
    name,
    position: position === null || position === undefined ? '0' : String(toPlain(position)),
    logId: (record?.get('logId') as string | null) ?? null,
  };
}

/** Moves the checkpoint forward only; written in the same transaction as the batch it covers. */
export async function advanceCheckpoint(tx: ManagedTransaction, name: string, logId: string, position: string): Promise<void> {
  await tx.run(
    `MERGE (c:ProjectionCheckpoint {name: $name})
     ON CREATE SET c.position = $position, c.logId = $logId
     SET c.position = CASE WHEN c.position < $position THEN $position ELSE c.position END,
         c.logId = $logId, c.updatedAt = datetime()`,
    { name, logId, position: toNeo4jInt(position) },
  );
}
