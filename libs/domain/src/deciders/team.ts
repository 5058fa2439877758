import { NotFound, RuleViolation, assertNever } from '../errors';
import type {
  EventOf,
  OnCallShiftScheduled,
  TeamDissolved,
  TeamFormed,
  TeamMemberAdded,
  TeamMemberRemoved,
  TeamRenamed,
  TeamReparented,
} from '../events';
import { instant } from '../time';
import type { Decider } from './decider';

export type TeamEvent =
  | EventOf<'TeamFormed'>
  | EventOf<'TeamRenamed'>
  | EventOf<'TeamReparented'>
  | EventOf<'TeamDissolved'>
  | EventOf<'TeamMemberAdded'>
  | EventOf<'TeamMemberRemoved'>
  | EventOf<'OnCallShiftScheduled'>;

export type TeamCommand =
  | { type: 'FormTeam'; data: TeamFormed }
  | { type: 'RenameTeam'; data: TeamRenamed }
  | { type: 'ReparentTeam'; data: TeamReparented }
  | { type: 'DissolveTeam'; data: TeamDissolved }
  | { type: 'AddTeamMember'; data: TeamMemberAdded }
  | { type: 'RemoveTeamMember'; data: TeamMemberRemoved }
  | { type: 'ScheduleOnCallShift'; data: OnCallShiftScheduled };

interface TeamFacts {
  teamId: string;
  name: string;
  parentTeamId: string | null;
  members: ReadonlySet<string>;
  shiftIds: ReadonlySet<string>;
}

export type TeamState =
  | { status: 'unknown' }
  | ({ status: 'active' } & TeamFacts)
  | ({ status: 'dissolved' } & TeamFacts);

function activeTeam(state: TeamState, teamId: string): Extract<TeamState, { status: 'active' }> {
  if (state.status === 'unknown') throw new NotFound(`Team ${teamId} does not exist`, { teamId });
  if (state.status === 'dissolved') {
    throw new RuleViolation('team.dissolved', `Team ${teamId} is dissolved`, { teamId });
  }
  return state;
}

export const teamDecider: Decider<TeamCommand, TeamState, TeamEvent> = {
  initialState: () => ({ status: 'unknown' }),

  decide(command, state) {
    const { teamId } = command.data;
    switch (command.type) {
      case 'FormTeam':
        if (state.status !== 'unknown') {
          throw new RuleViolation('team.alreadyFormed', `Team ${teamId} already exists`, { teamId });
        }
        if (command.data.parentTeamId === teamId) {
          throw new RuleViolation('team.parentIsSelf', `Team ${teamId} cannot be its own parent`, { teamId });
        }
        return [{ type: 'TeamFormed', data: command.data }];
      case 'RenameTeam':
        activeTeam(state, teamId);
        return [{ type: 'TeamRenamed', data: command.data }];
      case 'ReparentTeam':
        activeTeam(state, teamId);
        if (command.data.parentTeamId === teamId) {
          throw new RuleViolation('team.parentIsSelf', `Team ${teamId} cannot be its own parent`, { teamId });
        }
        return [{ type: 'TeamReparented', data: command.data }];
      case 'DissolveTeam':
        activeTeam(state, teamId);
        return [{ type: 'TeamDissolved', data: command.data }];
      case 'AddTeamMember': {
        const team = activeTeam(state, teamId);
        if (team.members.has(command.data.personId)) {
          throw new RuleViolation('team.alreadyMember', `Person ${command.data.personId} is already a member of team ${teamId}`, {
            teamId,
            personId: command.data.personId,
          });
        }
        return [{ type: 'TeamMemberAdded', data: command.data }];
      }
      case 'RemoveTeamMember': {
        const team = activeTeam(state, teamId);
        if (!team.members.has(command.data.personId)) {
          throw new RuleViolation('team.notMember', `Person ${command.data.personId} is not a member of team ${teamId}`, {
            teamId,
            personId: command.data.personId,
          });
        }
        return [{ type: 'TeamMemberRemoved', data: command.data }];
      }
      case 'ScheduleOnCallShift': {
        const team = activeTeam(state, teamId);
        const { shiftId, startsAt, endsAt } = command.data;
        if (team.shiftIds.has(shiftId)) {
          throw new RuleViolation('team.shiftExists', `Shift ${shiftId} is already scheduled for team ${teamId}`, { teamId, shiftId });
        }
        if (instant(endsAt) <= instant(startsAt)) {
          throw new RuleViolation('shift.endsAfterStart', `Shift ${shiftId} must end after it starts`, { shiftId, startsAt, endsAt });
        }
        return [{ type: 'OnCallShiftScheduled', data: command.data }];
      }
      default:
        return assertNever(command, 'team command');
    }
  },

  evolve(state, event) {
    if (event.type === 'TeamFormed') {
      const { teamId, name, parentTeamId } = event.data;
      return { status: 'active', teamId, name, parentTeamId: parentTeamId ?? null, members: new Set(), shiftIds: new Set() };
    }
    if (state.status === 'unknown') return state;
    switch (event.type) {
      case 'TeamRenamed':
        return { ...state, name: event.data.name };
      case 'TeamReparented':
        return { ...state, parentTeamId: event.data.parentTeamId };
      case 'TeamDissolved':
        return { ...state, status: 'dissolved' };
      case 'TeamMemberAdded':
        return { ...state, members: new Set([...state.members, event.data.personId]) };
      case 'TeamMemberRemoved': {
        const members = new Set(state.members);
        members.delete(event.data.personId);
        return { ...state, members };
      }
      case 'OnCallShiftScheduled':
        return { ...state, shiftIds: new Set([...state.shiftIds, event.data.shiftId]) };
      default:
        return assertNever(event, 'team event');
    }
  },
};
