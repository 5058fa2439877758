import { NotFound, RuleViolation } from '../errors';
import type { PersonRegistered, PersonUpdated } from '../events';
import { DeciderSpecification, rule } from '../testing/decider-specification';
import { fold } from './decider';
import { personDecider } from './person';

const registered: PersonRegistered = {
  personId: 'ana',
  name: 'Ana',
  timeZone: 'Europe/Berlin',
  email: 'ana@example.com',
  occurredAt: '2026-01-01T00:00:00Z',
};
const moved: PersonUpdated = { personId: 'ana', timeZone: 'America/New_York', occurredAt: '2026-02-01T00:00:00Z' };

const spec = DeciderSpecification.for(personDecider);

describe('person decider', () => {
  describe('RegisterPerson', () => {
    it('registers a new person', () => {
      spec.given([]).when({ type: 'RegisterPerson', data: registered }).then([{ type: 'PersonRegistered', data: registered }]);
    });

    it('refuses a second registration: PersonRegistered is the first event of the stream', () => {
      spec
        .given([{ type: 'PersonRegistered', data: registered }])
        .when({ type: 'RegisterPerson', data: { ...registered, name: 'Ana Again' } })
        .thenThrows(RuleViolation, rule('person.alreadyRegistered'));
    });
  });

  describe('UpdatePerson', () => {
    it('updates a registered person', () => {
      spec
        .given([{ type: 'PersonRegistered', data: registered }])
        .when({ type: 'UpdatePerson', data: moved })
        .then([{ type: 'PersonUpdated', data: moved }]);
    });

    it('refuses to update a person that does not exist with NotFound', () => {
      spec.given([]).when({ type: 'UpdatePerson', data: moved }).thenThrows(NotFound, (error) => error.details.personId === 'ana');
    });
  });

  describe('evolve', () => {
    it('folds registration and updates, keeping fields an update leaves out', () => {
      const state = fold(personDecider, [
        { type: 'PersonRegistered', data: registered },
        { type: 'PersonUpdated', data: moved },
        { type: 'PersonUpdated', data: { personId: 'ana', name: 'Ana M.', occurredAt: '2026-03-01T00:00:00Z' } },
      ]);
      expect(state).toEqual({
        status: 'registered',
        personId: 'ana',
        name: 'Ana M.',
        timeZone: 'America/New_York',
        email: 'ana@example.com',
      });
    });

    it('ignores an update that arrives before any registration', () => {
      expect(fold(personDecider, [{ type: 'PersonUpdated', data: moved }])).toEqual({ status: 'unknown' });
    });
  });
});
