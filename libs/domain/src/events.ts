/**
 * The event catalog (../shared/design/EVENTS.md, version 1). Names and fields are a public
 * contract: add optional fields only; anything else is a new schema version with an upcaster.
 */
export type Severity = 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4' | 'SEV5';
export const SEVERITIES: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4', 'SEV5'];

export type ResponderRole = 'commander' | 'responder' | 'communications' | 'scribe' | 'expert';
export const RESPONDER_ROLES: readonly ResponderRole[] = [
  'commander',
  'responder',
  'communications',
  'scribe',
  'expert',
];

export type TeamMemberRole = 'member' | 'lead';
export const TEAM_MEMBER_ROLES: readonly TeamMemberRole[] = ['member', 'lead'];

export type FactorCategory =
  | 'change'
  | 'capacity'
  | 'dependency'
  | 'configuration'
  | 'process'
  | 'knowledge'
  | 'external'
  | 'other';
export const FACTOR_CATEGORIES: readonly FactorCategory[] = [
  'change',
  'capacity',
  'dependency',
  'configuration',
  'process',
  'knowledge',
  'external',
  'other',
];

interface Occurred {
  /** Business time (ISO-8601 with an offset). */
  occurredAt: string;
}

// Org ("in theory")
export interface PersonRegistered extends Occurred { personId: string; name: string; timeZone: string; email?: string }
export interface PersonUpdated extends Occurred { personId: string; name?: string; email?: string; timeZone?: string }
export interface TeamFormed extends Occurred { teamId: string; name: string; parentTeamId?: string }
export interface TeamRenamed extends Occurred { teamId: string; name: string }
export interface TeamReparented extends Occurred { teamId: string; parentTeamId: string | null }
export interface TeamDissolved extends Occurred { teamId: string }
export interface TeamMemberAdded extends Occurred { teamId: string; personId: string; role?: TeamMemberRole }
export interface TeamMemberRemoved extends Occurred { teamId: string; personId: string }
export interface ServiceRegistered extends Occurred { serviceId: string; name: string; tier?: number }
export interface ServiceOwnershipAssigned extends Occurred { serviceId: string; teamId: string }
export interface ServiceDependencyAdded extends Occurred { serviceId: string; dependsOnServiceId: string }
export interface ServiceDependencyRemoved extends Occurred { serviceId: string; dependsOnServiceId: string }
export interface ServiceRetired extends Occurred { serviceId: string }
export interface OnCallShiftScheduled extends Occurred {
  teamId: string;
  shiftId: string;
  personId: string;
  startsAt: string;
  endsAt: string;
}

// Incidents ("in practice"); every payload has incidentId.
interface IncidentData extends Occurred { incidentId: string }
export interface IncidentDeclared extends IncidentData {
  title: string;
  severity: Severity;
  declaredBy?: string;
  summary?: string;
  impactedServiceIds?: string[];
}
export interface IncidentSeverityChanged extends IncidentData { severity: Severity; changedBy?: string }
export interface ServiceImpacted extends IncidentData { serviceId: string }
export interface ResponderPaged extends IncidentData { personId: string; escalatedFromPersonId?: string }
export interface ResponderAcknowledged extends IncidentData { personId: string }
export interface ResponderJoined extends IncidentData { personId: string; role: ResponderRole }
export interface ResponderLeft extends IncidentData { personId: string }
export interface CommandHandedOff extends IncidentData { fromPersonId: string; toPersonId: string }
export interface TimelineNoteAdded extends IncidentData { noteId: string; text: string; authorId?: string }
export interface ContributingFactorIdentified extends IncidentData {
  factorId: string;
  description: string;
  category: FactorCategory;
}
export interface IncidentMitigated extends IncidentData { mitigatedBy?: string }
export interface IncidentResolved extends IncidentData { resolvedBy?: string }
export interface IncidentReopened extends IncidentData { reason?: string }
export interface ActionItemCreated extends IncidentData {
  actionItemId: string;
  title: string;
  ownerTeamId?: string;
  ownerPersonId?: string;
  dueAt?: string;
}
export interface ActionItemCompleted extends IncidentData { actionItemId: string }
export interface ActionItemCancelled extends IncidentData { actionItemId: string; reason?: string }
export interface ReviewPublished extends IncidentData { reviewId: string; authorIds: string[]; url?: string }
export interface IncidentCostEstimated extends IncidentData { amount: number; currency: string; basis?: string }

/** Payload by event type: the single source of the catalog's names. */
export interface EventDataByType {
  PersonRegistered: PersonRegistered;
  PersonUpdated: PersonUpdated;
  TeamFormed: TeamFormed;
  TeamRenamed: TeamRenamed;
  TeamReparented: TeamReparented;
  TeamDissolved: TeamDissolved;
  TeamMemberAdded: TeamMemberAdded;
  TeamMemberRemoved: TeamMemberRemoved;
  ServiceRegistered: ServiceRegistered;
  ServiceOwnershipAssigned: ServiceOwnershipAssigned;
  ServiceDependencyAdded: ServiceDependencyAdded;
  ServiceDependencyRemoved: ServiceDependencyRemoved;
  ServiceRetired: ServiceRetired;
  OnCallShiftScheduled: OnCallShiftScheduled;
  IncidentDeclared: IncidentDeclared;
  IncidentSeverityChanged: IncidentSeverityChanged;
  ServiceImpacted: ServiceImpacted;
  ResponderPaged: ResponderPaged;
  ResponderAcknowledged: ResponderAcknowledged;
  ResponderJoined: ResponderJoined;
  ResponderLeft: ResponderLeft;
  CommandHandedOff: CommandHandedOff;
  TimelineNoteAdded: TimelineNoteAdded;
  ContributingFactorIdentified: ContributingFactorIdentified;
  IncidentMitigated: IncidentMitigated;
  IncidentResolved: IncidentResolved;
  IncidentReopened: IncidentReopened;
  ActionItemCreated: ActionItemCreated;
  ActionItemCompleted: ActionItemCompleted;
  ActionItemCancelled: ActionItemCancelled;
  ReviewPublished: ReviewPublished;
  IncidentCostEstimated: IncidentCostEstimated;
}

export type EventType = keyof EventDataByType;

/** A domain event as deciders produce it: a type and its payload, nothing the store sets. */
export type DomainEvent = { [K in EventType]: { type: K; data: EventDataByType[K] } }[EventType];

export type EventOf<K extends EventType> = Extract<DomainEvent, { type: K }>;

export const EVENT_TYPES: readonly EventType[] = [
  'PersonRegistered',
  'PersonUpdated',
  'TeamFormed',
  'TeamRenamed',
  'TeamReparented',
  'TeamDissolved',
  'TeamMemberAdded',
  'TeamMemberRemoved',
  'ServiceRegistered',
  'ServiceOwnershipAssigned',
  'ServiceDependencyAdded',
  'ServiceDependencyRemoved',
  'ServiceRetired',
  'OnCallShiftScheduled',
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
];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}
