import { NotFound, RuleViolation } from '../errors';
import type { OnCallShiftScheduled, TeamFormed, TeamMemberAdded } from '../events';
import { DeciderSpecification, rule } from '../testing/decider-specification';
import { fold } from './decider';
import { teamDecider, type TeamEvent } from './team';

const teamId = 'payments';
const formed: TeamFormed = { teamId, name: 'Payments', occurredAt: '2026-01-01T00:00:00Z' };
const anaAdded: TeamMemberAdded = { teamId, personId: 'ana', occurredAt: '2026-01-02T00:00:00Z' };
const shift: OnCallShiftScheduled = {
  teamId,
  shiftId: 'wk-10',
  personId: 'ana',
  startsAt: '2026-03-02T09:00:00Z',
  endsAt: '2026-03-09T09:00:00Z',
  occurredAt: '2026-02-20T00:00:00Z',
};

const at = '2026-02-01T00:00:00Z';
const given = (...events: TeamEvent[]) => DeciderSpecification.for(teamDecider).given(events);
const active: TeamEvent[] = [{ type: 'TeamFormed', data: formed }];
const dissolved: TeamEvent[] = [...active, { type: 'TeamDissolved', data: { teamId, occurredAt: at } }];

describe('team decider', () => {
  describe('FormTeam', () => {
    it('forms a new team', () => {
      const data = { ...formed, parentTeamId: 'engineering' };
      given().when({ type: 'FormTeam', data }).then([{ type: 'TeamFormed', data }]);
    });

    it('refuses to form a team twice: TeamFormed is the first event of the stream', () => {
      given(...active).when({ type: 'FormTeam', data: formed }).thenThrows(RuleViolation, rule('team.alreadyFormed'));
    });

    it('refuses to form a dissolved team again', () => {
      given(...dissolved).when({ type: 'FormTeam', data: formed }).thenThrows(RuleViolation, rule('team.alreadyFormed'));
    });

    it('refuses a team that is its own parent', () => {
      given()
        .when({ type: 'FormTeam', data: { ...formed, parentTeamId: teamId } })
        .thenThrows(RuleViolation, rule('team.parentIsSelf'));
    });
  });

  describe('RenameTeam', () => {
    const data = { teamId, name: 'Payments Platform', occurredAt: at };

    it('renames an active team', () => {
      given(...active).when({ type: 'RenameTeam', data }).then([{ type: 'TeamRenamed', data }]);
    });

    it('refuses a team that does not exist with NotFound', () => {
      given().when({ type: 'RenameTeam', data }).thenThrows(NotFound, (e) => e.details.teamId === teamId);
    });

    it('refuses a dissolved team', () => {
      given(...dissolved).when({ type: 'RenameTeam', data }).thenThrows(RuleViolation, rule('team.dissolved'));
    });
  });

  describe('ReparentTeam', () => {
    it('moves a team under another', () => {
      const data = { teamId, parentTeamId: 'platform', occurredAt: at };
      given(...active).when({ type: 'ReparentTeam', data }).then([{ type: 'TeamReparented', data }]);
    });

    it('moves a team to the top level with a null parent', () => {
      const data = { teamId, parentTeamId: null, occurredAt: at };
      given(...active).when({ type: 'ReparentTeam', data }).then([{ type: 'TeamReparented', data }]);
    });

    it('refuses to make a team its own parent', () => {
      given(...active)
        .when({ type: 'ReparentTeam', data: { teamId, parentTeamId: teamId, occurredAt: at } })
        .thenThrows(RuleViolation, rule('team.parentIsSelf'));
    });

    it('refuses a dissolved team', () => {
      given(...dissolved)
        .when({ type: 'ReparentTeam', data: { teamId, parentTeamId: 'platform', occurredAt: at } })
        .thenThrows(RuleViolation, rule('team.dissolved'));
    });
  });

  describe('DissolveTeam', () => {
    const data = { teamId, occurredAt: at };

    it('dissolves an active team', () => {
      given(...active).when({ type: 'DissolveTeam', data }).then([{ type: 'TeamDissolved', data }]);
    });

    it('refuses to dissolve a team twice', () => {
      given(...dissolved).when({ type: 'DissolveTeam', data }).thenThrows(RuleViolation, rule('team.dissolved'));
    });

    it('refuses a team that does not exist with NotFound', () => {
      given().when({ type: 'DissolveTeam', data }).thenThrows(NotFound);
    });
  });

  describe('AddTeamMember', () => {
    it('adds a person as a member', () => {
      const data: TeamMemberAdded = { ...anaAdded, role: 'lead' };
      given(...active).when({ type: 'AddTeamMember', data }).then([{ type: 'TeamMemberAdded', data }]);
    });

    it('refuses a person who is already a member', () => {
      given(...active, { type: 'TeamMemberAdded', data: anaAdded })
        .when({ type: 'AddTeamMember', data: { ...anaAdded, occurredAt: at } })
        .thenThrows(RuleViolation, (e) => e.details.rule === 'team.alreadyMember' && e.details.personId === 'ana');
    });

    it('adds a person again after they were removed', () => {
      const data = { ...anaAdded, occurredAt: '2026-04-01T00:00:00Z' };
      given(...active, { type: 'TeamMemberAdded', data: anaAdded }, { type: 'TeamMemberRemoved', data: { teamId, personId: 'ana', occurredAt: at } })
        .when({ type: 'AddTeamMember', data })
        .then([{ type: 'TeamMemberAdded', data }]);
    });

    it('refuses a dissolved team', () => {
      given(...dissolved).when({ type: 'AddTeamMember', data: anaAdded }).thenThrows(RuleViolation, rule('team.dissolved'));
    });

    it('refuses a team that does not exist with NotFound', () => {
      given().when({ type: 'AddTeamMember', data: anaAdded }).thenThrows(NotFound);
    });
  });

  describe('RemoveTeamMember', () => {
    const data = { teamId, personId: 'ana', occurredAt: at };

    it('removes a member', () => {
      given(...active, { type: 'TeamMemberAdded', data: anaAdded })
        .when({ type: 'RemoveTeamMember', data })
        .then([{ type: 'TeamMemberRemoved', data }]);
    });

    it('refuses a person who is not a member', () => {
      given(...active, { type: 'TeamMemberAdded', data: { ...anaAdded, personId: 'bob' } })
        .when({ type: 'RemoveTeamMember', data })
        .thenThrows(RuleViolation, rule('team.notMember'));
    });

    it('refuses a person who was already removed', () => {
      given(...active, { type: 'TeamMemberAdded', data: anaAdded }, { type: 'TeamMemberRemoved', data })
        .when({ type: 'RemoveTeamMember', data })
        .thenThrows(RuleViolation, rule('team.notMember'));
    });

    it('refuses a dissolved team', () => {
      given(...active, { type: 'TeamMemberAdded', data: anaAdded }, { type: 'TeamDissolved', data: { teamId, occurredAt: at } })
        .when({ type: 'RemoveTeamMember', data })
        .thenThrows(RuleViolation, rule('team.dissolved'));
    });
  });

  describe('ScheduleOnCallShift', () => {
    it('schedules a shift', () => {
      given(...active).when({ type: 'ScheduleOnCallShift', data: shift }).then([{ type: 'OnCallShiftScheduled', data: shift }]);
    });

    it('refuses a shift that ends when it starts', () => {
      given(...active)
        .when({ type: 'ScheduleOnCallShift', data: { ...shift, endsAt: shift.startsAt } })
        .thenThrows(RuleViolation, rule('shift.endsAfterStart'));
    });

    it('refuses a shift that ends before it starts', () => {
      given(...active)
        .when({ type: 'ScheduleOnCallShift', data: { ...shift, startsAt: shift.endsAt, endsAt: shift.startsAt } })
        .thenThrows(RuleViolation, rule('shift.endsAfterStart'));
    });

    it('compares instants, not strings, across offsets', () => {
      // 10:00+02:00 is 08:00Z: the shift ends an hour after it starts, though "09:00Z" < "10:00+02:00" as text.
      const data = { ...shift, startsAt: '2026-03-02T10:00:00+02:00', endsAt: '2026-03-02T09:00:00Z' };
      given(...active).when({ type: 'ScheduleOnCallShift', data }).then([{ type: 'OnCallShiftScheduled', data }]);
    });

    it('refuses a shift whose end is before its start once offsets are applied', () => {
      // 11:00+03:00 is 08:00Z, before the 10:00Z start, though "11:00" > "10:00" as text.
      given(...active)
        .when({ type: 'ScheduleOnCallShift', data: { ...shift, startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T11:00:00+03:00' } })
        .thenThrows(RuleViolation, rule('shift.endsAfterStart'));
    });

    it('refuses a shift id that is already scheduled', () => {
      given(...active, { type: 'OnCallShiftScheduled', data: shift })
        .when({ type: 'ScheduleOnCallShift', data: { ...shift, personId: 'bob' } })
        .thenThrows(RuleViolation, (e) => e.details.rule === 'team.shiftExists' && e.details.shiftId === 'wk-10');
    });

    it('refuses a dissolved team', () => {
      given(...dissolved).when({ type: 'ScheduleOnCallShift', data: shift }).thenThrows(RuleViolation, rule('team.dissolved'));
    });

    it('refuses a team that does not exist with NotFound', () => {
      given().when({ type: 'ScheduleOnCallShift', data: shift }).thenThrows(NotFound);
    });
  });

  describe('evolve', () => {
    it('folds a stream into the team state', () => {
      const state = fold(teamDecider, [
        { type: 'TeamFormed', data: { ...formed, parentTeamId: 'engineering' } },
        { type: 'TeamRenamed', data: { teamId, name: 'Payments Platform', occurredAt: at } },
        { type: 'TeamReparented', data: { teamId, parentTeamId: null, occurredAt: at } },
        { type: 'TeamMemberAdded', data: anaAdded },
        { type: 'TeamMemberAdded', data: { ...anaAdded, personId: 'bob' } },
        { type: 'TeamMemberRemoved', data: { teamId, personId: 'ana', occurredAt: at } },
        { type: 'OnCallShiftScheduled', data: shift },
        { type: 'TeamDissolved', data: { teamId, occurredAt: at } },
      ]);
      expect(state).toEqual({
        status: 'dissolved',
        teamId,
        name: 'Payments Platform',
        parentTeamId: null,
        members: new Set(['bob']),
        shiftIds: new Set(['wk-10']),
      });
    });

    it('leaves an unknown team unknown when events arrive before TeamFormed', () => {
      expect(fold(teamDecider, [{ type: 'TeamMemberAdded', data: anaAdded }])).toEqual({ status: 'unknown' });
    });
  });
});
