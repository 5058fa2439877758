import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@app/event-store';
import { importStatuspageFile } from './import-file';
import { mapStatuspageIncident } from './map';
import { sharedData } from '@test/support';

const FILE = sharedData('github-statuses/parsed/incidents.jsonl');

describe('catalyst import statuspage on the 819 GitHub status incidents, into a real SQLite log', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'catalyst-statuspage-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends every incident with its timeline, 0 rejected; a second import appends nothing', async () => {
    const records = readFileSync(FILE, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // What the file holds, counted independently of the mapper.
    const updates = records.reduce((sum, record) => sum + (record.updates as unknown[]).length, 0);

    const summary = await importStatuspageFile(store, FILE, { batchSize: 1000 });
    expect(summary.records).toBe(819);
    expect(summary.rejected).toBe(0);
    expect(summary.problems).toEqual([]);
    expect(summary.appended).toBe(summary.lines);
    const expected = records.reduce((sum, record) => sum + mapStatuspageIncident(record).events.length, 0);
    expect(summary.appended).toBe(expected);

    const log = await store.readAll({ maxCount: 100_000 });
    const count = (type: string) => log.filter((event) => event.type === type).length;
    expect(count('IncidentDeclared')).toBe(819);
    expect(count('TimelineNoteAdded')).toBe(updates);
    expect(new Set(log.map((event) => event.streamId)).size).toBe(819);

    // The first line: Codespaces, minor, 4 updates, resolved at 03:35.
    const first = await store.readStream('incident-statuspage:9632825');
    expect(first.map((event) => event.type)).toEqual([
      'IncidentDeclared',
      'TimelineNoteAdded',
      'TimelineNoteAdded',
      'TimelineNoteAdded',
      'TimelineNoteAdded',
      'IncidentResolved',
    ]);
    expect(first[0].data).toMatchObject({
      title: 'Incident with Codespaces',
      severity: 'SEV3',
      impactedServiceIds: ['codespaces'],
      occurredAt: '2022-03-26T01:43:00Z',
    });
    expect(first[5].data.occurredAt).toBe('2022-03-26T03:35:00Z');
    expect(first.every((event) => event.metadata.source === 'import:statuspage')).toBe(true);

    const again = await importStatuspageFile(store, FILE, { batchSize: 1000 });
    expect([again.appended, again.rejected, again.skippedDuplicates]).toEqual([0, 0, summary.appended]);
  });
});
