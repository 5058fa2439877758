import type { Decider } from '../deciders/decider';
import { fold } from '../deciders/decider';
import type { DomainError } from '../errors';
import type { DomainEvent } from '../events';

/**
 * Given/when/then for deciders, in the spirit of emmett's DeciderSpecification:
 *
 *   DeciderSpecification.for(teamDecider)
 *     .given([formed])
 *     .when({ type: 'AddTeamMember', data })
 *     .then([{ type: 'TeamMemberAdded', data }]);
 *
 * The given events are folded with the decider's own evolve, so a test also exercises evolve.
 * Failures are jest expectation errors (or plain errors), so they fail the enclosing test.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ErrorClass<E extends Error> = abstract new (...args: any[]) => E;

/** `false` means the error did not match; a predicate may also assert with `expect` itself. */
type ErrorCheck<E> = (error: E) => boolean | void;

export interface DeciderThen<Event> {
  then(expected: Event[]): void;
  thenThrows<E extends Error>(errorClass: ErrorClass<E>, check?: ErrorCheck<E>): void;
}

export const DeciderSpecification = {
  for<Command, State, Event extends DomainEvent>(decider: Decider<Command, State, Event>) {
    return {
      given(events: Event[]) {
        return {
          when(command: Command): DeciderThen<Event> {
            const run = () => decider.decide(command, fold(decider, events));
            return {
              then(expected) {
                expect(run()).toEqual(expected);
              },
              thenThrows<E extends Error>(errorClass: ErrorClass<E>, check?: ErrorCheck<E>) {
                let decided: Event[] | undefined;
                let thrown: unknown;
                try {
                  decided = run();
                } catch (error) {
                  thrown = error;
                }
                if (decided !== undefined) {
                  throw new Error(`Expected ${errorClass.name} but the decider returned ${JSON.stringify(decided)}`);
                }
                expect(thrown).toBeInstanceOf(errorClass);
                const error = thrown as E;
                if (check && check(error) === false) {
                  const details = (error as Partial<DomainError>).details;
                  throw new Error(`${errorClass.name} did not match: ${error.message} ${JSON.stringify(details ?? {})}`);
                }
              },
            };
          },
        };
      },
    };
  },
};

/** Predicate for `thenThrows(RuleViolation, rule('team.dissolved'))`. */
export function rule(expected: string): (error: DomainError) => boolean {
  return (error) => error.details.rule === expected;
}
