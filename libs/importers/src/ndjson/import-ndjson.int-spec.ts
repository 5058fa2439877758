import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@app/domain';
import { SqliteEventStore, WrongExpectedRevision, type EventStore } from '@app/event-store';
import { incidentHistory, orgHistory, toNdjson, type EventLine } from '../testing/histories';
import { importNdjson, type NdjsonImportOptions } from './import-ndjson';
import type { ImportSummary } from './importer';
import { parseEventLine } from './parse-line';
import { sharedData } from '@test/support';

const dirs: string[] = [];
const stores: SqliteEventStore[] = [];

afterAll(async () => {
  for (const store of stores) await store.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'catalyst-import-'));
  dirs.push(dir);
  return dir;
}

function openStore(file = join(tempDir(), 'events.sqlite')): SqliteEventStore {
  const store = new SqliteEventStore(file);
  stores.push(store);
  return store;
}

function writeFile(lines: readonly (EventLine | string)[]): string {
  const file = join(tempDir(), 'events.ndjson');
  writeFileSync(file, toNdjson(lines));
  return file;
}

const run = (store: EventStore, file: string, options: NdjsonImportOptions = {}): Promise<ImportSummary> =>
  importNdjson(store, createReadStream(file, { highWaterMark: 4096 }), options);

async function readLog(store: EventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (;;) {
    const page = await store.readAll({ fromPosition: out.at(-1)?.position ?? '0', maxCount: 1000 });
    if (page.length === 0) return out;
    out.push(...page);
  }
}

/** What two logs must agree on: every event's stream, revision, id, type and payload, in order. */
const shapeOf = (log: RecordedEvent[]) => log.map((e) => [e.streamId, e.revision, e.id, e.type, JSON.stringify(e.data)]);

const idOf = (line: EventLine) => {
  const parsed = parseEventLine(JSON.stringify(line), 1);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.event.id;
};

describe('importNdjson on a real SQLite log', () => {
  const org = orgHistory('acme');
  const inc1 = incidentHistory('acme', 'INC-1', 0);
  const inc2 = incidentHistory('acme', 'INC-2', 1);
  // Bad lines among good ones; the comment is the 1-based line number each lands on.
  const lines: (EventLine | string)[] = [
    ...org, // 1-7
    '{"type": "PersonRegistered", "data": ', // 8: not JSON
    ...inc1.slice(0, 4), // 9-12
    { type: 'PersonRegistered', data: { personId: 'cy', name: 'Cy', timeZone: 'CET', occurredAt: '2023-01-02T09:00:00Z' } }, // 13
    ...inc1.slice(4), // 14-17 (resolved on 15)
    { type: 'ResponderJoined', data: { incidentId: 'INC-1', personId: 'acme-cy', role: 'expert', occurredAt: '2023-03-01T12:00:00Z' } }, // 18: after resolution
    '', // 19: blank, skipped
    ...inc2, // 20-27
    { type: 'IncidentDeclared', data: { incidentId: 'INC-1', title: 'Again', severity: 'SEV1', occurredAt: '2023-03-05T10:00:00Z' } }, // 28: second declaration
    { type: 'IncidentTeleported', data: {} }, // 29
  ];
  const good = [...org, ...inc1, ...inc2];

  it('appends the good lines in file order and reports each bad line with its number and reason', async () => {
    const store = openStore();
    const reported: string[] = [];
    const summary = await run(store, writeFile(lines), { batchSize: 4, onProblem: (p) => reported.push(`line ${p.line}: ${p.field} (${p.rule})`) });

    expect(summary).toMatchObject({ lines: 28, accepted: good.length, appended: good.length, skippedDuplicates: 0, rejected: 5, stopped: false, dryRun: false });
    expect(reported).toEqual([
      'line 8: $ (isJson)',
      'line 13: data.timeZone (isIanaTimeZone)',
      'line 18: $ (incident.resolved)',
      'line 28: $ (incident.alreadyDeclared)',
      'line 29: type (isEventType)',
    ]);
    expect(summary.problems.map((p) => p.line)).toEqual([8, 13, 18, 28, 29]);

    const log = await readLog(store);
    expect(log.map((e) => e.id)).toEqual(good.map(idOf));
    expect(log.map((e) => e.type)).toEqual(good.map((line) => line.type));
    expect(log.every((e) => e.metadata.source === 'import:ndjson' && e.metadata.schemaVersion === 1)).toBe(true);
    expect(log.filter((e) => e.streamId === 'incident-INC-1').map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(summary.lastPosition).toBe(log.at(-1)!.position);
  });

  it('appends nothing when the same file is imported again: every good line is a duplicate', async () => {
    const store = openStore();
    const file = writeFile(lines);
    await run(store, file, { batchSize: 5 });
    const head = await store.headPosition();
    const again = await run(store, file, { batchSize: 7 });
    expect(again).toMatchObject({ appended: 0, skippedDuplicates: good.length, rejected: 5, lastPosition: null });
    expect(await store.headPosition()).toBe(head);
  });

  it('dry run: checks everything, rules included, and appends nothing', async () => {
    const store = openStore();
    const file = writeFile(lines);
    const dry = await run(store, file, { dryRun: true, batchSize: 3 });
    expect(dry).toMatchObject({ dryRun: true, accepted: good.length, appended: 0, rejected: 5, lastPosition: null, warnings: [] });
    expect(dry.problems.map((p) => p.rule)).toEqual(['isJson', 'isIanaTimeZone', 'incident.resolved', 'incident.alreadyDeclared', 'isEventType']);
    expect(await store.headPosition()).toBe('0');
    const real = await run(store, file);
    expect(real.appended).toBe(dry.accepted);
  });

  it('checks rules against what the log already holds', async () => {
    const store = openStore();
    await run(store, writeFile([...org, ...inc1]));
    const later = await run(store, writeFile([{ type: 'ResponderJoined', data: { incidentId: 'INC-1', personId: 'acme-cy', role: 'scribe', occurredAt: '2023-03-02T10:00:00Z' } }]));
    expect(later).toMatchObject({ appended: 0, rejected: 1 });
    expect(later.problems[0]).toMatchObject({ line: 1, field: '$', rule: 'incident.resolved', kind: 'rule' });
  });

  it('stops after the current batch when aborted, and a second run resumes to the same log as one run', async () => {
    const history = [...orgHistory('big'), ...Array.from({ length: 60 }, (_, i) => incidentHistory('big', `INC-${i}`, i)).flat()];
    const file = writeFile(history);

    const once = openStore();
    await run(once, file, { batchSize: 25 });

    const resumed = openStore();
    const controller = new AbortController();
    const first = await run(resumed, file, {
      batchSize: 25,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.lines >= 75) controller.abort();
      },
    });
    expect(first).toMatchObject({ stopped: true, lines: 75, appended: 75 });
    const second = await run(resumed, file, { batchSize: 25 });
    expect(second).toMatchObject({ stopped: false, skippedDuplicates: 75, appended: history.length - 75, rejected: 0 });
    expect(shapeOf(await readLog(resumed))).toEqual(shapeOf(await readLog(once)));
  });

  it('keeps memory bounded: a cache smaller than the number of streams still decides every line right', async () => {
    // Interleaved incidents, so every stream leaves the cache and is read back from the log.
    const incidents = Array.from({ length: 12 }, (_, i) => incidentHistory('lru', `INC-${i}`, i));
    const interleaved = incidents[0].flatMap((_, step) => incidents.map((history) => history[step]));
    const bad = { type: 'IncidentDeclared', data: { incidentId: 'INC-3', title: 'Twice', severity: 'SEV1', occurredAt: '2023-04-01T00:00:00Z' } };
    const store = openStore();
    const summary = await run(store, writeFile([...orgHistory('lru'), ...interleaved, bad]), { batchSize: 5, cacheSize: 3 });
    expect(summary).toMatchObject({ appended: 7 + 96, rejected: 1 });
    expect(summary.problems[0].rule).toBe('incident.alreadyDeclared');

    // Bounded by events held rather than streams: the same result.
    const byEvents = await run(openStore(), writeFile([...orgHistory('lru'), ...interleaved, bad]), { batchSize: 5, cacheEvents: 10 });
    expect(byEvents).toMatchObject({ appended: 7 + 96, rejected: 1 });

    const dry = await run(openStore(), writeFile([...orgHistory('lru'), ...interleaved]), { dryRun: true, batchSize: 5, cacheSize: 3 });
    expect(dry.warnings).toEqual([expect.stringContaining('left the stream cache')]);
  });

  it('rejects a line longer than the limit without holding it, and goes on', async () => {
    const store = openStore();
    const long = { type: 'TimelineNoteAdded', data: { incidentId: 'INC-1', noteId: 'n9', text: 'x'.repeat(5000), occurredAt: '2023-03-01T10:30:00Z' } };
    const summary = await run(store, writeFile([...org, ...inc1.slice(0, 2), long, inc1[2]]), { maxLineBytes: 2048 });
    expect(summary).toMatchObject({ appended: 10, rejected: 1 });
    expect(summary.problems[0]).toMatchObject({ line: 10, field: '$', rule: 'maxLength' });
  });
});

describe('a batch is atomic', () => {
  it('appendMany appends nothing of a batch in which one stream conflicts', async () => {
    const store = openStore();
    await store.append('incident-X', [{ id: '00000000-0000-4000-8000-000000000001', type: 'A', data: {}, metadata: {} }]);
    const head = await store.headPosition();
    const write = (id: string) => [{ id, type: 'B', data: {}, metadata: {} }];
    await expect(
      store.appendMany([
        { streamId: 'incident-Y', events: write('00000000-0000-4000-8000-000000000002'), expectedRevision: 'no_stream' },
        { streamId: 'incident-X', events: write('00000000-0000-4000-8000-000000000003'), expectedRevision: 5 },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedRevision);
    expect(await store.headPosition()).toBe(head);
    expect(await store.readStream('incident-Y')).toEqual([]);
  });

  it('appendMany chains writes to the same stream and returns one result per write', async () => {
    const store = openStore();
    const event = (n: number) => ({ id: `00000000-0000-4000-8000-00000000001${n}`, type: 'A', data: { n }, metadata: {} });
    const results = await store.appendMany([
      { streamId: 'team-a', events: [event(1)], expectedRevision: 'no_stream' },
      { streamId: 'team-b', events: [event(2)], expectedRevision: 'no_stream' },
      { streamId: 'team-a', events: [event(3), event(4)], expectedRevision: 0 },
    ]);
    expect(results.map((r) => [r.streamId, r.nextRevision, r.appended])).toEqual([
      ['team-a', 0, 1],
      ['team-b', 0, 1],
      ['team-a', 2, 2],
    ]);
    expect((await readLog(store)).map((e) => e.data.n)).toEqual([1, 2, 3, 4]);
  });

  it('an import overtaken by another writer decides the batch again on the new state', async () => {
    const file = join(tempDir(), 'events.sqlite');
    const store = openStore(file);
    const other = openStore(file);
    const org = orgHistory('race');
    const [declared, ...rest] = incidentHistory('race', 'INC-1');
    const cyJoins = { type: 'ResponderJoined', data: { incidentId: 'INC-1', personId: 'race-cy', role: 'scribe', occurredAt: '2023-03-01T10:02:00Z' } };
    const boJoinsToo = { id: '00000000-0000-4000-8000-0000000000b0', ...rest[2] };
    let interfered = false;
    const summary = await run(store, writeFile([...org, declared, ...rest]), {
      batchSize: 8,
      onProgress: async () => {
        if (interfered) return;
        interfered = true;
        // Another writer: one event that fits, and Bo joining first under another id.
        await other.append('incident-INC-1', [{ id: idOf(cyJoins), type: cyJoins.type, data: cyJoins.data, metadata: { source: 'test' } }], { expectedRevision: 0 });
        await other.append('incident-INC-1', [{ id: boJoinsToo.id, type: boJoinsToo.type, data: boJoinsToo.data, metadata: { source: 'test' } }], { expectedRevision: 1 });
      },
    });
    expect(summary).toMatchObject({ appended: 8 + 6, rejected: 1 });
    expect(summary.problems[0]).toMatchObject({ line: 11, rule: 'incident.alreadyResponding' });
    const incident = await store.readStream('incident-INC-1');
    expect(incident.map((e) => e.type)).toEqual([
      'IncidentDeclared',
      'ResponderJoined',
      'ResponderJoined',
      'ResponderPaged',
      'ResponderJoined',
      'TimelineNoteAdded',
      'IncidentMitigated',
      'IncidentResolved',
      'ActionItemCreated',
    ]);
  });
});

// Real public data beside the repository (SOURCES.md there); a checkout without it skips these.
const GITHUB_STATUSES = sharedData('github-statuses/parsed/incidents.jsonl');

(existsSync(GITHUB_STATUSES) ? describe : describe.skip)('real data: githubstatus.com incidents (../shared/data/github-statuses)', () => {
  const SOURCE = GITHUB_STATUSES;
  interface StatusIncident {
    id: string;
    title: string;
    impact: string;
    started_at: string;
    resolved_at: string | null;
    components?: string[];
    updates: { at: string; status: string; message: string }[];
  }
  const SEVERITY: Record<string, string> = { critical: 'SEV1', major: 'SEV2', minor: 'SEV3' };
  const slug = (name: string) => `github-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

  /** The file is JSON Lines but not event lines; this maps each status-page incident to its events. */
  function asEvents(incident: StatusIncident): EventLine[] {
    const incidentId = `gh-${incident.id}`;
    const events: EventLine[] = [
      {
        type: 'IncidentDeclared',
        data: {
          incidentId,
          title: incident.title,
          severity: SEVERITY[incident.impact] ?? 'SEV4',
          impactedServiceIds: (incident.components ?? []).map(slug),
          occurredAt: incident.started_at,
        },
      },
      ...incident.updates.map((update, i) => ({
        type: 'TimelineNoteAdded',
        data: { incidentId, noteId: `u${i + 1}`, text: `${update.status}: ${update.message}`, occurredAt: update.at },
      })),
    ];
    if (incident.resolved_at) events.push({ type: 'IncidentResolved', data: { incidentId, occurredAt: incident.resolved_at } });
    return events;
  }

  const incidents = readFileSync(SOURCE, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as StatusIncident);

  it('rejects every line of the raw file, which is not in the event format, and appends nothing', async () => {
    const store = openStore();
    const summary = await importNdjson(store, createReadStream(SOURCE), { maxProblems: 30 });
    expect(summary).toMatchObject({ lines: incidents.length, rejected: incidents.length, appended: 0 });
    expect(summary.problems).toHaveLength(30);
    expect(summary.problemsOmitted).toBeGreaterThan(incidents.length * 10);
    const first = summary.problems.filter((p) => p.line === 1).map((p) => [p.field, p.rule]);
    expect(first).toEqual(expect.arrayContaining([['type', 'isDefined'], ['id', 'isUuid'], ['title', 'whitelistValidation']]));
    expect(await store.headPosition()).toBe('0');
  });

  it('imports every incident once mapped to events, and a second run appends nothing', async () => {
    const events = incidents.flatMap(asEvents);
    const file = writeFile(events);
    const store = openStore();
    const summary = await run(store, file);
    expect(summary).toMatchObject({ rejected: 0, appended: events.length });
    const again = await run(store, file);
    expect(again).toMatchObject({ appended: 0, skippedDuplicates: events.length });
    const first = await store.readStream(`incident-gh-${incidents[0].id}`);
    expect(first[0].data).toMatchObject({ title: incidents[0].title, occurredAt: incidents[0].started_at });
  });
});
