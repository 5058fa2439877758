import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO4217CurrencyCode,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Min,
} from 'class-validator';
import { FACTOR_CATEGORIES, RESPONDER_ROLES, SEVERITIES, type FactorCategory, type ResponderRole, type Severity } from '../events';
import { IsEntityId, IsIsoDateTimeWithOffset, IsMoneyAmount, TEXT_LIMITS } from '../validation';
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

export class ChangeIncidentSeverityFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsIn(SEVERITIES) severity!: Severity;
  @IsOptional() @IsEntityId() changedBy?: string;
}

export class MarkServiceImpactedFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() serviceId!: string;
}

export class PageResponderFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() personId!: string;
  @IsOptional() @IsEntityId() escalatedFromPersonId?: string;
}

export class IncidentPersonFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() personId!: string;
}

export class HandOffCommandFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() fromPersonId!: string;
  @IsEntityId() toPersonId!: string;
}

export class AddTimelineNoteFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() noteId!: string;
  @IsString() @Length(1, TEXT_LIMITS.longText) text!: string;
  @IsOptional() @IsEntityId() authorId?: string;
}

export class IdentifyContributingFactorFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() factorId!: string;
  @IsString() @Length(1, TEXT_LIMITS.longText) description!: string;
  @IsIn(FACTOR_CATEGORIES) category!: FactorCategory;
}

export class MitigateIncidentFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsOptional() @IsEntityId() mitigatedBy?: string;
}

export class ReopenIncidentFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsOptional() @IsString() @Length(0, TEXT_LIMITS.longText) reason?: string;
}

export class CreateActionItemFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() actionItemId!: string;
  @IsString() @Length(1, TEXT_LIMITS.title) title!: string;
  @IsOptional() @IsEntityId() ownerTeamId?: string;
  @IsOptional() @IsEntityId() ownerPersonId?: string;
  @IsOptional() @IsIsoDateTimeWithOffset() dueAt?: string;
}

export class ActionItemFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() actionItemId!: string;
}

export class CancelActionItemFields extends ActionItemFields {
  @IsOptional() @IsString() @Length(0, TEXT_LIMITS.longText) reason?: string;
}

export class PublishReviewFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  @IsEntityId() reviewId!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsEntityId({ each: true }) authorIds!: string[];
  @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }) @Length(1, TEXT_LIMITS.url) url?: string;
}

export class EstimateIncidentCostFields extends CommandFields {
  @IsEntityId() incidentId!: string;
  // Not @IsNumber({ maxDecimalPlaces }): it throws on numbers written with an exponent (1e-7), found by fuzzing.
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @IsMoneyAmount() amount!: number;
  @IsISO4217CurrencyCode() currency!: string;
  @IsOptional() @IsString() @Length(0, TEXT_LIMITS.longText) basis?: string;
}
