import { Field, Float, InputType, Int } from '@nestjs/graphql';
import {
  ActionItemFields,
  AddResponderFields,
  AddTeamMemberFields,
  AddTimelineNoteFields,
  AssignServiceOwnerFields,
  CancelActionItemFields,
  ChangeIncidentSeverityFields,
  CreateActionItemFields,
  DeclareIncidentFields,
  DissolveTeamFields,
  EstimateIncidentCostFields,
  FormTeamFields,
  HandOffCommandFields,
  IdentifyContributingFactorFields,
  IncidentPersonFields,
  MarkServiceImpactedFields,
  MitigateIncidentFields,
  PageResponderFields,
  PublishReviewFields,
  RegisterPersonFields,
  RegisterServiceFields,
  RemoveTeamMemberFields,
  RenameTeamFields,
  ReopenIncidentFields,
  ReparentTeamFields,
  ResolveIncidentFields,
  RetireServiceFields,
  ScheduleOnCallShiftFields,
  ServiceDependencyFields,
  UpdatePersonFields,
} from '@app/domain';
import { FactorCategory, ResponderRole, Severity, TeamMemberRole } from './models';
import { DateTimeScalar } from './scalars';

/*
 * GraphQL inputs extend the domain's class-validator classes: the rules live once, in the domain;
 * these classes only say how each field appears in the schema.
 */
const occurredAt = () => Field(() => DateTimeScalar, { nullable: true, description: 'When it happened (default: now)' });
const expectedRevision = () =>
  Field(() => Int, { nullable: true, description: 'Fail with CONFLICT unless the stream is at this revision' });
const idempotencyKey = () =>
  Field({ nullable: true, description: 'A retry with the same key returns the first result (or use the Idempotency-Key header)' });

@InputType()
export class RegisterPersonInput extends RegisterPersonFields {
  @Field() declare personId: string;
  @Field() declare name: string;
  @Field({ description: 'IANA time zone, e.g. Europe/Berlin' }) declare timeZone: string;
  @Field({ nullable: true }) declare email?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class FormTeamInput extends FormTeamFields {
  @Field() declare teamId: string;
  @Field() declare name: string;
  @Field({ nullable: true }) declare parentTeamId?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class AddTeamMemberInput extends AddTeamMemberFields {
  @Field() declare teamId: string;
  @Field() declare personId: string;
  @Field(() => TeamMemberRole, { nullable: true }) declare role?: TeamMemberRole;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class RegisterServiceInput extends RegisterServiceFields {
  @Field() declare serviceId: string;
  @Field() declare name: string;
  @Field(() => Int, { nullable: true, description: '1 (most critical) .. 4' }) declare tier?: number;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class AssignServiceOwnerInput extends AssignServiceOwnerFields {
  @Field() declare serviceId: string;
  @Field() declare teamId: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class DeclareIncidentInput extends DeclareIncidentFields {
  @Field() declare incidentId: string;
  @Field() declare title: string;
  @Field(() => Severity) declare severity: Severity;
  @Field({ nullable: true }) declare declaredBy?: string;
  @Field({ nullable: true }) declare summary?: string;
  @Field(() => [String], { nullable: true }) declare impactedServiceIds?: string[];
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class AddResponderInput extends AddResponderFields {
  @Field() declare incidentId: string;
  @Field() declare personId: string;
  @Field(() => ResponderRole) declare role: ResponderRole;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class ResolveIncidentInput extends ResolveIncidentFields {
  @Field() declare incidentId: string;
  @Field({ nullable: true }) declare resolvedBy?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class UpdatePersonInput extends UpdatePersonFields {
  @Field() declare personId: string;
  @Field({ nullable: true }) declare name?: string;
  @Field({ nullable: true }) declare email?: string;
  @Field({ nullable: true, description: 'IANA time zone; earlier incidents keep the old zone' }) declare timeZone?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class RenameTeamInput extends RenameTeamFields {
  @Field() declare teamId: string;
  @Field() declare name: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class ReparentTeamInput extends ReparentTeamFields {
  @Field() declare teamId: string;
  @Field(() => String, { nullable: true, description: 'null or absent: top level' }) declare parentTeamId?: string | null;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class DissolveTeamInput extends DissolveTeamFields {
  @Field() declare teamId: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class RemoveTeamMemberInput extends RemoveTeamMemberFields {
  @Field() declare teamId: string;
  @Field() declare personId: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class ScheduleOnCallShiftInput extends ScheduleOnCallShiftFields {
  @Field() declare teamId: string;
  @Field() declare shiftId: string;
  @Field() declare personId: string;
  @Field(() => DateTimeScalar) declare startsAt: string;
  @Field(() => DateTimeScalar) declare endsAt: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class ServiceDependencyInput extends ServiceDependencyFields {
  @Field() declare serviceId: string;
  @Field() declare dependsOnServiceId: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class RetireServiceInput extends RetireServiceFields {
  @Field() declare serviceId: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class ChangeIncidentSeverityInput extends ChangeIncidentSeverityFields {
  @Field() declare incidentId: string;
  @Field(() => Severity) declare severity: Severity;
  @Field({ nullable: true }) declare changedBy?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class MarkServiceImpactedInput extends MarkServiceImpactedFields {
  @Field() declare incidentId: string;
  @Field() declare serviceId: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class PageResponderInput extends PageResponderFields {
  @Field() declare incidentId: string;
  @Field() declare personId: string;
  @Field({ nullable: true }) declare escalatedFromPersonId?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType({ description: 'An incident and a person: acknowledgePage, removeResponder' })
export class IncidentPersonInput extends IncidentPersonFields {
  @Field() declare incidentId: string;
  @Field() declare personId: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class HandOffCommandInput extends HandOffCommandFields {
  @Field() declare incidentId: string;
  @Field() declare fromPersonId: string;
  @Field() declare toPersonId: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class AddTimelineNoteInput extends AddTimelineNoteFields {
  @Field() declare incidentId: string;
  @Field() declare noteId: string;
  @Field({ description: 'At most 10,000 characters' }) declare text: string;
  @Field({ nullable: true }) declare authorId?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class IdentifyContributingFactorInput extends IdentifyContributingFactorFields {
  @Field() declare incidentId: string;
  @Field() declare factorId: string;
  @Field() declare description: string;
  @Field(() => FactorCategory) declare category: FactorCategory;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class MitigateIncidentInput extends MitigateIncidentFields {
  @Field() declare incidentId: string;
  @Field({ nullable: true }) declare mitigatedBy?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class ReopenIncidentInput extends ReopenIncidentFields {
  @Field() declare incidentId: string;
  @Field({ nullable: true }) declare reason?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class CreateActionItemInput extends CreateActionItemFields {
  @Field() declare incidentId: string;
  @Field() declare actionItemId: string;
  @Field() declare title: string;
  @Field({ nullable: true }) declare ownerTeamId?: string;
  @Field({ nullable: true }) declare ownerPersonId?: string;
  @Field(() => DateTimeScalar, { nullable: true }) declare dueAt?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType({ description: 'An action item of an incident: completeActionItem' })
export class ActionItemInput extends ActionItemFields {
  @Field() declare incidentId: string;
  @Field() declare actionItemId: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class CancelActionItemInput extends CancelActionItemFields {
  @Field() declare incidentId: string;
  @Field() declare actionItemId: string;
  @Field({ nullable: true }) declare reason?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class PublishReviewInput extends PublishReviewFields {
  @Field() declare incidentId: string;
  @Field() declare reviewId: string;
  @Field(() => [String]) declare authorIds: string[];
  @Field({ nullable: true }) declare url?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}

@InputType()
export class EstimateIncidentCostInput extends EstimateIncidentCostFields {
  @Field() declare incidentId: string;
  @Field(() => Float, { description: '>= 0, at most 2 decimals; a later estimate replaces the earlier one' }) declare amount: number;
  @Field({ description: 'ISO 4217 code, e.g. EUR' }) declare currency: string;
  @Field({ nullable: true, description: 'What the estimate covers' }) declare basis?: string;
  @occurredAt() declare occurredAt?: string;
  @expectedRevision() declare expectedRevision?: number;
  @idempotencyKey() declare idempotencyKey?: string;
}
