import { IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { TEAM_MEMBER_ROLES, type TeamMemberRole } from '../events';
import { IsEntityId, IsIanaTimeZone, TEXT_LIMITS } from '../validation';
import { CommandFields } from './common';

export class RegisterPersonFields extends CommandFields {
  @IsEntityId() personId!: string;
  @IsString() @Length(1, TEXT_LIMITS.name) name!: string;
  @IsIanaTimeZone() timeZone!: string;
  @IsOptional() @IsEmail() @Length(3, TEXT_LIMITS.email) email?: string;
}

export class FormTeamFields extends CommandFields {
  @IsEntityId() teamId!: string;
  @IsString() @Length(1, TEXT_LIMITS.name) name!: string;
  @IsOptional() @IsEntityId() parentTeamId?: string;
}

export class AddTeamMemberFields extends CommandFields {
  @IsEntityId() teamId!: string;
  @IsEntityId() personId!: string;
  @IsOptional() @IsIn(TEAM_MEMBER_ROLES) role?: TeamMemberRole;
}

export class RegisterServiceFields extends CommandFields {
  @IsEntityId() serviceId!: string;
  @IsString() @Length(1, TEXT_LIMITS.name) name!: string;
  @IsOptional() @IsInt() @Min(1) @Max(4) tier?: number;
}

export class AssignServiceOwnerFields extends CommandFields {
  @IsEntityId() serviceId!: string;
  @IsEntityId() teamId!: string;
}
