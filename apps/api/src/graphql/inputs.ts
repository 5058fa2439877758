import { Field, InputType, Int } from '@nestjs/graphql';
import {
  AddResponderFields,
  AddTeamMemberFields,
  AssignServiceOwnerFields,
  DeclareIncidentFields,
  FormTeamFields,
  RegisterPersonFields,
  RegisterServiceFields,
  ResolveIncidentFields,
} from '@app/domain';
import { ResponderRole, Severity, TeamMemberRole } from './models';
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
