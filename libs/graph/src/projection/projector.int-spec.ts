import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Driver } from 'neo4j-driver';
import pino from 'pino';
import type { NewEvent } from '@app/domain';
import { SqliteEventStore } from '@app/event-store';
import { eventually, tempDir, testDriver, uniqueId } from '@test/support';
import { EntityReader } from '../queries/entities';
import { readCheckpoint, setRebuildPhase, startRebuildOnCheckpoint } from './checkpoint';
import { Projector } from './projector';
import { PROJECTION_DEFINITION } from './definition';
import { ProjectionDefinitionChanged, ProjectionLogMismatch } from './projector-types';

const logger = pino({ level: 'silent' });

function event(type: string, data: Record<string, unknown>): NewEvent<string> {
  return { id: randomUUID(), type, data, metadata: { schemaVersion: 1, source: 'test' } };
}

describe('Projector (real Neo4j, real SQLite)', () => {
  let driver: Driver;
  let store: SqliteEventStore;
  let projectors: Projector[];
  let reader: EntityReader;

  beforeAll(() => {
    driver = testDriver();
    reader = new EntityReader(driver);
  });
  afterAll(() => driver.close());

  beforeEach(() => {
    store = new SqliteEventStore(join(tempDir(), 'events.sqlite'));
    projectors = [];
  });
  afterEach(async () => {
    for (const projector of projectors) await projector.stop();
    await store.close();
  });

  async function startProjector(
    name: string,
    options: {
      onError?: 'stop' | 'skip';
      batchSize?: number;
      maxWaitMs?: number;
      rebuildGeneration?: number;
      logger?: pino.Logger;
      replanIntervalMs?: number;
      log?: SqliteEventStore;
    } = {},
  ) {
    const projector = new Projector(driver, options.log ?? store, {
      name,
      batchSize: options.batchSize ?? 100,
      maxWaitMs: options.maxWaitMs,
      onError: options.onError ?? 'stop',
      logger: options.logger ?? logger,
      rebuildGeneration: options.rebuildGeneration,
      pausePollMs: 50,
      replanIntervalMs: options.replanIntervalMs,
    });
    projectors.push(projector);
    await projector.start();
    return projector;
  }

  async function checkpointOf(name: string) {
    const session = driver.session();
    try {
      return await session.executeRead((tx) => readCheckpoint(tx, name));
    } finally {
      await session.close();
    }
  }

  async function seedSlice(ids: { person: string; team: string; service: string; incident: string; other: string }, log: SqliteEventStore = store) {
    await log.append(`person-${ids.person}`, [
      event('PersonRegistered', { personId: ids.person, name: 'Ana', timeZone: 'Europe/Berlin', occurredAt: '2026-01-01T00:00:00Z' }),
    ]);
    await log.append(`team-${ids.team}`, [
      event('TeamFormed', { teamId: ids.team, name: 'Payments', occurredAt: '2026-01-01T00:00:00Z' }),
      event('TeamMemberAdded', { teamId: ids.team, personId: ids.person, occurredAt: '2026-01-02T00:00:00Z' }),
    ]);
    await log.append(`service-${ids.service}`, [
      event('ServiceRegistered', { serviceId: ids.service, name: 'Checkout', tier: 1, occurredAt: '2026-01-01T00:00:00Z' }),
      event('ServiceOwnershipAssigned', { serviceId: ids.service, teamId: ids.team, occurredAt: '2026-01-03T00:00:00Z' }),
      // Ownership moves after the incident: the incident must still show the owner of its time.
      event('ServiceOwnershipAssigned', { serviceId: ids.service, teamId: ids.other, occurredAt: '2026-03-01T00:00:00Z' }),
    ]);
    return log.append(`incident-${ids.incident}`, [
      event('IncidentDeclared', {
        incidentId: ids.incident,
        title: 'Checkout down',
        severity: 'SEV1',
        impactedServiceIds: [ids.service],
        occurredAt: '2026-02-01T10:00:00+01:00',
      }),
      event('ResponderJoined', { incidentId: ids.incident, personId: ids.person, role: 'commander', occurredAt: '2026-02-01T10:05:00+01:00' }),
      event('ResponderJoined', { incidentId: ids.incident, personId: `${ids.person}-ghost`, role: 'expert', occurredAt: '2026-02-01T10:07:00+01:00' }),
    ]);
  }

  const sliceIds = () => ({
    person: uniqueId('ana'),
    team: uniqueId('payments'),
    service: uniqueId('checkout'),
    incident: uniqueId('INC'),
    other: uniqueId('platform'),
  });

  it('projects an incident with responders, placeholders and the owner at the time of the incident', async () => {
    const ids = sliceIds();
    const last = await seedSlice(ids);
    const projector = await startProjector(uniqueId('proj'));
    expect(await projector.waitForPosition(last.position, 30_000)).toBe(true);

    const incident = await reader.incident(ids.incident);
    expect(incident).toMatchObject({
      id: ids.incident,
      title: 'Checkout down',
      severity: 'SEV1',
      status: 'active',
      declaredAt: '2026-02-01T10:00:00+01:00',
      placeholder: false,
    });
    expect(incident?.responders).toEqual([
      { person: { id: ids.person, name: 'Ana', placeholder: false }, role: 'commander', joinedAt: '2026-02-01T10:05:00+01:00', leftAt: null },
      { person: { id: `${ids.person}-ghost`, name: null, placeholder: true }, role: 'expert', joinedAt: '2026-02-01T10:07:00+01:00', leftAt: null },
    ]);
    expect(incident?.impactedServices).toEqual([
      {
        service: { id: ids.service, name: 'Checkout', tier: 1, placeholder: false },
        owningTeam: { id: ids.team, name: 'Payments', placeholder: false },
      },
    ]);
    expect((await reader.service(ids.service))?.owner).toEqual({ id: ids.other, name: null, placeholder: true });
    expect((await reader.service(ids.service, '2026-02-15T00:00:00Z'))?.owner?.id).toBe(ids.team);
    const team = await reader.team(ids.team);
    expect(team?.members.map((m) => [m.person.id, m.role, m.since, m.until])).toEqual([[ids.person, 'member', '2026-01-02T00:00:00Z', null]]);
    expect((await reader.team(ids.team, '2026-01-01T12:00:00Z'))?.members).toEqual([]);
  });

  it('completes a placeholder in place when the registration arrives later', async () => {
    const incidentId = uniqueId('INC');
    const personId = uniqueId('late');
    await store.append(`incident-${incidentId}`, [
      event('IncidentDeclared', { incidentId, title: 'Late', severity: 'SEV3', occurredAt: '2026-02-01T00:00:00Z' }),
      event('ResponderJoined', { incidentId, personId, role: 'responder', occurredAt: '2026-02-01T00:01:00Z' }),
    ]);
    const last = await store.append(`person-${personId}`, [
      event('PersonRegistered', { personId, name: 'Late Larry', timeZone: 'Asia/Tokyo', occurredAt: '2026-03-01T00:00:00Z' }),
    ]);
    const projector = await startProjector(uniqueId('proj'), { batchSize: 1 });
    await projector.waitForPosition(last.position, 30_000);
    const incident = await reader.incident(incidentId);
    expect(incident?.responders[0].person).toEqual({ id: personId, name: 'Late Larry', placeholder: false });
  });

  it('writes the checkpoint with each batch and resumes from it without writing anything twice', async () => {
    const ids = sliceIds();
    const name = uniqueId('proj');
    const first = await seedSlice(ids);
    const projector = await startProjector(name, { batchSize: 2 });
    await projector.waitForPosition(first.position, 30_000);
    await projector.stop();

    const checkpoint = await driver.executeQuery('MATCH (c:ProjectionCheckpoint {name: $name}) RETURN c.position AS position, c.logId AS logId', { name });
    expect(checkpoint.records[0].get('position').toString()).toBe(first.position);
    expect(checkpoint.records[0].get('logId')).toBe(await store.logId());

    const resolved = await store.append(`incident-${ids.incident}`, [
      event('IncidentResolved', { incidentId: ids.incident, occurredAt: '2026-02-01T12:00:00+01:00' }),
    ]);
    const again = await startProjector(name);
    expect(again.position).toBe(first.position);
    await again.waitForPosition(resolved.position, 30_000);
    const incident = await reader.incident(ids.incident);
    expect(incident).toMatchObject({ status: 'resolved', resolvedAt: '2026-02-01T12:00:00+01:00' });
    const rels = await driver.executeQuery('MATCH (:Person)-[r:RESPONDED_TO]->(:Incident {id: $id}) RETURN count(r) AS n', { id: ids.incident });
    expect(rels.records[0].get('n').toNumber()).toBe(2);
  });

  /** A slice projected to its end by a projector that then stopped: the projection's name and last event. */
  async function projectedSlice() {
    const name = uniqueId('proj');
    const last = await seedSlice(sliceIds());
    const projector = await startProjector(name);
    await projector.waitForPosition(last.position, 30_000);
    await projector.stop();
    return { name, last };
  }

  it('refuses to continue a projection that was built from another log', async () => {
    const { name } = await projectedSlice();

    const otherStore = new SqliteEventStore(join(tempDir(), 'other.sqlite'));
    try {
      const stranger = new Projector(driver, otherStore, { name, batchSize: 10, onError: 'stop', logger });
      await expect(stranger.start()).rejects.toBeInstanceOf(ProjectionLogMismatch);
    } finally {
      await otherStore.close();
    }
  });

  it('records the definition that built the graph, and refuses to add to a graph of another definition until it is rebuilt', async () => {
    const { name, last } = await projectedSlice();
    expect((await checkpointOf(name)).definition).toBe(PROJECTION_DEFINITION);

    // The graph of an earlier version: its checkpoint has another definition (or none at all).
    for (const earlier of ['0123456789abcdef', null]) {
      await driver.executeQuery('MATCH (c:ProjectionCheckpoint {name: $name}) SET c.definition = $earlier', { name, earlier });
      const upgraded = new Projector(driver, store, { name, batchSize: 10, onError: 'stop', logger });
      const refused = upgraded.start();
      await expect(refused).rejects.toBeInstanceOf(ProjectionDefinitionChanged);
      await expect(refused).rejects.toThrow(/catalyst projections rebuild/);
      await upgraded.stop();
    }
    // Nothing was written past the refusal.
    expect((await checkpointOf(name)).position).toBe(last.position);
  });

  it.each(['stop', 'skip'] as const)('records an event it cannot project and applies the %s policy', async (policy) => {
    const incidentId = uniqueId('INC');
    await store.append(`incident-${incidentId}`, [
      event('IncidentDeclared', { incidentId, title: 'Bad data', severity: 'SEV2', occurredAt: '2026-02-01T00:00:00Z' }),
    ]);
    const bad = await store.append(`incident-${incidentId}`, [{ id: randomUUID(), type: 'NoSuchEvent', data: { incidentId }, metadata: {} }]);
    const after = await store.append(`incident-${incidentId}`, [
      event('IncidentResolved', { incidentId, occurredAt: '2026-02-01T01:00:00Z' }),
    ]);
    const name = uniqueId('proj');
    const projector = await startProjector(name, { onError: policy });
    await eventually(async () => projector.lastError ?? undefined, 30_000, 'the projection error');
    expect(projector.lastError).toMatchObject({ position: bad.position, type: 'NoSuchEvent', streamId: `incident-${incidentId}` });
    expect(projector.metrics()).toMatchObject({ errors: 1, eventsSkipped: policy === 'skip' ? 1 : 0 });
    // Kept with the checkpoint, for the API and the CLI of another process.
    const persisted = await eventually(async () => (await checkpointOf(name)).lastError ?? undefined, 10_000, 'the persisted error');
    expect(persisted).toMatchObject({ position: bad.position, type: 'NoSuchEvent', message: expect.stringContaining('NoSuchEvent') });
    expect(persisted.skipped ?? false).toBe(policy === 'skip');

    if (policy === 'stop') {
      await eventually(async () => (projector.state === 'failed' ? true : undefined), 10_000, 'the projector to stop');
      expect(BigInt(projector.position)).toBeLessThan(BigInt(bad.position));
      expect((await reader.incident(incidentId))?.status).toBe('active');
    } else {
      expect(await projector.waitForPosition(after.position, 30_000)).toBe(true);
      expect((await reader.incident(incidentId))?.status).toBe('resolved');
      // The graph lacks that event until a rebuild: the error stays visible.
      expect(projector.lastError).toMatchObject({ position: bad.position, skipped: true });
    }
  });
  it('writes the same graph from full (catch-up) and partial (live) batches, and replans what live batches ran in the background', async () => {
    const entries: { msg: string; types?: string[]; statements?: number }[] = [];
    const capture = pino({ level: 'info' }, { write: (line: string) => entries.push(JSON.parse(line)) });
    // Batch size 1: every batch is full, so every statement is sent for replanning when stale.
    const full = sliceIds();
    const fullLast = await seedSlice(full);
    const catchUp = await startProjector(uniqueId('catchup'), { batchSize: 1, logger: capture, replanIntervalMs: 100 });
    expect(await catchUp.waitForPosition(fullLast.position, 30_000)).toBe(true);
    await catchUp.stop();
    // The same slice in a log of its own, projected at batch size 100: partial batches, cached plans.
    const partial = sliceIds();
    const own = new SqliteEventStore(join(tempDir(), 'events.sqlite'));
    const partialLast = await seedSlice(partial, own);
    const live = await startProjector(uniqueId('live'), { batchSize: 100, logger: capture, replanIntervalMs: 100, log: own });
    expect(await live.waitForPosition(partialLast.position, 30_000)).toBe(true);

    const shape = async (ids: ReturnType<typeof sliceIds>) => {
      const incident = await reader.incident(ids.incident);
      const swap = (value: unknown) => JSON.parse(JSON.stringify(value).split(ids.person).join('P').split(ids.team).join('T').split(ids.service).join('S').split(ids.incident).join('I').split(ids.other).join('O'));
      return swap({ incident, service: await reader.service(ids.service) });
    };
    expect(await shape(partial)).toEqual(await shape(full));

    // Only the live projector's batches were partial: its types, and only once until it writes again.
    const refreshes = () => entries.filter((entry) => entry.msg === 'projection plans refreshed');
    const [refreshed] = await eventually(async () => (refreshes().length > 0 ? refreshes() : undefined), 30_000, 'a plan refresh');
    expect(refreshed.types?.sort()).toEqual(['IncidentDeclared', 'PersonRegistered', 'ResponderJoined', 'ServiceOwnershipAssigned', 'ServiceRegistered', 'TeamFormed', 'TeamMemberAdded']);
    expect(refreshed.statements).toBeGreaterThanOrEqual(7);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(refreshes()).toHaveLength(1);
    await live.stop();
    await own.close();
  });

  it('gathers a trickle of events into one transaction for up to maxWaitMs, and writes full batches at once', async () => {
    const projector = await startProjector(uniqueId('proj'), { batchSize: 10, maxWaitMs: 1000 });
    const teamId = uniqueId('team');
    let last = await store.append(`team-${teamId}`, [event('TeamFormed', { teamId, name: 'Trickle', occurredAt: '2026-01-01T00:00:00Z' })]);
    const started = Date.now();
    for (let n = 0; n < 5; n++) {
      last = await store.append(`team-${teamId}`, [event('TeamMemberAdded', { teamId, personId: `${teamId}-p${n}`, occurredAt: '2026-01-02T00:00:00Z' })]);
    }
    expect(await projector.waitForPosition(last.position, 10_000)).toBe(true);
    const waited = Date.now() - started;
    expect(projector.metrics()).toMatchObject({ eventsProjected: 6, batchesWritten: 1 });
    expect(waited).toBeLessThan(6_000);

    const many = Array.from({ length: 25 }, (_, n) => event('TeamMemberAdded', { teamId, personId: `${teamId}-q${n}`, occurredAt: '2026-01-03T00:00:00Z' }));
    last = await store.append(`team-${teamId}`, many);
    expect(await projector.waitForPosition(last.position, 10_000)).toBe(true);
    // 10 + 10 at once, the last 5 after the wait.
    expect(projector.metrics()).toMatchObject({ eventsProjected: 31, batchesWritten: 4 });
    const members = await driver.executeQuery('MATCH (:Person)-[m:MEMBER_OF]->(:Team {id: $teamId}) RETURN count(m) AS n', { teamId });
    expect(members.records[0].get('n').toNumber()).toBe(30);
  });

  it('writes only what the checkpoint lacks when it moved under a running projector (a commit it did not hear of)', async () => {
    const ids = sliceIds();
    const name = uniqueId('proj');
    const projector = await startProjector(name, { batchSize: 10, maxWaitMs: 1500 });
    const seeded = await seedSlice(ids);
    expect(await projector.waitForPosition(seeded.position, 30_000)).toBe(true);
    const before = projector.metrics();

    // Held for up to maxWaitMs: meanwhile another writer commits the checkpoint past it, as a
    // transaction whose commit this projector did not hear of would have.
    const changed = await store.append(`incident-${ids.incident}`, [event('IncidentSeverityChanged', { incidentId: ids.incident, severity: 'SEV3', occurredAt: '2026-02-01T11:00:00+01:00' })]);
    await driver.executeQuery('MATCH (c:ProjectionCheckpoint {name: $name}) SET c.position = $position', { name, position: BigInt(changed.position) });
    const resolved = await store.append(`incident-${ids.incident}`, [event('IncidentResolved', { incidentId: ids.incident, occurredAt: '2026-02-01T12:00:00+01:00' })]);

    expect(await projector.waitForPosition(resolved.position, 30_000)).toBe(true);
    // One transaction, the careful one: the event at or before the checkpoint was not written again.
    expect(projector.metrics()).toMatchObject({ eventsProjected: before.eventsProjected + 1, batchesWritten: before.batchesWritten + 1, state: 'running' });
    expect(await reader.incident(ids.incident)).toMatchObject({ severity: 'SEV1', status: 'resolved' });
    expect((await checkpointOf(name)).position).toBe(resolved.position);
  });

  it('pauses while its projection is rebuilt and then follows the rebuilt checkpoint', async () => {
    const name = uniqueId('proj');
    const ids = sliceIds();
    const first = await seedSlice(ids);
    const live = await startProjector(name, { batchSize: 3 });
    expect(await live.waitForPosition(first.position, 30_000)).toBe(true);

    // A rebuild starts (here without dropping anything: the graph is shared with other tests).
    const session = driver.session();
    const logId = await store.logId();
    const { checkpoint } = await session.executeWrite((tx) => startRebuildOnCheckpoint(tx, name, logId));
    expect(checkpoint).toMatchObject({ position: '0', rebuild: { phase: 'deleting' } });
    await session.executeWrite((tx) => setRebuildPhase(tx, name, checkpoint.generation, 'projecting'));

    const during = await store.append(`incident-${ids.incident}`, [event('IncidentMitigated', { incidentId: ids.incident, occurredAt: '2026-02-01T11:00:00+01:00' })]);
    await eventually(async () => (live.state === 'paused' ? true : undefined), 10_000, 'the live projector to pause');
    const late = await startProjector(name);
    expect(late.state).toBe('paused');

    const rebuilder = await startProjector(name, { batchSize: 4, rebuildGeneration: checkpoint.generation });
    expect(await rebuilder.waitForPosition(during.position, 30_000)).toBe(true);
    await rebuilder.stop();
    await session.executeWrite((tx) => setRebuildPhase(tx, name, checkpoint.generation, null));
    await session.close();

    const after = await store.append(`incident-${ids.incident}`, [event('IncidentResolved', { incidentId: ids.incident, occurredAt: '2026-02-01T12:00:00+01:00' })]);
    for (const projector of [live, late]) {
      await eventually(async () => (projector.state === 'running' ? true : undefined), 10_000, 'the projector to resume');
      expect(await projector.waitForPosition(after.position, 30_000)).toBe(true);
    }
    expect(await reader.incident(ids.incident)).toMatchObject({ status: 'resolved', mitigatedAt: '2026-02-01T11:00:00+01:00' });
    expect((await checkpointOf(name)).generation).toBe(checkpoint.generation);
  });
});
