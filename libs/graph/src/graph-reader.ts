import type { Driver } from 'neo4j-driver';
import { toPlain } from './values';

/** Runs one named, parameterized read query and returns its rows as plain objects. */
export async function readRows<T>(driver: Driver, query: string, params: Record<string, unknown>, database?: string): Promise<T[]> {
  const result = await driver.executeQuery(query, params, { routing: 'READ', database });
  return result.records.map((record) => toPlain(record.toObject()) as T);
}
