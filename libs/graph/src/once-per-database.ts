import type { Driver } from 'neo4j-driver';

/**
 * Wraps idempotent setup work (schema, query plans) so that it runs once per driver and database in
 * this process; later calls return at once. A failed run is not remembered and runs again next time.
 */
export function oncePerDatabase(work: (driver: Driver, database?: string) => Promise<void>): (driver: Driver, database?: string) => Promise<void> {
  const done = new WeakMap<Driver, Set<string>>();
  return async (driver, database) => {
    const key = database ?? '';
    if (done.get(driver)?.has(key)) return;
    await work(driver, database);
    done.set(driver, new Set([...(done.get(driver) ?? []), key]));
  };
}
