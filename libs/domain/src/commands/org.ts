import { IsDefined, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import { TEAM_MEMBER_ROLES, type TeamMemberRole } from '../events';
import { IsEntityId, IsIanaTimeZone, IsIsoDateTimeWithOffset, TEXT_LIMITS } from '../validation';
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

export class UpdatePersonFields extends CommandFields {
  @IsEntityId() personId!: string;
  /** At least one of name, email, timeZone: an update that changes nothing is refused (reported on name). */
  @ValidateIf((o: UpdatePersonFields) => o.name != null || (o.email == null && o.timeZone == null))
  @IsDefined({ message: 'give at least one of name, email, timeZone' })
  @IsString()
  @Length(1, TEXT_LIMITS.name)
  name?: string;
  @IsOptional() @IsEmail() @Length(3, TEXT_LIMITS.email) email?: string;
  @IsOptional() @IsIanaTimeZone() timeZone?: string;
}

export class RenameTeamFields extends CommandFields {
  @IsEntityId() teamId!: string;
  @IsString() @Length(1, TEXT_LIMITS.name) name!: string;
}

export class ReparentTeamFields extends CommandFields {
  @IsEntityId() teamId!: string;
  /** null (or absent) makes the team top level. */
  @IsOptional() @IsEntityId() parentTeamId?: string | null;
}

export class DissolveTeamFields extends CommandFields {
  @IsEntityId() teamId!: string;
}

export class RemoveTeamMemberFields extends CommandFields {
  @IsEntityId() teamId!: string;
  @IsEntityId() personId!: string;
}

export class ServiceDependencyFields extends CommandFields {
  @IsEntityId() serviceId!: string;
  @IsEntityId() dependsOnServiceId!: string;
}

export class RetireServiceFields extends CommandFields {
  @IsEntityId() serviceId!: string;
}

export class ScheduleOnCallShiftFields extends CommandFields {
  @IsEntityId() teamId!: string;
  @IsEntityId() shiftId!: string;
  @IsEntityId() personId!: string;
  @IsIsoDateTimeWithOffset() startsAt!: string;
  @IsIsoDateTimeWithOffset() endsAt!: string;
}
