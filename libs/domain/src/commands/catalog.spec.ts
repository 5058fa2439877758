import { incidentDecider } from '../deciders/incident';
import { personDecider } from '../deciders/person';
import { serviceDecider } from '../deciders/service';
import { teamDecider } from '../deciders/team';
import { validateInput } from '../validation';
import { EVENT_TYPES } from '../events';
import { SAMPLE_COMMAND_INPUTS } from '../testing/sample-commands';
import { COMMAND_FOR_EVENT, COMMANDS, prepareCommand, type CommandName, type CommandSpec } from './catalog';

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

  const STREAMS: Record<string, string> = { person: 'person-ana', team: 'team-payments', service: 'service-checkout', incident: 'incident-INC-1042' };

  it.each(Object.keys(COMMANDS) as CommandName[])('%s validates its sample input and targets its entity stream', (name) => {
    const commandSpec = COMMANDS[name] as CommandSpec;
    const prepared = prepare(name, SAMPLE_COMMAND_INPUTS[name]);
    expect(prepared.streamId).toBe(STREAMS[commandSpec.category]);
    expect(prepared.command.data).toMatchObject({ ...SAMPLE_COMMAND_INPUTS[name], occurredAt: now });
    expect(prepared.decider).toBe(
      { person: personDecider, team: teamDecider, service: serviceDecider, incident: incidentDecider }[commandSpec.category],
    );
  });

  it('has exactly one command for every event type of the catalog', () => {
    expect(Object.keys(COMMAND_FOR_EVENT).sort()).toEqual([...EVENT_TYPES].sort());
    for (const [eventType, name] of Object.entries(COMMAND_FOR_EVENT)) expect((COMMANDS[name] as CommandSpec).eventType).toBe(eventType);
  });

  it('spells an absent parent of reparentTeam as null (top level)', () => {
    expect(prepare('reparentTeam', { teamId: 'payments' }).command.data).toEqual({ teamId: 'payments', parentTeamId: null, occurredAt: now });
  });

  it('builds a command its decider accepts', () => {
    const prepared = prepare('declareIncident', { incidentId: 'INC-1042', title: 'Down', severity: 'SEV1', idempotencyKey: 'k' });
    expect(prepared.decider.decide(prepared.command, prepared.decider.initialState())).toEqual([
      { type: 'IncidentDeclared', data: { incidentId: 'INC-1042', title: 'Down', severity: 'SEV1', occurredAt: now } },
    ]);
  });
});
