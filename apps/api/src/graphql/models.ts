import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DateTimeScalar } from './scalars';

export enum Severity {
  SEV1 = 'SEV1',
  SEV2 = 'SEV2',
  SEV3 = 'SEV3',
  SEV4 = 'SEV4',
  SEV5 = 'SEV5',
}
registerEnumType(Severity, { name: 'Severity', description: 'SEV1 is the most severe' });

export enum ResponderRole {
  commander = 'commander',
  responder = 'responder',
  communications = 'communications',
  scribe = 'scribe',
  expert = 'expert',
}
registerEnumType(ResponderRole, { name: 'ResponderRole' });

export enum TeamMemberRole {
  member = 'member',
  lead = 'lead',
}
registerEnumType(TeamMemberRole, { name: 'TeamMemberRole' });

export enum FactorCategory {
  change = 'change',
  capacity = 'capacity',
  dependency = 'dependency',
  configuration = 'configuration',
  process = 'process',
  knowledge = 'knowledge',
  external = 'external',
  other = 'other',
}
registerEnumType(FactorCategory, { name: 'FactorCategory' });

@ObjectType({ description: 'What a command appended: the stream, its new revision and the global position of the last event' })
export class CommandResult {
  @Field() streamId!: string;
  @Field(() => Int) revision!: number;
  @Field({ description: '64-bit global position, as a decimal string; send it as X-Min-Position to read your write' })
  position!: string;
}

@ObjectType({ description: 'A person as referenced from elsewhere; placeholder until registered' })
export class PersonRef {
  @Field() id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field() placeholder!: boolean;
}

@ObjectType()
export class TeamRef {
  @Field() id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field() placeholder!: boolean;
}

@ObjectType()
export class ServiceRef {
  @Field() id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Int, { nullable: true }) tier!: number | null;
  @Field() placeholder!: boolean;
}

@ObjectType({ description: 'One time a person joined an incident' })
export class Responder {
  @Field(() => PersonRef) person!: PersonRef;
  @Field(() => ResponderRole) role!: ResponderRole;
  @Field(() => DateTimeScalar) joinedAt!: string;
  @Field(() => DateTimeScalar, { nullable: true }) leftAt!: string | null;
}

@ObjectType()
export class ImpactedService {
  @Field(() => ServiceRef) service!: ServiceRef;
  @Field(() => TeamRef, { nullable: true, description: 'The team that owned the service when the incident was declared' })
  owningTeam!: TeamRef | null;
}

@ObjectType()
export class Incident {
  @Field() id!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => Severity, { nullable: true }) severity!: Severity | null;
  @Field(() => String, { nullable: true, description: 'active or resolved' }) status!: string | null;
  @Field(() => String, { nullable: true }) summary!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) declaredAt!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) mitigatedAt!: string | null;
  @Field(() => DateTimeScalar, { nullable: true }) resolvedAt!: string | null;
  @Field({ description: 'Referenced by events but never declared' }) placeholder!: boolean;
  @Field(() => [Responder]) responders!: Responder[];
  @Field(() => [ImpactedService]) impactedServices!: ImpactedService[];
}

@ObjectType()
export class TeamMember {
  @Field(() => PersonRef) person!: PersonRef;
  @Field(() => TeamMemberRole) role!: TeamMemberRole;
  @Field(() => DateTimeScalar) since!: string;
  @Field(() => DateTimeScalar, { nullable: true }) until!: string | null;
}

@ObjectType()
export class Team {
  @Field() id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field() placeholder!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) dissolvedAt!: string | null;
  @Field(() => TeamRef, { nullable: true }) parent!: TeamRef | null;
  @Field(() => [TeamMember], { description: 'Members at the requested instant (asOf), or now' }) members!: TeamMember[];
}

@ObjectType()
export class Service {
  @Field() id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @Field(() => Int, { nullable: true }) tier!: number | null;
  @Field() placeholder!: boolean;
  @Field(() => DateTimeScalar, { nullable: true }) retiredAt!: string | null;
  @Field(() => TeamRef, { nullable: true, description: 'Owner at the requested instant (asOf), or now' }) owner!: TeamRef | null;
}

@ObjectType()
export class ProjectionErrorInfo {
  @Field() position!: string;
  @Field() type!: string;
  @Field() streamId!: string;
  @Field() message!: string;
  @Field(() => DateTimeScalar) at!: string;
}

@ObjectType({ description: 'How far the graph has caught up with the log' })
export class ProjectionStatusInfo {
  @Field({ description: 'Position of the last event written to the graph' }) position!: string;
  @Field({ description: 'Position of the last event in the log' }) headPosition!: string;
  @Field({ description: 'headPosition - position (events not yet in the graph), as a decimal string' }) lag!: string;
  @Field(() => ProjectionErrorInfo, { nullable: true }) lastError!: ProjectionErrorInfo | null;
}
