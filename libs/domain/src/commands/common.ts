import { IsInt, IsOptional, IsString, Length, Min } from 'class-validator';
import { IsIsoDateTimeWithOffset, TEXT_LIMITS } from '../validation';

/** Fields every command input has besides its payload. */
export class CommandFields {
  /** Business time; defaults to the time the server accepts the command. */
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  occurredAt?: string;

  /** Optimistic concurrency: the stream revision the client last saw. */
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedRevision?: number;

  /** A retried command with the same key returns the first result and appends nothing. */
  @IsOptional()
  @IsString()
  @Length(1, TEXT_LIMITS.idempotencyKey)
  idempotencyKey?: string;
}

/** The command envelope fields; everything else in an input is the event payload. */
export const ENVELOPE_FIELDS = ['occurredAt', 'expectedRevision', 'idempotencyKey'] as const;
