import { isRetryableError, type Driver } from 'neo4j-driver';
import { oncePerDatabase } from './once-per-database';

/**
 * Constraints and indexes, created at start. Every statement is idempotent (IF NOT EXISTS), so
 * starting twice, or two processes starting together, is harmless.
 */
export const SCHEMA_STATEMENTS: readonly string[] = [
  'CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT team_id IF NOT EXISTS FOR (n:Team) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT service_id IF NOT EXISTS FOR (n:Service) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT incident_id IF NOT EXISTS FOR (n:Incident) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT time_zone_name IF NOT EXISTS FOR (n:TimeZone) REQUIRE n.name IS UNIQUE',
  'CREATE CONSTRAINT action_item_key IF NOT EXISTS FOR (n:ActionItem) REQUIRE n.key IS UNIQUE',
  'CREATE CONSTRAINT timeline_note_key IF NOT EXISTS FOR (n:TimelineNote) REQUIRE n.key IS UNIQUE',
  'CREATE CONSTRAINT factor_key IF NOT EXISTS FOR (n:ContributingFactor) REQUIRE n.key IS UNIQUE',
  'CREATE CONSTRAINT review_key IF NOT EXISTS FOR (n:Review) REQUIRE n.key IS UNIQUE',
  'CREATE CONSTRAINT checkpoint_name IF NOT EXISTS FOR (n:ProjectionCheckpoint) REQUIRE n.name IS UNIQUE',
  'CREATE INDEX incident_declared_at IF NOT EXISTS FOR (n:Incident) ON (n.declaredAt)',
  'CREATE INDEX incident_severity IF NOT EXISTS FOR (n:Incident) ON (n.severity)',
  'CREATE INDEX person_placeholder IF NOT EXISTS FOR (n:Person) ON (n.placeholder)',
  'CREATE INDEX team_placeholder IF NOT EXISTS FOR (n:Team) ON (n.placeholder)',
  'CREATE INDEX service_placeholder IF NOT EXISTS FOR (n:Service) ON (n.placeholder)',
  'CREATE INDEX action_item_status IF NOT EXISTS FOR (n:ActionItem) ON (n.status)',
  'CREATE INDEX engaged_declared_at IF NOT EXISTS FOR ()-[r:ENGAGED]-() ON (r.declaredAt)',
  // The few incidents with someone paged who never joined (paging vs presence), without a scan of all.
  'CREATE INDEX incident_paged_absent IF NOT EXISTS FOR (n:Incident) ON (n.pagedAbsent)',
];

const ALREADY_EXISTS = new Set([
  'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists',
  'Neo.ClientError.Schema.IndexAlreadyExists',
  'Neo.ClientError.Schema.ConstraintAlreadyExists',
]);

/** Creates the constraints and indexes; once per driver and database in a process. */
export const ensureSchema = oncePerDatabase(async (driver: Driver, database?: string): Promise<void> => {
  // Schema statements cannot share a transaction with writes; each runs on its own.
  const session = driver.session({ database });
  try {
    for (const statement of SCHEMA_STATEMENTS) {
      // Two processes creating the same schema at once can deadlock; the statements are
      // idempotent, so a transient failure is simply tried again.
      for (let attempt = 1; ; attempt++) {
        try {
          await session.run(statement);
          break;
        } catch (error) {
          // IF NOT EXISTS is not atomic across sessions: the loser of a race learns that the
          // rule exists, which is what it wanted.
          if (ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) break;
          if (!isRetryableError(error as Error) || attempt >= 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    }
    await session.run('CALL db.awaitIndexes(300)');
  } finally {
    await session.close();
  }
});
