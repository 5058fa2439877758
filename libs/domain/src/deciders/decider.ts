import type { DomainEvent } from '../events';

/**
 * An aggregate as a decider (emmett style): plain functions, no framework, no clock.
 * Time and ids arrive inside the command.
 */
export interface Decider<Command, State, Event extends DomainEvent = DomainEvent> {
  initialState(): State;
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

export function fold<State, Event extends DomainEvent>(
  decider: Pick<Decider<unknown, State, Event>, 'initialState' | 'evolve'>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState();
  for (const event of events) state = decider.evolve(state, event);
  return state;
}
