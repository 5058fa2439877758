import { SqliteEventStore } from '@app/event-store';
import { uniqueId } from '@test/support';
import { sqlitePathOf, startTestApp, type TestApp } from '@test/support/app';
import { gql, gqlOk } from '@test/support/graphql';

type Result = { streamId: string; revision: number; position: string };

/** Every mutation of API.md, in an order the rules accept, over real HTTP. */
describe('every command over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app?.close());

  const run = async (mutation: string, inputType: string, input: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const data = await gqlOk<Record<string, Result>>(
      app.url,
      `mutation($input: ${inputType}!) { ${mutation}(input: $input) { streamId revision position } }`,
      { input },
      headers,
    );
    return data[mutation];
  };

  it('accepts the whole lifecycle of an org and an incident, and projects it without error', async () => {
    const id = uniqueId('x');
    const [ana, bob, payments, commerce, checkout, ledger, inc] = ['ana', 'bob', 'payments', 'commerce', 'checkout', 'ledger', 'INC'].map((n) => `${n}-${id}`);
    const t = (minute: number) => new Date(Date.UTC(2026, 1, 1, 9, minute)).toISOString();

    await run('registerPerson', 'RegisterPersonInput', { personId: ana, name: 'Ana', timeZone: 'Europe/Lisbon', occurredAt: t(0) });
    await run('registerPerson', 'RegisterPersonInput', { personId: bob, name: 'Bob', timeZone: 'Asia/Tokyo', email: 'bob@example.com', occurredAt: t(0) });
    await run('updatePerson', 'UpdatePersonInput', { personId: ana, timeZone: 'America/Sao_Paulo', occurredAt: t(1) });
    await run('formTeam', 'FormTeamInput', { teamId: commerce, name: 'Commerce', occurredAt: t(0) });
    await run('formTeam', 'FormTeamInput', { teamId: payments, name: 'Payments', occurredAt: t(0) });
    await run('renameTeam', 'RenameTeamInput', { teamId: payments, name: 'Payments & Billing', occurredAt: t(1) });
    await run('reparentTeam', 'ReparentTeamInput', { teamId: payments, parentTeamId: commerce, occurredAt: t(1) });
    await run('addTeamMember', 'AddTeamMemberInput', { teamId: payments, personId: ana, role: 'lead', occurredAt: t(1) });
    await run('addTeamMember', 'AddTeamMemberInput', { teamId: payments, personId: bob, occurredAt: t(1) });
    await run('removeTeamMember', 'RemoveTeamMemberInput', { teamId: payments, personId: bob, occurredAt: t(2) });
    await run('scheduleOnCallShift', 'ScheduleOnCallShiftInput', { teamId: payments, shiftId: 'w6', personId: ana, startsAt: t(0), endsAt: t(59), occurredAt: t(0) });
    await run('registerService', 'RegisterServiceInput', { serviceId: checkout, name: 'Checkout', tier: 1, occurredAt: t(0) });
    await run('registerService', 'RegisterServiceInput', { serviceId: ledger, name: 'Ledger', tier: 2, occurredAt: t(0) });
    await run('assignServiceOwner', 'AssignServiceOwnerInput', { serviceId: checkout, teamId: payments, occurredAt: t(1) });
    await run('addServiceDependency', 'ServiceDependencyInput', { serviceId: checkout, dependsOnServiceId: ledger, occurredAt: t(1) });
    await run('removeServiceDependency', 'ServiceDependencyInput', { serviceId: checkout, dependsOnServiceId: ledger, occurredAt: t(2) });

    await run('declareIncident', 'DeclareIncidentInput', { incidentId: inc, title: 'Checkout 500s', severity: 'SEV2', declaredBy: ana, occurredAt: t(10) });
    await run('changeIncidentSeverity', 'ChangeIncidentSeverityInput', { incidentId: inc, severity: 'SEV1', changedBy: ana, occurredAt: t(11) });
    await run('markServiceImpacted', 'MarkServiceImpactedInput', { incidentId: inc, serviceId: checkout, occurredAt: t(11) });
    await run('pageResponder', 'PageResponderInput', { incidentId: inc, personId: bob, escalatedFromPersonId: ana, occurredAt: t(12) });
    await run('acknowledgePage', 'IncidentPersonInput', { incidentId: inc, personId: bob, occurredAt: t(13) });
    await run('addResponder', 'AddResponderInput', { incidentId: inc, personId: ana, role: 'commander', occurredAt: t(12) });
    await run('addResponder', 'AddResponderInput', { incidentId: inc, personId: bob, role: 'expert', occurredAt: t(14) });
    await run('handOffCommand', 'HandOffCommandInput', { incidentId: inc, fromPersonId: ana, toPersonId: bob, occurredAt: t(20) });
    await run('removeResponder', 'IncidentPersonInput', { incidentId: inc, personId: ana, occurredAt: t(21) });
    await run('addTimelineNote', 'AddTimelineNoteInput', { incidentId: inc, noteId: 'n1', text: 'Rolled back the config push', authorId: bob, occurredAt: t(22) });
    await run('identifyContributingFactor', 'IdentifyContributingFactorInput', { incidentId: inc, factorId: 'f1', description: 'Unreviewed config push', category: 'configuration', occurredAt: t(23) });
    await run('mitigateIncident', 'MitigateIncidentInput', { incidentId: inc, mitigatedBy: bob, occurredAt: t(24) });
    await run('resolveIncident', 'ResolveIncidentInput', { incidentId: inc, resolvedBy: bob, occurredAt: t(30) });
    await run('reopenIncident', 'ReopenIncidentInput', { incidentId: inc, reason: 'Errors are back', occurredAt: t(31) });
    await run('resolveIncident', 'ResolveIncidentInput', { incidentId: inc, occurredAt: t(40) });
    await run('createActionItem', 'CreateActionItemInput', { incidentId: inc, actionItemId: 'a1', title: 'Canary config pushes', ownerTeamId: payments, dueAt: '2026-03-01T00:00:00Z', occurredAt: t(41) });
    await run('createActionItem', 'CreateActionItemInput', { incidentId: inc, actionItemId: 'a2', title: 'Alert on 500 rate', ownerPersonId: bob, occurredAt: t(41) });
    await run('completeActionItem', 'ActionItemInput', { incidentId: inc, actionItemId: 'a1', occurredAt: t(50) });
    await run('cancelActionItem', 'CancelActionItemInput', { incidentId: inc, actionItemId: 'a2', reason: 'Duplicate', occurredAt: t(51) });
    await run('publishReview', 'PublishReviewInput', { incidentId: inc, reviewId: 'r1', authorIds: [ana, bob], url: 'https://wiki.example.com/pm/1', occurredAt: t(55) });
    await run('estimateIncidentCost', 'EstimateIncidentCostInput', { incidentId: inc, amount: 12500.5, currency: 'EUR', basis: 'refunds', occurredAt: t(56) });
    await run('dissolveTeam', 'DissolveTeamInput', { teamId: commerce, occurredAt: t(58) });
    const last = await run('retireService', 'RetireServiceInput', { serviceId: ledger, occurredAt: t(59) });

    const read = await gqlOk<{
      incident: { severity: string; status: string; responders: { person: { id: string }; role: string; leftAt: string | null }[]; impactedServices: { owningTeam: { id: string } }[] };
      projection: { lag: string; lastError: { message: string } | null };
    }>(
      app.url,
      `query($id: String!) { incident(id: $id) { severity status responders { person { id } role leftAt } impactedServices { owningTeam { id } } }
        projection { lag lastError { message } } }`,
      { id: inc },
      { 'X-Min-Position': last.position },
    );
    expect(read.projection.lastError).toBeNull();
    expect(read.incident.severity).toBe('SEV1');
    expect(read.incident.status).toBe('resolved');
    expect(read.incident.responders.map((r) => [r.person.id, r.role, r.leftAt !== null])).toEqual([
      [ana, 'commander', true],
      [bob, 'expert', false],
    ]);
    expect(read.incident.impactedServices).toEqual([{ owningTeam: { id: payments } }]);
  });

  it('returns the first result for a retried command with the same idempotency key, as a field or a header', async () => {
    const personId = uniqueId('p');
    const input = { personId, name: 'Retry', timeZone: 'UTC', idempotencyKey: `k-${personId}` };
    const first = await run('registerPerson', 'RegisterPersonInput', input);
    const store = new SqliteEventStore(sqlitePathOf(app.dataDir));
    try {
      const head = await store.headPosition();
      expect(await run('registerPerson', 'RegisterPersonInput', input)).toEqual(first);
      expect(await store.headPosition()).toBe(head);

      const teamId = uniqueId('team');
      const headers = { 'Idempotency-Key': `h-${teamId}` };
      const formed = await run('formTeam', 'FormTeamInput', { teamId, name: 'Once' }, headers);
      expect(await run('formTeam', 'FormTeamInput', { teamId, name: 'Once' }, headers)).toEqual(formed);
      expect((await store.readStream(`team-${teamId}`)).length).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses an update that changes nothing, naming the rule', async () => {
    const personId = uniqueId('p');
    await run('registerPerson', 'RegisterPersonInput', { personId, name: 'Still', timeZone: 'UTC' });
    const result = await gql(app.url, `mutation($i: UpdatePersonInput!) { updatePerson(input: $i) { position } }`, { i: { personId } });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fieldErrors: [{ field: 'input.name', rule: 'isDefined' }] });
  });
});
