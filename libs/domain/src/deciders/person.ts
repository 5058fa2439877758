import { NotFound, RuleViolation, assertNever } from '../errors';
import type { EventOf, PersonRegistered, PersonUpdated } from '../events';
import type { Decider } from './decider';

export type PersonEvent = EventOf<'PersonRegistered'> | EventOf<'PersonUpdated'>;

export type PersonCommand =
  | { type: 'RegisterPerson'; data: PersonRegistered }
  | { type: 'UpdatePerson'; data: PersonUpdated };

export type PersonState =
  | { status: 'unknown' }
  | { status: 'registered'; personId: string; name: string; timeZone: string; email?: string };

export const personDecider: Decider<PersonCommand, PersonState, PersonEvent> = {
  initialState: () => ({ status: 'unknown' }),

  decide(command, state) {
    switch (command.type) {
      case 'RegisterPerson':
        if (state.status !== 'unknown') {
          throw new RuleViolation('person.alreadyRegistered', `Person ${command.data.personId} is already registered`, {
            personId: command.data.personId,
          });
        }
        return [{ type: 'PersonRegistered', data: command.data }];
      case 'UpdatePerson':
        if (state.status !== 'registered') {
          throw new NotFound(`Person ${command.data.personId} is not registered`, { personId: command.data.personId });
        }
        return [{ type: 'PersonUpdated', data: command.data }];
      default:
        return assertNever(command, 'person command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'PersonRegistered': {
        const { personId, name, timeZone, email } = event.data;
        return { status: 'registered', personId, name, timeZone, email };
      }
      case 'PersonUpdated':
        if (state.status !== 'registered') return state;
        return {
          ...state,
          name: event.data.name ?? state.name,
          timeZone: event.data.timeZone ?? state.timeZone,
          email: event.data.email ?? state.email,
        };
      default:
        return assertNever(event, 'person event');
    }
  },
};
