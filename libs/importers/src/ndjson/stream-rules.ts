import {
  COMMAND_FOR_EVENT,
  COMMANDS,
  DomainError,
  categoryOf,
  type CommandSpec,
  type Decider,
  type DomainEvent,
  type EventType,
} from '@app/domain';
import { canonicalJson, type ImportedEvent, type LineProblem } from './parse-line';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDecider = Decider<any, any, any>;

const specOf = (type: EventType): CommandSpec => COMMANDS[COMMAND_FOR_EVENT[type]] as CommandSpec;

const DECIDER_BY_CATEGORY = new Map<string, AnyDecider>(Object.values(COMMANDS).map((spec) => [spec.category, spec.decider]));
const CATEGORY_BY_TYPE = new Map<string, string>(Object.values(COMMANDS).map((spec) => [spec.eventType, spec.category]));

/** What the importer knows of one stream: its decider state, its revision and every event id in it. */
export interface StreamEntry {
  streamId: string;
  decider: AnyDecider;
  state: unknown;
  /** Revision of the stream's last event (-1: empty). */
  revision: number;
  ids: Set<string>;
  /** Evolved by a dry run with events the store does not have. */
  dirty: boolean;
}

export function emptyStream(streamId: string): StreamEntry {
  const decider = DECIDER_BY_CATEGORY.get(categoryOf(streamId));
  if (!decider) throw new Error(`Stream ${streamId} is not of a catalog category`);
  return { streamId, decider, state: decider.initialState(), revision: -1, ids: new Set(), dirty: false };
}

/** Folds one stored event (already upcast) into the entry; events of other categories are history only. */
export function foldStored(entry: StreamEntry, event: { id: string; type: string; revision: number; data: Record<string, unknown> }): void {
  entry.ids.add(event.id);
  entry.revision = event.revision;
  if (CATEGORY_BY_TYPE.get(event.type) === categoryOf(entry.streamId)) {
    entry.state = entry.decider.evolve(entry.state, { type: event.type, data: event.data });
  }
}

/** Takes an accepted event into the entry as if appended: the next line on the stream sees it. */
export function acceptInto(entry: StreamEntry, event: ImportedEvent): void {
  entry.state = entry.decider.evolve(entry.state, { type: event.type, data: event.data });
  entry.ids.add(event.id);
  entry.revision += 1;
}

/**
 * An imported event obeys the rules its command would: rebuild the command, decide it on the
 * stream's state, and it must decide exactly this event. A refusal names the rule that refused it.
 */
export function checkStreamRules(event: ImportedEvent, state: unknown): LineProblem[] {
  const spec = specOf(event.type);
  const problem = (rule: string, message: string): LineProblem[] => [{ line: event.line, field: event.ref, rule, message, kind: 'rule' }];
  let decided: DomainEvent[];
  try {
    decided = spec.decider.decide(spec.toCommand(event.data), state) as DomainEvent[];
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return problem(typeof error.details.rule === 'string' ? error.details.rule : error.code, error.message);
  }
  const same = decided.length === 1 && decided[0].type === event.type && canonicalJson(decided[0].data) === canonicalJson(event.data);
  if (same) return [];
  return problem('decidesSameEvent', `the stream's rules turn this ${event.type} into ${decided.map((e) => e.type).join(', ') || 'nothing'}`);
}
