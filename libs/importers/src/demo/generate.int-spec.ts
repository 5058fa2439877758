import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { importNdjson } from '../ndjson/import-ndjson';
import { demoNdjson } from './generate';

describe('catalyst demo generate: the generated history imports into a real SQLite log with 0 rejected', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalyst-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { people: 60, incidents: 400, seed: 7 },
    { people: 4, incidents: 30, seed: 1 },
  ])('people $people, incidents $incidents, seed $seed', async (options) => {
    const file = join(dir, `demo-${options.seed}.ndjson`);
    const lines = [...demoNdjson(options)];
    writeFileSync(file, lines.join(''));
    const store = new SqliteEventStore(join(dir, `events-${options.seed}.sqlite`));
    try {
      const summary = await importNdjson(store, createReadStream(file), { batchSize: 500 });
      expect(summary.problems).toEqual([]);
      expect(summary.rejected).toBe(0);
      expect(summary.appended).toBe(lines.length);
      const again = await importNdjson(store, createReadStream(file));
      expect([again.appended, again.skippedDuplicates]).toEqual([0, lines.length]);
      const declared = await store.readAll({ maxCount: 1_000_000, filter: { types: ['IncidentDeclared'] } });
      expect(declared.filter((event) => event.type === 'IncidentDeclared')).toHaveLength(options.incidents);
    } finally {
      await store.close();
    }
  });
});
