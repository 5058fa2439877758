import { isRetryableError, type Driver } from 'neo4j-driver';
import { toPlain } from './values';

/** Attempts of a read that fails on a retryable error (unavailable server, transient error), and the first pause. */
const ATTEMPTS = 3;
const FIRST_PAUSE_MS = 50;

/**
 * Runs one named, parameterized read query and returns its rows as plain objects.
 *
 * A read is one statement, so it runs as an auto-commit transaction: RUN and PULL in one write to
 * the socket. A managed transaction (`executeQuery`, `executeRead`) sends BEGIN and COMMIT as well,
 * each flushed on its own: measured on this project's machine (Neo4j 5.26 on loopback, rounds 2 and 3
 * of 3), 1.1-1.3 ms and 0.61-0.71 ms of Node CPU per read against 0.55-0.7 ms and 0.27-0.33 ms
 * (bench/RESULTS.md, 2026-12-02). What the managed transaction gave besides, the retry of
 * retryable errors, is kept here: up to 3 attempts, 50 then 100 ms apart.
 */
export async function readRows<T>(driver: Driver, query: string, params: Record<string, unknown>, database?: string): Promise<T[]> {
  for (let attempt = 1; ; attempt++) {
    const session = driver.session({ database, defaultAccessMode: 'READ' });
    try {
      const result = await session.run(query, params);
      return result.records.map((record) => toPlain(record.toObject()) as T);
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryableError(error)) throw error;
    } finally {
      await session.close();
    }
    await new Promise((resolve) => setTimeout(resolve, FIRST_PAUSE_MS * 2 ** (attempt - 1)));
  }
}
