import { AddResponderFields, DeclareIncidentFields, EstimateIncidentCostFields, ResolveIncidentFields } from './commands/incident';
import { AddTeamMemberFields, AssignServiceOwnerFields, FormTeamFields, RegisterPersonFields, RegisterServiceFields } from './commands/org';
import { ValidationFailed, type FieldError } from './errors';
import { checkInput, isMoneyAmount, TEXT_LIMITS, validateInput } from './validation';

const person = { personId: 'ana', name: 'Ana', timeZone: 'Europe/Berlin' };
const incident = { incidentId: 'INC-1042', title: 'Checkout returns 500', severity: 'SEV2' };

/** The (field, rule) pairs of the errors, which is what callers rely on; messages are prose. */
const rulesOf = (errors: FieldError[]) => errors.map(({ field, rule }) => ({ field, rule }));

describe('checkInput', () => {
  it('accepts a valid person', () => {
    expect(checkInput(RegisterPersonFields, person)).toEqual([]);
  });

  describe('entity ids', () => {
    it.each(['ana', 'INC-1042', 'ana@example.com', 'a:b.c_d-e', 'x'.repeat(128)])('accepts %s', (personId) => {
      expect(checkInput(RegisterPersonFields, { ...person, personId })).toEqual([]);
    });

    it.each([
      ['129 characters', 'x'.repeat(129)],
      ['a dash first', '-ana'],
      ['a dot first', '.ana'],
      ['a space', 'ana smith'],
      ['a slash', 'ana/1'],
      ['a non-ASCII letter', 'jürgen'],
      ['an empty string', ''],
      ['a number', 42],
    ])('refuses %s', (_why, personId) => {
      expect(rulesOf(checkInput(RegisterPersonFields, { ...person, personId }))).toEqual([{ field: 'input.personId', rule: 'isEntityId' }]);
    });

    it('refuses a missing id', () => {
      expect(rulesOf(checkInput(RegisterPersonFields, { name: 'Ana', timeZone: 'UTC' }))).toEqual([{ field: 'input.personId', rule: 'isEntityId' }]);
    });

    it('checks every id of a list', () => {
      const errors = checkInput(DeclareIncidentFields, { ...incident, impactedServiceIds: ['checkout', 'bad id'] });
      expect(rulesOf(errors)).toEqual([{ field: 'input.impactedServiceIds', rule: 'isEntityId' }]);
    });

    it('refuses more than 100 impacted services', () => {
      const impactedServiceIds = Array.from({ length: 101 }, (_, i) => `svc-${i}`);
      expect(rulesOf(checkInput(DeclareIncidentFields, { ...incident, impactedServiceIds }))).toEqual([
        { field: 'input.impactedServiceIds', rule: 'arrayMaxSize' },
      ]);
    });
  });

  describe('occurredAt', () => {
    it.each(['2026-01-01T10:00:00Z', '2026-01-01T10:00:00+01:00', '2026-01-01T10:00:00.5Z', '2026-01-01T10:00:00.123456-03:30'])(
      'accepts %s',
      (occurredAt) => {
        expect(checkInput(RegisterPersonFields, { ...person, occurredAt })).toEqual([]);
      },
    );

    it.each([
      ['no offset', '2026-01-01T10:00:00'],
      ['a date only', '2026-01-01'],
      ['garbage', 'next tuesday'],
      ['epoch milliseconds', 1767261600000],
    ])('refuses %s', (_why, occurredAt) => {
      expect(rulesOf(checkInput(RegisterPersonFields, { ...person, occurredAt }))).toEqual([
        { field: 'input.occurredAt', rule: 'isIsoDateTimeWithOffset' },
      ]);
    });
  });

  describe('time zones', () => {
    it.each(['Europe/Berlin', 'UTC', 'America/Argentina/Buenos_Aires'])('accepts %s', (timeZone) => {
      expect(checkInput(RegisterPersonFields, { ...person, timeZone })).toEqual([]);
    });

    it.each(['Mars/Olympus', 'CET', 'EST', '+01:00', 'utc', ''])('refuses %j', (timeZone) => {
      expect(rulesOf(checkInput(RegisterPersonFields, { ...person, timeZone }))).toEqual([{ field: 'input.timeZone', rule: 'isIanaTimeZone' }]);
    });
  });

  describe('text lengths', () => {
    it('accepts a name of exactly 200 characters', () => {
      expect(TEXT_LIMITS.name).toBe(200);
      expect(checkInput(RegisterPersonFields, { ...person, name: 'n'.repeat(200) })).toEqual([]);
    });

    it.each([
      ['201 characters', 'n'.repeat(201)],
      ['an empty name', ''],
    ])('refuses a name of %s', (_why, name) => {
      expect(rulesOf(checkInput(FormTeamFields, { teamId: 'payments', name }))).toEqual([{ field: 'input.name', rule: 'isLength' }]);
    });

    it('refuses a name that is not a string', () => {
      expect(rulesOf(checkInput(RegisterServiceFields, { serviceId: 'checkout', name: 7 }))).toContainEqual({ field: 'input.name', rule: 'isString' });
    });

    it('bounds an incident title at 500 and a summary at 10,000 characters', () => {
      expect(checkInput(DeclareIncidentFields, { ...incident, title: 't'.repeat(500), summary: 's'.repeat(10_000) })).toEqual([]);
      expect(rulesOf(checkInput(DeclareIncidentFields, { ...incident, title: 't'.repeat(501), summary: 's'.repeat(10_001) }))).toEqual([
        { field: 'input.title', rule: 'isLength' },
        { field: 'input.summary', rule: 'isLength' },
      ]);
    });

    it('refuses an email that is not one', () => {
      expect(rulesOf(checkInput(RegisterPersonFields, { ...person, email: 'ana at example' }))).toEqual([{ field: 'input.email', rule: 'isEmail' }]);
    });
  });

  describe('enums and numbers', () => {
    it.each(['SEV1', 'SEV5'])('accepts severity %s', (severity) => {
      expect(checkInput(DeclareIncidentFields, { ...incident, severity })).toEqual([]);
    });

    it.each(['SEV0', 'SEV6', 'sev1', 'critical'])('refuses severity %s', (severity) => {
      expect(rulesOf(checkInput(DeclareIncidentFields, { ...incident, severity }))).toEqual([{ field: 'input.severity', rule: 'isIn' }]);
    });

    it('requires a severity', () => {
      expect(rulesOf(checkInput(DeclareIncidentFields, { incidentId: 'INC-1', title: 'x' }))).toEqual([{ field: 'input.severity', rule: 'isIn' }]);
    });

    it.each(['commander', 'responder', 'communications', 'scribe', 'expert'])('accepts responder role %s', (role) => {
      expect(checkInput(AddResponderFields, { incidentId: 'INC-1', personId: 'bob', role })).toEqual([]);
    });

    it.each(['observer', 'Commander', ''])('refuses responder role %j', (role) => {
      expect(rulesOf(checkInput(AddResponderFields, { incidentId: 'INC-1', personId: 'bob', role }))).toEqual([{ field: 'input.role', rule: 'isIn' }]);
    });

    it('accepts the team roles and refuses others', () => {
      expect(checkInput(AddTeamMemberFields, { teamId: 'payments', personId: 'ana', role: 'lead' })).toEqual([]);
      expect(rulesOf(checkInput(AddTeamMemberFields, { teamId: 'payments', personId: 'ana', role: 'owner' }))).toEqual([
        { field: 'input.role', rule: 'isIn' },
      ]);
    });

    it.each([
      [0, 'min'],
      [5, 'max'],
      [1.5, 'isInt'],
    ])('refuses service tier %p (%s)', (tier, ruleName) => {
      expect(rulesOf(checkInput(RegisterServiceFields, { serviceId: 'checkout', name: 'Checkout', tier }))).toEqual([{ field: 'input.tier', rule: ruleName }]);
    });

    it('refuses a negative or fractional expectedRevision and an empty idempotencyKey', () => {
      expect(rulesOf(checkInput(ResolveIncidentFields, { incidentId: 'INC-1', expectedRevision: -1, idempotencyKey: '' }))).toEqual([
        { field: 'input.expectedRevision', rule: 'min' },
        { field: 'input.idempotencyKey', rule: 'isLength' },
      ]);
      expect(rulesOf(checkInput(ResolveIncidentFields, { incidentId: 'INC-1', expectedRevision: 1.5 }))).toEqual([
        { field: 'input.expectedRevision', rule: 'isInt' },
      ]);
    });
  });

  describe('shape', () => {
    it('refuses unknown properties', () => {
      expect(rulesOf(checkInput(AssignServiceOwnerFields, { serviceId: 'checkout', teamId: 'payments', ownerId: 'ana' }))).toEqual([
        { field: 'input.ownerId', rule: 'whitelistValidation' },
      ]);
    });

    it.each([null, 'ana', 42, [person]])('refuses the non-object %p', (plain) => {
      expect(checkInput(RegisterPersonFields, plain)).toEqual([{ field: 'input', rule: 'isObject', message: 'input must be an object' }]);
    });

    it('names fields under the given path', () => {
      expect(rulesOf(checkInput(RegisterPersonFields, { ...person, timeZone: 'CET' }, 'args.person'))).toEqual([
        { field: 'args.person.timeZone', rule: 'isIanaTimeZone' },
      ]);
    });
  });
});

describe('validateInput', () => {
  it('returns an instance of the input class with the given values', () => {
    const fields = validateInput(RegisterPersonFields, { ...person, occurredAt: '2026-01-01T10:00:00Z' });
    expect(fields).toBeInstanceOf(RegisterPersonFields);
    expect({ ...fields }).toEqual({ ...person, occurredAt: '2026-01-01T10:00:00Z' });
  });

  it('reports three wrong fields as three field errors in one ValidationFailed', () => {
    let thrown: unknown;
    try {
      validateInput(RegisterPersonFields, { personId: '-ana', name: 'Ana', timeZone: 'CET', occurredAt: '2026-01-01T10:00:00' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationFailed);
    const failed = thrown as ValidationFailed;
    expect(failed.code).toBe('INVALID');
    expect(rulesOf(failed.fieldErrors)).toEqual(
      expect.arrayContaining([
        { field: 'input.personId', rule: 'isEntityId' },
        { field: 'input.timeZone', rule: 'isIanaTimeZone' },
        { field: 'input.occurredAt', rule: 'isIsoDateTimeWithOffset' },
      ]),
    );
    expect(failed.fieldErrors).toHaveLength(3);
    expect(failed.details).toEqual({ fieldErrors: failed.fieldErrors });
    for (const { field, rule, message } of failed.fieldErrors) {
      expect(message).not.toBe('');
      expect(failed.message).toContain(`${field} (${rule})`);
    }
  });
});

describe('isMoneyAmount (estimateIncidentCost.amount)', () => {
  it('takes whole amounts and cents', () => {
    for (const value of [0, 1200, 99.95, 0.01, 1e13, 12_345_678.9]) expect(isMoneyAmount(value)).toBe(true);
  });
  it('refuses fractions of a cent, negatives, non-finite numbers and exponent forms without throwing', () => {
    for (const value of [1e-7, 5e-324, 0.001, 99.999, -1, -0.01, Number.NaN, Number.POSITIVE_INFINITY, 1e14, '12', null]) {
      expect(isMoneyAmount(value)).toBe(false);
    }
  });
  it('names the field and the rule when refused through validation', () => {
    let thrown: unknown;
    try {
      validateInput(EstimateIncidentCostFields, { incidentId: 'INC-1', amount: 1e-7, currency: 'EUR' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationFailed);
    expect(rulesOf((thrown as ValidationFailed).fieldErrors)).toEqual([{ field: 'input.amount', rule: 'isMoneyAmount' }]);
  });
});
