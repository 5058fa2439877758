import { RuleViolation, NotFound } from '../errors';
import { personDecider } from '../deciders/person';
import type { PersonRegistered } from '../events';
import { DeciderSpecification, rule } from './decider-specification';

const ana: PersonRegistered = { personId: 'ana', name: 'Ana', timeZone: 'Europe/Berlin', occurredAt: '2026-01-01T00:00:00Z' };
const spec = DeciderSpecification.for(personDecider);

// The helper is only useful if a wrong expectation fails the test; these prove it does.
describe('DeciderSpecification', () => {
  it('passes when the decided events equal the expected ones', () => {
    spec.given([]).when({ type: 'RegisterPerson', data: ana }).then([{ type: 'PersonRegistered', data: ana }]);
  });

  it('fails when the decided events differ', () => {
    expect(() =>
      spec.given([]).when({ type: 'RegisterPerson', data: ana }).then([{ type: 'PersonRegistered', data: { ...ana, name: 'Bob' } }]),
    ).toThrow();
  });

  it('folds the given events before deciding', () => {
    spec
      .given([{ type: 'PersonRegistered', data: ana }])
      .when({ type: 'RegisterPerson', data: ana })
      .thenThrows(RuleViolation, rule('person.alreadyRegistered'));
  });

  it('fails thenThrows when nothing is thrown', () => {
    expect(() => spec.given([]).when({ type: 'RegisterPerson', data: ana }).thenThrows(RuleViolation)).toThrow(/returned/);
  });

  it('fails thenThrows when the error is of another class', () => {
    expect(() =>
      spec.given([{ type: 'PersonRegistered', data: ana }]).when({ type: 'RegisterPerson', data: ana }).thenThrows(NotFound),
    ).toThrow();
  });

  it('fails thenThrows when the predicate does not match', () => {
    expect(() =>
      spec
        .given([{ type: 'PersonRegistered', data: ana }])
        .when({ type: 'RegisterPerson', data: ana })
        .thenThrows(RuleViolation, rule('person.somethingElse')),
    ).toThrow(/did not match/);
  });

  it('lets the predicate assert with expect', () => {
    expect(() =>
      spec
        .given([{ type: 'PersonRegistered', data: ana }])
        .when({ type: 'RegisterPerson', data: ana })
        .thenThrows(RuleViolation, (error) => {
          expect(error.details).toEqual({ rule: 'person.alreadyRegistered', personId: 'bob' });
        }),
    ).toThrow();
  });
});
