import { isIsoDateTimeWithOffset, type FieldError } from '@app/domain';
import { apiError } from './errors';

/** Refuses a request with BAD_USER_INPUT naming every bad field and its rule; nothing has run. */
export function refuse(errors: FieldError[]): never {
  throw apiError('BAD_USER_INPUT', errors.map((e) => e.message).join('; '), { fieldErrors: errors });
}

/** An optional instant argument: its value (null when absent), or an error added to `errors`. */
export function checkInstant(field: string, value: string | null | undefined, errors: FieldError[]): string | null {
  if (value === undefined || value === null) return null;
  if (!isIsoDateTimeWithOffset(value)) {
    errors.push({ field, rule: 'isIsoDateTimeWithOffset', message: `${field} must be an ISO-8601 date-time with Z or an offset` });
    return null;
  }
  return value;
}

/** One optional instant argument checked on its own (e.g. `asOf`). */
export function instantArgument(field: string, value: string | null | undefined): string | undefined {
  const errors: FieldError[] = [];
  const checked = checkInstant(field, value, errors);
  if (errors.length > 0) refuse(errors);
  return checked ?? undefined;
}
