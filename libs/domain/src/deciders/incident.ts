import { NotFound, RuleViolation, assertNever } from '../errors';
import type { DomainEvent, EventDataByType, EventOf, ResponderRole, Severity } from '../events';
import { instant } from '../time';
import type { Decider } from './decider';

export const INCIDENT_EVENT_TYPES = [
  'IncidentDeclared',
  'IncidentSeverityChanged',
  'ServiceImpacted',
  'ResponderPaged',
  'ResponderAcknowledged',
  'ResponderJoined',
  'ResponderLeft',
  'CommandHandedOff',
  'TimelineNoteAdded',
  'ContributingFactorIdentified',
  'IncidentMitigated',
  'IncidentResolved',
  'IncidentReopened',
  'ActionItemCreated',
  'ActionItemCompleted',
  'ActionItemCancelled',
  'ReviewPublished',
  'IncidentCostEstimated',
] as const satisfies readonly DomainEvent['type'][];

export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];
export type IncidentEvent = EventOf<IncidentEventType>;

/** Command name -> the event it asks for. One command, one event: the command names API.md gives. */
export const INCIDENT_COMMANDS = {
  DeclareIncident: 'IncidentDeclared',
  ChangeIncidentSeverity: 'IncidentSeverityChanged',
  MarkServiceImpacted: 'ServiceImpacted',
  PageResponder: 'ResponderPaged',
  AcknowledgePage: 'ResponderAcknowledged',
  AddResponder: 'ResponderJoined',
  RemoveResponder: 'ResponderLeft',
  HandOffCommand: 'CommandHandedOff',
  AddTimelineNote: 'TimelineNoteAdded',
  IdentifyContributingFactor: 'ContributingFactorIdentified',
  MitigateIncident: 'IncidentMitigated',
  ResolveIncident: 'IncidentResolved',
  ReopenIncident: 'IncidentReopened',
  CreateActionItem: 'ActionItemCreated',
  CompleteActionItem: 'ActionItemCompleted',
  CancelActionItem: 'ActionItemCancelled',
  PublishReview: 'ReviewPublished',
  EstimateIncidentCost: 'IncidentCostEstimated',
} as const satisfies Record<string, IncidentEventType>;

type IncidentCommands = typeof INCIDENT_COMMANDS;
export type IncidentCommand = {
  [C in keyof IncidentCommands]: { type: C; data: EventDataByType[IncidentCommands[C]] };
}[keyof IncidentCommands];

interface IncidentFacts {
  incidentId: string;
  title: string;
  severity: Severity;
  declaredAt: string;
  resolvedAt: string | null;
  /** Responders currently in the incident, with their role. */
  responders: ReadonlyMap<string, ResponderRole>;
  commanderId: string | null;
  impactedServiceIds: ReadonlySet<string>;
  actionItems: ReadonlyMap<string, 'open' | 'completed' | 'cancelled'>;
  noteIds: ReadonlySet<string>;
  factorIds: ReadonlySet<string>;
  reviewIds: ReadonlySet<string>;
}

export type IncidentState =
  | { status: 'none' }
  | ({ status: 'active' } & IncidentFacts)
  | ({ status: 'resolved' } & IncidentFacts);

function existing(state: IncidentState, incidentId: string): Exclude<IncidentState, { status: 'none' }> {
  if (state.status === 'none') throw new NotFound(`Incident ${incidentId} does not exist`, { incidentId });
  return state;
}

function unique(seen: ReadonlySet<string> | ReadonlyMap<string, unknown>, id: string, rule: string, what: string, incidentId: string) {
  if (seen.has(id)) throw new RuleViolation(rule, `${what} ${id} already exists in incident ${incidentId}`, { incidentId, id });
}

function decideOn(command: IncidentCommand, state: IncidentState): IncidentEvent {
  const { incidentId } = command.data;
  if (command.type === 'DeclareIncident') {
    if (state.status !== 'none') {
      throw new RuleViolation('incident.alreadyDeclared', `Incident ${incidentId} is already declared`, { incidentId });
    }
    return { type: 'IncidentDeclared', data: command.data };
  }
  const incident = existing(state, incidentId);
  switch (command.type) {
    case 'ChangeIncidentSeverity':
      if (incident.severity === command.data.severity) {
        throw new RuleViolation('incident.severityUnchanged', `Incident ${incidentId} is already ${incident.severity}`, { incidentId });
      }
      return { type: 'IncidentSeverityChanged', data: command.data };
    case 'MarkServiceImpacted':
      unique(incident.impactedServiceIds, command.data.serviceId, 'incident.serviceAlreadyImpacted', 'Impacted service', incidentId);
      return { type: 'ServiceImpacted', data: command.data };
    case 'PageResponder':
      return { type: 'ResponderPaged', data: command.data };
    case 'AcknowledgePage':
      return { type: 'ResponderAcknowledged', data: command.data };
    case 'AddResponder':
      if (incident.status === 'resolved') {
        throw new RuleViolation('incident.resolved', `Incident ${incidentId} is resolved: reopen it before someone joins`, { incidentId });
      }
      if (incident.responders.has(command.data.personId)) {
        throw new RuleViolation('incident.alreadyResponding', `Person ${command.data.personId} is already a responder of incident ${incidentId}`, {
          incidentId,
          personId: command.data.personId,
        });
      }
      return { type: 'ResponderJoined', data: command.data };
    case 'RemoveResponder':
      if (!incident.responders.has(command.data.personId)) {
        throw new RuleViolation('incident.notResponding', `Person ${command.data.personId} has not joined incident ${incidentId}`, {
          incidentId,
          personId: command.data.personId,
        });
      }
      return { type: 'ResponderLeft', data: command.data };
    case 'HandOffCommand':
      if (incident.commanderId !== command.data.fromPersonId) {
        throw new RuleViolation('incident.notCommander', `Person ${command.data.fromPersonId} is not the current commander of incident ${incidentId}`, {
          incidentId,
          fromPersonId: command.data.fromPersonId,
          commanderId: incident.commanderId,
        });
      }
      if (command.data.toPersonId === command.data.fromPersonId) {
        throw new RuleViolation('incident.handOffToSelf', `Command cannot be handed off to the same person`, { incidentId });
      }
      return { type: 'CommandHandedOff', data: command.data };
    case 'AddTimelineNote':
      unique(incident.noteIds, command.data.noteId, 'incident.noteExists', 'Timeline note', incidentId);
      return { type: 'TimelineNoteAdded', data: command.data };
    case 'IdentifyContributingFactor':
      unique(incident.factorIds, command.data.factorId, 'incident.factorExists', 'Contributing factor', incidentId);
      return { type: 'ContributingFactorIdentified', data: command.data };
    case 'MitigateIncident':
      if (incident.status === 'resolved') {
        throw new RuleViolation('incident.resolved', `Incident ${incidentId} is already resolved`, { incidentId });
      }
      return { type: 'IncidentMitigated', data: command.data };
    case 'ResolveIncident':
      if (incident.status === 'resolved') {
        throw new RuleViolation('incident.alreadyResolved', `Incident ${incidentId} is already resolved`, { incidentId });
      }
      if (instant(command.data.occurredAt) < instant(incident.declaredAt)) {
        throw new RuleViolation('incident.resolvedBeforeDeclared', `resolvedAt (${command.data.occurredAt}) is before declaredAt (${incident.declaredAt})`, {
          incidentId,
          declaredAt: incident.declaredAt,
          resolvedAt: command.data.occurredAt,
        });
      }
      return { type: 'IncidentResolved', data: command.data };
    case 'ReopenIncident':
      if (incident.status !== 'resolved') {
        throw new RuleViolation('incident.notResolved', `Incident ${incidentId} is not resolved`, { incidentId });
      }
      return { type: 'IncidentReopened', data: command.data };
    case 'CreateActionItem':
      unique(incident.actionItems, command.data.actionItemId, 'incident.actionItemExists', 'Action item', incidentId);
      return { type: 'ActionItemCreated', data: command.data };
    case 'CompleteActionItem':
    case 'CancelActionItem': {
      const status = incident.actionItems.get(command.data.actionItemId);
      if (status === undefined) {
        throw new NotFound(`Action item ${command.data.actionItemId} does not exist in incident ${incidentId}`, {
          incidentId,
          actionItemId: command.data.actionItemId,
        });
      }
      if (status !== 'open') {
        throw new RuleViolation('actionItem.notOpen', `Action item ${command.data.actionItemId} is already ${status}`, {
          incidentId,
          actionItemId: command.data.actionItemId,
          status,
        });
      }
      return command.type === 'CompleteActionItem'
        ? { type: 'ActionItemCompleted', data: command.data }
        : { type: 'ActionItemCancelled', data: command.data };
    }
    case 'PublishReview':
      unique(incident.reviewIds, command.data.reviewId, 'incident.reviewExists', 'Review', incidentId);
      return { type: 'ReviewPublished', data: command.data };
    case 'EstimateIncidentCost':
      return { type: 'IncidentCostEstimated', data: command.data };
    default:
      return assertNever(command, 'incident command');
  }
}

function withItem<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): Map<K, V> {
  return new Map(map).set(key, value);
}

function evolveExisting(state: Exclude<IncidentState, { status: 'none' }>, event: IncidentEvent): IncidentState {
  switch (event.type) {
    case 'IncidentDeclared':
      return state;
    case 'IncidentSeverityChanged':
      return { ...state, severity: event.data.severity };
    case 'ServiceImpacted':
      return { ...state, impactedServiceIds: new Set([...state.impactedServiceIds, event.data.serviceId]) };
    case 'ResponderPaged':
    case 'ResponderAcknowledged':
    case 'IncidentMitigated':
    case 'IncidentCostEstimated':
      return state;
    case 'ResponderJoined': {
      const commanderId = event.data.role === 'commander' ? event.data.personId : state.commanderId;
      return { ...state, responders: withItem(state.responders, event.data.personId, event.data.role), commanderId };
    }
    case 'ResponderLeft': {
      const responders = new Map(state.responders);
      responders.delete(event.data.personId);
      const commanderId = state.commanderId === event.data.personId ? null : state.commanderId;
      return { ...state, responders, commanderId };
    }
    case 'CommandHandedOff':
      return { ...state, commanderId: event.data.toPersonId };
    case 'TimelineNoteAdded':
      return { ...state, noteIds: new Set([...state.noteIds, event.data.noteId]) };
    case 'ContributingFactorIdentified':
      return { ...state, factorIds: new Set([...state.factorIds, event.data.factorId]) };
    case 'IncidentResolved':
      return { ...state, status: 'resolved', resolvedAt: event.data.occurredAt };
    case 'IncidentReopened':
      return { ...state, status: 'active', resolvedAt: null };
    case 'ActionItemCreated':
      return { ...state, actionItems: withItem(state.actionItems, event.data.actionItemId, 'open') };
    case 'ActionItemCompleted':
      return { ...state, actionItems: withItem(state.actionItems, event.data.actionItemId, 'completed') };
    case 'ActionItemCancelled':
      return { ...state, actionItems: withItem(state.actionItems, event.data.actionItemId, 'cancelled') };
    case 'ReviewPublished':
      return { ...state, reviewIds: new Set([...state.reviewIds, event.data.reviewId]) };
    default:
      return assertNever(event, 'incident event');
  }
}

export const incidentDecider: Decider<IncidentCommand, IncidentState, IncidentEvent> = {
  initialState: () => ({ status: 'none' }),
  decide: (command, state) => [decideOn(command, state)],
  evolve(state, event) {
    if (event.type === 'IncidentDeclared') {
      const { incidentId, title, severity, occurredAt, impactedServiceIds } = event.data;
      return {
        status: 'active',
        incidentId,
        title,
        severity,
        declaredAt: occurredAt,
        resolvedAt: null,
        responders: new Map(),
        commanderId: null,
        impactedServiceIds: new Set(impactedServiceIds ?? []),
        actionItems: new Map(),
        noteIds: new Set(),
        factorIds: new Set(),
        reviewIds: new Set(),
      };
    }
    return state.status === 'none' ? state : evolveExisting(state, event);
  },
};
