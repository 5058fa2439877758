import type { DomainEvent } from '../events';
import { streamIdOf, type StreamCategory } from '../ids';
import type { Decider } from '../deciders/decider';
import { personDecider } from '../deciders/person';
import { teamDecider } from '../deciders/team';
import { serviceDecider } from '../deciders/service';
import { incidentDecider } from '../deciders/incident';
import { CommandFields, ENVELOPE_FIELDS } from './common';
import { AddTeamMemberFields, AssignServiceOwnerFields, FormTeamFields, RegisterPersonFields, RegisterServiceFields } from './org';
import { AddResponderFields, DeclareIncidentFields, ResolveIncidentFields } from './incident';

/**
 * How one API command becomes a decider command on one stream: which input class validates it,
 * which stream it targets, and which decider decides it.
 */
export interface CommandSpec<F extends CommandFields = CommandFields> {
  fields: new () => F;
  category: StreamCategory;
  entityId(fields: F): string;
  // The decider is typed loosely here; `toCommand` builds the exact command it takes.
  decider: Decider<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  toCommand(payload: Record<string, unknown>): { type: string; data: Record<string, unknown> };
}

function spec<F extends CommandFields>(
  fields: new () => F,
  category: StreamCategory,
  entityId: (fields: F) => string,
  decider: Decider<any, any, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  commandType: string,
): CommandSpec<F> {
  return { fields, category, entityId, decider, toCommand: (data) => ({ type: commandType, data }) };
}

export const COMMANDS = {
  registerPerson: spec(RegisterPersonFields, 'person', (f) => f.personId, personDecider, 'RegisterPerson'),
  formTeam: spec(FormTeamFields, 'team', (f) => f.teamId, teamDecider, 'FormTeam'),
  addTeamMember: spec(AddTeamMemberFields, 'team', (f) => f.teamId, teamDecider, 'AddTeamMember'),
  registerService: spec(RegisterServiceFields, 'service', (f) => f.serviceId, serviceDecider, 'RegisterService'),
  assignServiceOwner: spec(AssignServiceOwnerFields, 'service', (f) => f.serviceId, serviceDecider, 'AssignServiceOwner'),
  declareIncident: spec(DeclareIncidentFields, 'incident', (f) => f.incidentId, incidentDecider, 'DeclareIncident'),
  addResponder: spec(AddResponderFields, 'incident', (f) => f.incidentId, incidentDecider, 'AddResponder'),
  resolveIncident: spec(ResolveIncidentFields, 'incident', (f) => f.incidentId, incidentDecider, 'ResolveIncident'),
} satisfies Record<string, CommandSpec<any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type CommandName = keyof typeof COMMANDS;

export interface PreparedCommand {
  name: CommandName;
  streamId: string;
  /** The decider command, occurredAt filled in. */
  command: { type: string; data: Record<string, unknown> };
  decider: Decider<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  expectedRevision?: number;
  idempotencyKey?: string;
}

/**
 * Splits validated fields into the envelope and the event payload; `now` fills a missing
 * occurredAt (the clock lives with the caller, not here).
 */
export function prepareCommand(name: CommandName, fields: CommandFields, now: string): PreparedCommand {
  const commandSpec = COMMANDS[name] as CommandSpec;
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null || (ENVELOPE_FIELDS as readonly string[]).includes(key)) continue;
    payload[key] = value;
  }
  payload.occurredAt = fields.occurredAt ?? now;
  return {
    name,
    streamId: streamIdOf(commandSpec.category, commandSpec.entityId(fields)),
    command: commandSpec.toCommand(payload),
    decider: commandSpec.decider,
    expectedRevision: fields.expectedRevision,
    idempotencyKey: fields.idempotencyKey,
  };
}

export type DecidedEvents = DomainEvent[];
