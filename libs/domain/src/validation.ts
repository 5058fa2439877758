import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, ValidationOptions, ValidateBy, buildMessage, validateSync } from 'class-validator';
import type { FieldError } from './errors';
import { ValidationFailed } from './errors';
import { ENTITY_ID_PATTERN, isEntityId } from './ids';
import { isIanaTimeZone, isIsoDateTimeWithOffset } from './time';

export const TEXT_LIMITS = {
  name: 200,
  title: 500,
  longText: 10_000,
  email: 320,
  url: 2_048,
  idempotencyKey: 200,
} as const;

export function IsEntityId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEntityId',
      validator: {
        validate: (value) => isEntityId(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be 1..128 characters of ${ENTITY_ID_PATTERN.source.slice(1, -1)}, starting with a letter or digit`,
          options,
        ),
      },
    },
    options,
  );
}

/** The largest amount taken: beyond it, cents are no longer exact in a double. */
export const MAX_MONEY_AMOUNT = 1e13;

/** A non-negative finite amount of money with at most two decimal places (cents), e.g. 1200 or 99.95. */
export function isMoneyAmount(value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_MONEY_AMOUNT) return false;
  // Exact: the value rounded to cents is the value itself (1e-7 and 5e-324 round to 0).
  return Number(value.toFixed(2)) === value;
}

export function IsMoneyAmount(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMoneyAmount',
      validator: {
        validate: (value) => isMoneyAmount(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a number from 0 to ${MAX_MONEY_AMOUNT} with at most 2 decimal places`, options),
      },
    },
    options,
  );
}

export function IsIsoDateTimeWithOffset(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDateTimeWithOffset',
      validator: {
        validate: (value) => isIsoDateTimeWithOffset(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO-8601 date-time with Z or an offset, e.g. 2026-03-01T09:30:00Z`,
          options,
        ),
      },
    },
    options,
  );
}

export function IsIanaTimeZone(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIanaTimeZone',
      validator: {
        validate: (value) => isIanaTimeZone(value),
        defaultMessage: buildMessage((each) => `${each}$property must be a known IANA time zone, e.g. Europe/Berlin`, options),
      },
    },
    options,
  );
}

function flatten(errors: ValidationError[], path: string): FieldError[] {
  return errors.flatMap((error) => {
    const field = `${path}.${error.property}`;
    // One error per field: a missing value, else the first rule it broke in the order the class
    // declares them (class-validator checks decorators bottom-up, hence the reverse).
    const broken = Object.entries(error.constraints ?? {});
    const first = broken.find(([rule]) => rule === 'isDefined') ?? broken.reverse()[0];
    const own = first ? [{ field, rule: first[0], message: first[1] }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validates a plain object against a class-validator class. Returns the typed instance, or throws
 * ValidationFailed naming every field and rule at once. Unknown properties are refused.
 */
export function validateInput<T extends object>(cls: new () => T, plain: unknown, path = 'input'): T {
  const errors = checkInput(cls, plain, path);
  if (errors.length > 0) throw new ValidationFailed(errors);
  return plainToInstance(cls, plain) as T;
}

export function checkInput<T extends object>(cls: new () => T, plain: unknown, path = 'input'): FieldError[] {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return [{ field: path, rule: 'isObject', message: `${path} must be an object` }];
  }
  const instance = plainToInstance(cls, plain) as object;
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  return flatten(errors, path);
}
