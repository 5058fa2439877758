import { incidentDecider } from '../deciders/incident';
import { personDecider } from '../deciders/person';
import { serviceDecider } from '../deciders/service';
import { teamDecider } from '../deciders/team';
import { validateInput } from '../validation';
import { COMMANDS, prepareCommand, type CommandName, type CommandSpec } from './catalog';

const now = '2026-03-01T09:00:00Z';

function prepare(name: CommandName, plain: Record<string, unknown>) {
  const { fields } = COMMANDS[name] as CommandSpec;
  return prepareCommand(name, validateInput(fields, plain), now);
}

describe('prepareCommand', () => {
  it('splits the envelope fields from the payload', () => {
    const prepared = prepare('registerPerson', {
      personId: 'ana',
      name: 'Ana',
      timeZone: 'Europe/Berlin',
      occurredAt: '2025-12-24T18:00:00+01:00',
      expectedRevision: 0,
      idempotencyKey: 'req-1',
    });
    expect(prepared).toEqual({
      name: 'registerPerson',
      streamId: 'person-ana',
      command: {
        type: 'RegisterPerson',
        data: { personId: 'ana', name: 'Ana', timeZone: 'Europe/Berlin', occurredAt: '2025-12-24T18:00:00+01:00' },
      },
      decider: personDecider,
      expectedRevision: 0,
      idempotencyKey: 'req-1',
    });
  });

  it('fills occurredAt from now when it is absent', () => {
    expect(prepare('formTeam', { teamId: 'payments', name: 'Payments' }).command.data.occurredAt).toBe(now);
  });

  it('keeps a given occurredAt rather than now', () => {
    expect(prepare('formTeam', { teamId: 'payments', name: 'Payments', occurredAt: '2019-01-01T00:00:00Z' }).command.data.occurredAt).toBe(
      '2019-01-01T00:00:00Z',
    );
  });

  it('leaves absent and null optional fields out of the payload', () => {
    const prepared = prepare('formTeam', { teamId: 'payments', name: 'Payments', parentTeamId: null });
    expect(prepared.command.data).toEqual({ teamId: 'payments', name: 'Payments', occurredAt: now });
    expect(prepared.expectedRevision).toBeUndefined();
    expect(prepared.idempotencyKey).toBeUndefined();
  });

  it.each([
    ['registerPerson', { personId: 'ana', name: 'Ana', timeZone: 'UTC' }, 'person-ana', 'RegisterPerson', personDecider],
    ['formTeam', { teamId: 'payments', name: 'Payments' }, 'team-payments', 'FormTeam', teamDecider],
    ['addTeamMember', { teamId: 'payments', personId: 'ana' }, 'team-payments', 'AddTeamMember', teamDecider],
    ['registerService', { serviceId: 'checkout', name: 'Checkout' }, 'service-checkout', 'RegisterService', serviceDecider],
    ['assignServiceOwner', { serviceId: 'checkout', teamId: 'payments' }, 'service-checkout', 'AssignServiceOwner', serviceDecider],
    ['declareIncident', { incidentId: 'INC-1042', title: 'Down', severity: 'SEV1' }, 'incident-INC-1042', 'DeclareIncident', incidentDecider],
    ['addResponder', { incidentId: 'INC-1042', personId: 'bob', role: 'scribe' }, 'incident-INC-1042', 'AddResponder', incidentDecider],
    ['resolveIncident', { incidentId: 'INC-1042' }, 'incident-INC-1042', 'ResolveIncident', incidentDecider],
  ] as const)('%s targets %s', (name, plain, streamId, commandType, decider) => {
    const prepared = prepare(name, plain);
    expect(prepared.streamId).toBe(streamId);
    expect(prepared.command).toEqual({ type: commandType, data: { ...plain, occurredAt: now } });
    expect(prepared.decider).toBe(decider);
  });

  it('has a case above for every command in the catalog', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual(
      ['addResponder', 'addTeamMember', 'assignServiceOwner', 'declareIncident', 'formTeam', 'registerPerson', 'registerService', 'resolveIncident'],
    );
  });

  it('builds a command its decider accepts', () => {
    const prepared = prepare('declareIncident', { incidentId: 'INC-1042', title: 'Down', severity: 'SEV1', idempotencyKey: 'k' });
    expect(prepared.decider.decide(prepared.command, prepared.decider.initialState())).toEqual([
      { type: 'IncidentDeclared', data: { incidentId: 'INC-1042', title: 'Down', severity: 'SEV1', occurredAt: now } },
    ]);
  });
});
