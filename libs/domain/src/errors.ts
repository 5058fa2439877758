/**
 * Errors the domain raises. Codes are stable; the API maps them to its error codes
 * in one place (RULE_VIOLATED -> CONFLICT, NOT_FOUND -> NOT_FOUND, INVALID -> BAD_USER_INPUT).
 */
export type DomainErrorCode = 'RULE_VIOLATED' | 'NOT_FOUND' | 'INVALID';

export interface FieldError {
  /** Path of the offending field, e.g. `input.timeZone`. */
  field: string;
  /** The rule it broke, e.g. `isIanaTimeZone`. */
  rule: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class RuleViolation extends DomainError {
  constructor(rule: string, message: string, details: Record<string, unknown> = {}) {
    super('RULE_VIOLATED', message, { rule, ...details });
    this.name = 'RuleViolation';
  }
}

export class NotFound extends DomainError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NOT_FOUND', message, details);
    this.name = 'NotFound';
  }
}

export class ValidationFailed extends DomainError {
  constructor(readonly fieldErrors: FieldError[]) {
    super(
      'INVALID',
      `Invalid input: ${fieldErrors.map((e) => `${e.field} (${e.rule}): ${e.message}`).join('; ')}`,
      { fieldErrors },
    );
    this.name = 'ValidationFailed';
  }
}

/** Ends every exhaustive `switch`: a new union member that is not handled fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
