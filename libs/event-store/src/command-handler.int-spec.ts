import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddResponderFields,
  DeclareIncidentFields,
  RuleViolation,
  fold,
  incidentDecider,
  prepareCommand,
  type IncidentEvent,
  type PreparedCommand,
  type RecordedEvent,
  type ResponderRole,
} from '@app/domain';
import { ConcurrencyConflict, handleCommand, type CommandResult } from './command-handler';
import type { EventStore } from './event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { deferred } from './testing/helpers';

const NOW = '2024-05-01T10:00:00.000Z';

function declare(incidentId: string): PreparedCommand {
  return prepareCommand('declareIncident', Object.assign(new DeclareIncidentFields(), { incidentId, title: 'Checkout is down', severity: 'SEV2' }), NOW);
}

function addResponder(incidentId: string, personId: string, extra: Partial<AddResponderFields> = {}): PreparedCommand {
  const role: ResponderRole = personId.endsWith('0') ? 'commander' : 'responder';
  return prepareCommand('addResponder', Object.assign(new AddResponderFields(), { incidentId, personId, role, ...extra }), NOW);
}

/** Each command carries its own correlation id, so its events can be found in the log. */
function run(store: EventStore, prepared: PreparedCommand, correlationId: string = randomUUID(), maxAttempts?: number): Promise<CommandResult> {
  return handleCommand(store, prepared, { metadata: { correlationId, actor: 'test', source: 'test' }, maxAttempts });
}

function respondersOf(events: RecordedEvent[]): Record<string, ResponderRole> {
  const state = fold(incidentDecider, events.map((event) => event as unknown as IncidentEvent));
  if (state.status === 'none') throw new Error('incident not declared');
  return Object.fromEntries(state.responders);
}

/** Delegates to `store`, but the first readStream waits for `gate` after reading: a writer paused between read and append. */
function pausedAfterFirstRead(store: EventStore, gate: Promise<void>): { store: EventStore; hasRead: Promise<void> } {
  const hasRead = deferred();
  let paused = false;
  const wrapper: EventStore = {
    logId: () => store.logId(),
    append: (streamId, events, options) => store.append(streamId, events, options),
    async readStream(streamId, options) {
      const events = await store.readStream(streamId, options);
      if (!paused) {
        paused = true;
        hasRead.resolve();
        await gate;
      }
      return events;
    },
    readAll: (options) => store.readAll(options),
    subscribe: (options, handler) => store.subscribe(options, handler),
    headPosition: () => store.headPosition(),
    close: () => store.close(),
  };
  return { store: wrapper, hasRead: hasRead.promise };
}

describe('handleCommand with the SQLite store and the incident decider', () => {
  let dir: string;
  let a: SqliteEventStore;
  let b: SqliteEventStore;
  let incidentId: string;
  let streamId: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'catalyst-command-'));
    // Two stores on one file: the revision check must come from the file, not from one instance.
    a = new SqliteEventStore(join(dir, 'events.db'));
    b = new SqliteEventStore(join(dir, 'events.db'));
    incidentId = `INC-${randomUUID().slice(0, 8)}`;
    streamId = `incident-${incidentId}`;
    await run(a, declare(incidentId));
  });

  afterEach(async () => {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a command whose expectedRevision is not the current one, and appends nothing', async () => {
    expect(await run(a, addResponder(incidentId, 'ana', { expectedRevision: 0 }))).toMatchObject({ streamId, revision: 1, appended: true });
    const before = await a.readStream(streamId);

    for (const expectedRevision of [0, 5]) {
      const error = await run(b, addResponder(incidentId, 'bob', { expectedRevision })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyConflict);
      expect(error).toMatchObject({ streamId, expectedRevision, actualRevision: 1 });
    }
    expect(await a.readStream(streamId)).toEqual(before);
  });

  it('refuses with a conflict, without retrying, when the stream moves between read and append under expectedRevision', async () => {
    const gate = deferred();
    const paused = pausedAfterFirstRead(b, gate.promise);
    const slow = run(paused.store, addResponder(incidentId, 'bob', { expectedRevision: 0 }), 'slow');
    await paused.hasRead;
    await run(a, addResponder(incidentId, 'ana', { expectedRevision: 0 }));
    gate.resolve();

    await expect(slow).rejects.toMatchObject({ name: 'ConcurrencyConflict', expectedRevision: 0, actualRevision: 1, attempts: 1 });
    const events = await a.readStream(streamId);
    expect(events.filter((e) => e.metadata.correlationId === 'slow')).toEqual([]);
    expect(respondersOf(events)).toEqual({ ana: 'responder' });
  });

  it('without expectedRevision, decides again on the new state: no lost update, no duplicate responder', async () => {
    for (const [personId, expected] of [
      ['cem', { ana: 'responder', cem: 'responder' }],
      ['ana', { ana: 'responder' }],
    ] as const) {
      const incident = `INC-${randomUUID().slice(0, 8)}`;
      await run(a, declare(incident));
      const gate = deferred();
      const paused = pausedAfterFirstRead(b, gate.promise);
      const slow = run(paused.store, addResponder(incident, personId));
      await paused.hasRead;
      await run(a, addResponder(incident, 'ana'));
      gate.resolve();
      if (personId === 'ana') await expect(slow).rejects.toBeInstanceOf(RuleViolation);
      else await expect(slow).resolves.toMatchObject({ revision: 2, appended: true });
      expect(respondersOf(await a.readStream(`incident-${incident}`))).toEqual(expected);
    }
  });

  describe('20 concurrent writers on one incident', () => {
    const people = Array.from({ length: 20 }, (_, i) => `p${String(i).padStart(2, '0')}`);
    // Some people are added by several writers at once: at most one of them may succeed.
    const commands = [...people, 'p01', 'p01', 'p02', 'p07', 'p07', 'p07'];

    async function race(maxAttempts?: number) {
      const correlationIds = commands.map(() => randomUUID());
      const settled = await Promise.allSettled(
        // All start before any of them resumes: every first read sees only the declaration.
        commands.map((personId, i) => run(i % 2 ? b : a, addResponder(incidentId, personId), correlationIds[i], maxAttempts)),
      );
      const events = await a.readStream(streamId);
      const acknowledged = new Map<string, CommandResult>();
      const refused: string[] = [];
      let conflicts = 0;
      settled.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') acknowledged.set(correlationIds[i], outcome.value);
        else if (outcome.reason instanceof ConcurrencyConflict || outcome.reason instanceof RuleViolation) refused.push(correlationIds[i]);
        else throw outcome.reason;
        if (outcome.status === 'rejected' && outcome.reason instanceof ConcurrencyConflict) conflicts += 1;
      });

      for (const [correlationId, result] of acknowledged) {
        const own = events.filter((e) => e.metadata.correlationId === correlationId);
        expect(own).toHaveLength(1);
        expect(result).toEqual({ streamId, revision: own[0].revision, position: own[0].position, appended: true });
      }
      for (const correlationId of refused) expect(events.filter((e) => e.metadata.correlationId === correlationId)).toEqual([]);
      expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
      expect(events).toHaveLength(1 + acknowledged.size);

      const ackedPeople = commands.filter((_, i) => acknowledged.has(correlationIds[i]));
      expect(new Set(ackedPeople).size).toBe(ackedPeople.length);
      const expected = Object.fromEntries(ackedPeople.map((p) => [p, p.endsWith('0') ? 'commander' : 'responder']));
      expect(respondersOf(events)).toEqual(expected);
      return { acknowledged: ackedPeople, refused: refused.length, conflicts };
    }

    it('with the default retries: every acknowledged command is in the log once, every refused one left nothing', async () => {
      const { acknowledged } = await race();
      expect(acknowledged.length).toBeGreaterThan(0);
    });

    it('with a single attempt: the losers of the race are refused with a conflict and leave nothing', async () => {
      const { acknowledged, conflicts } = await race(1);
      expect(acknowledged.length).toBeGreaterThan(0);
      expect(conflicts).toBeGreaterThan(0);
    });

    it('with enough retries for everyone: every person joins exactly once', async () => {
      // Each failed attempt means another writer's append succeeded in between; at most 20 can.
      const { acknowledged, refused } = await race(people.length + 1);
      expect([...acknowledged].sort()).toEqual(people);
      expect(refused).toBe(commands.length - people.length);
    });
  });

  describe('idempotency key', () => {
    it('a repeated command with the same key returns the first result and appends once', async () => {
      const command = addResponder(incidentId, 'ana', { idempotencyKey: 'join-ana-1' });
      const first = await run(a, command);
      expect(first).toMatchObject({ streamId, revision: 1, appended: true });
      const again = await run(a, command);
      const elsewhere = await run(b, command);
      expect(again).toEqual({ ...first, appended: false });
      expect(elsewhere).toEqual({ ...first, appended: false });
      // The first result stands even though the command was made with a revision that is stale now.
      await run(a, addResponder(incidentId, 'bob'));
      expect(await run(a, addResponder(incidentId, 'ana', { idempotencyKey: 'join-ana-1', expectedRevision: 0 }))).toEqual({
        ...first,
        appended: false,
      });
      expect((await a.readStream(streamId)).filter((e) => e.data.personId === 'ana')).toHaveLength(1);
    });

    it('concurrent calls with the same key append once and all return the same result', async () => {
      const command = addResponder(incidentId, 'ana', { idempotencyKey: 'join-ana-2' });
      const results = await Promise.all([a, b, a, b, a].map((store) => run(store, command)));

      const events = await a.readStream(streamId);
      expect(events.filter((e) => e.type === 'ResponderJoined')).toHaveLength(1);
      const joined = events[1];
      for (const result of results) expect(result).toMatchObject({ streamId, revision: joined.revision, position: joined.position });
      expect(results.filter((r) => r.appended)).toHaveLength(1);
    });

    it('a concurrent retry returns the first result even when another command landed in between', async () => {
      const command = addResponder(incidentId, 'ana', { idempotencyKey: 'join-ana-3' });
      const gate = deferred();
      const paused = pausedAfterFirstRead(b, gate.promise);
      const retry = run(paused.store, command); // read before the first attempt appended
      await paused.hasRead;
      const first = await run(a, command);
      await run(a, addResponder(incidentId, 'bob'));
      gate.resolve();

      expect(await retry).toEqual({ ...first, appended: false });
      expect((await a.readStream(streamId)).filter((e) => e.data.personId === 'ana')).toHaveLength(1);
    });
  });
});
