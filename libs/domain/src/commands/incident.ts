import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { RESPONDER_ROLES, SEVERITIES, type ResponderRole, type Severity } from '../events';
import { IsEntityId, TEXT_LIMITS } from '../validation';
import { CommandFields } from './common';

export class DeclareIncidentFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsString() @Length(1, TEXT_LIMITS.title) title!: string;
  @IsIn(SEVERITIES) severity!: Severity;
  @IsOptional() @IsEntityId() declaredBy?: string;
  @IsOptional() @IsString() @Length(0, TEXT_LIMITS.longText) summary?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsEntityId({ each: true }) impactedServiceIds?: string[];
}

export class AddResponderFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() personId!: string;
  @IsIn(RESPONDER_ROLES) role!: ResponderRole;
}

export class ResolveIncidentFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsOptional() @IsEntityId() resolvedBy?: string;
}
