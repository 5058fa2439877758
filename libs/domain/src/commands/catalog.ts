import type { DomainEvent, EventType } from '../events';
import { streamIdOf, type StreamCategory } from '../ids';
import type { Decider } from '../deciders/decider';
import { personDecider } from '../deciders/person';
import { teamDecider } from '../deciders/team';
import { serviceDecider } from '../deciders/service';
import { INCIDENT_COMMANDS, incidentDecider } from '../deciders/incident';
import { CommandFields, ENVELOPE_FIELDS } from './common';
import {
  AddTeamMemberFields,
  AssignServiceOwnerFields,
  DissolveTeamFields,
  FormTeamFields,
  RegisterPersonFields,
  RegisterServiceFields,
  RemoveTeamMemberFields,
  RenameTeamFields,
  ReparentTeamFields,
  RetireServiceFields,
  ScheduleOnCallShiftFields,
  ServiceDependencyFields,
  UpdatePersonFields,
} from './org';
import {
  ActionItemFields,
  AddResponderFields,
  AddTimelineNoteFields,
  CancelActionItemFields,
  ChangeIncidentSeverityFields,
  CreateActionItemFields,
  DeclareIncidentFields,
  EstimateIncidentCostFields,
  HandOffCommandFields,
  IdentifyContributingFactorFields,
  IncidentPersonFields,
  MarkServiceImpactedFields,
  MitigateIncidentFields,
  PageResponderFields,
  PublishReviewFields,
  ReopenIncidentFields,
  ResolveIncidentFields,
} from './incident';

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
  /** The one event the command appends. */
  eventType: EventType;
}

function spec<F extends CommandFields>(
  fields: new () => F,
  category: StreamCategory,
  entityId: (fields: F) => string,
  decider: Decider<any, any, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
  commandType: string,
  eventType: EventType,
  shape: (data: Record<string, unknown>) => Record<string, unknown> = (data) => data,
): CommandSpec<F> {
  return { fields, category, entityId, decider, eventType, toCommand: (data) => ({ type: commandType, data: shape(data) }) };
}

type Shape = (data: Record<string, unknown>) => Record<string, unknown>;
const person = <F extends { personId: string } & CommandFields>(fields: new () => F, type: string, event: EventType) =>
  spec(fields, 'person', (f) => f.personId, personDecider, type, event);
const team = <F extends { teamId: string } & CommandFields>(fields: new () => F, type: string, event: EventType, shape?: Shape) =>
  spec(fields, 'team', (f) => f.teamId, teamDecider, type, event, shape);
const service = <F extends { serviceId: string } & CommandFields>(fields: new () => F, type: string, event: EventType) =>
  spec(fields, 'service', (f) => f.serviceId, serviceDecider, type, event);
const incident = <F extends { incidentId: string } & CommandFields>(fields: new () => F, type: keyof typeof INCIDENT_COMMANDS) =>
  spec(fields, 'incident', (f) => f.incidentId, incidentDecider, type, INCIDENT_COMMANDS[type]);

/** Every mutation of API.md, by name. */
export const COMMANDS = {
  registerPerson: person(RegisterPersonFields, 'RegisterPerson', 'PersonRegistered'),
  updatePerson: person(UpdatePersonFields, 'UpdatePerson', 'PersonUpdated'),
  formTeam: team(FormTeamFields, 'FormTeam', 'TeamFormed'),
  renameTeam: team(RenameTeamFields, 'RenameTeam', 'TeamRenamed'),
  // An absent parent means top level, which the event spells as null.
  reparentTeam: team(ReparentTeamFields, 'ReparentTeam', 'TeamReparented', (data) => ({ ...data, parentTeamId: data.parentTeamId ?? null })),
  dissolveTeam: team(DissolveTeamFields, 'DissolveTeam', 'TeamDissolved'),
  addTeamMember: team(AddTeamMemberFields, 'AddTeamMember', 'TeamMemberAdded'),
  removeTeamMember: team(RemoveTeamMemberFields, 'RemoveTeamMember', 'TeamMemberRemoved'),
  scheduleOnCallShift: team(ScheduleOnCallShiftFields, 'ScheduleOnCallShift', 'OnCallShiftScheduled'),
  registerService: service(RegisterServiceFields, 'RegisterService', 'ServiceRegistered'),
  assignServiceOwner: service(AssignServiceOwnerFields, 'AssignServiceOwner', 'ServiceOwnershipAssigned'),
  addServiceDependency: service(ServiceDependencyFields, 'AddServiceDependency', 'ServiceDependencyAdded'),
  removeServiceDependency: service(ServiceDependencyFields, 'RemoveServiceDependency', 'ServiceDependencyRemoved'),
  retireService: service(RetireServiceFields, 'RetireService', 'ServiceRetired'),
  declareIncident: incident(DeclareIncidentFields, 'DeclareIncident'),
  changeIncidentSeverity: incident(ChangeIncidentSeverityFields, 'ChangeIncidentSeverity'),
  markServiceImpacted: incident(MarkServiceImpactedFields, 'MarkServiceImpacted'),
  pageResponder: incident(PageResponderFields, 'PageResponder'),
  acknowledgePage: incident(IncidentPersonFields, 'AcknowledgePage'),
  addResponder: incident(AddResponderFields, 'AddResponder'),
  removeResponder: incident(IncidentPersonFields, 'RemoveResponder'),
  handOffCommand: incident(HandOffCommandFields, 'HandOffCommand'),
  addTimelineNote: incident(AddTimelineNoteFields, 'AddTimelineNote'),
  identifyContributingFactor: incident(IdentifyContributingFactorFields, 'IdentifyContributingFactor'),
  mitigateIncident: incident(MitigateIncidentFields, 'MitigateIncident'),
  resolveIncident: incident(ResolveIncidentFields, 'ResolveIncident'),
  reopenIncident: incident(ReopenIncidentFields, 'ReopenIncident'),
  createActionItem: incident(CreateActionItemFields, 'CreateActionItem'),
  completeActionItem: incident(ActionItemFields, 'CompleteActionItem'),
  cancelActionItem: incident(CancelActionItemFields, 'CancelActionItem'),
  publishReview: incident(PublishReviewFields, 'PublishReview'),
  estimateIncidentCost: incident(EstimateIncidentCostFields, 'EstimateIncidentCost'),
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

/** The command behind each event type: an imported event is checked by deciding it again. */
export const COMMAND_FOR_EVENT: Readonly<Record<EventType, CommandName>> = Object.fromEntries(
  (Object.entries(COMMANDS) as [CommandName, CommandSpec][]).map(([name, commandSpec]) => [commandSpec.eventType, name]),
) as Record<EventType, CommandName>;
