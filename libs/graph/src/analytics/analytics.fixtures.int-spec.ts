import { CypherAnalytics } from './cypher-analytics';
import { FIXTURES } from './testing/fixtures';
import { loadHistory, startDedicatedNeo4j, type DedicatedNeo4j } from './testing/harness';
import { ReferenceAnalytics } from './testing/reference';

/**
 * The hand-built fixtures (testing/fixtures.ts: expected results worked out by hand from
 * ANALYTICS.md) against the Cypher implementation, each imported into a fresh SQLite log and
 * projected into a dedicated, emptied Neo4j, and against the reference implementation.
 */
describe('analytics on hand-built fixtures (dedicated Neo4j, real SQLite)', () => {
  let neo: DedicatedNeo4j;
  beforeAll(async () => {
    neo = await startDedicatedNeo4j();
  }, 240_000);
  afterAll(async () => {
    await neo?.stop();
  });

  for (const fixture of FIXTURES) {
    describe(fixture.name, () => {
      it('Cypher (from Neo4j)', async () => {
        await loadHistory(neo.driver, fixture.events);
        await fixture.check(new CypherAnalytics(neo.driver));
      });
      it('reference', async () => {
        await fixture.check(new ReferenceAnalytics(fixture.events));
      });
    });
  }
});
