import { instant, isIanaTimeZone, isIsoDateTimeWithOffset } from './time';

describe('isIsoDateTimeWithOffset', () => {
  it.each([
    '2026-01-01T10:00:00Z',
    '2026-01-01T10:00:00+01:00',
    '2026-01-01T10:00:00-05:30',
    '2026-01-01T10:00:00.123Z',
    '2026-01-01T10:00:00.123456789+02:00',
    '2026-01-01T10:00Z',
  ])('accepts %s', (value) => {
    expect(isIsoDateTimeWithOffset(value)).toBe(true);
  });

  it.each([
    ['no offset', '2026-01-01T10:00:00'],
    ['date only', '2026-01-01'],
    ['garbage', 'yesterday'],
    ['a space instead of T', '2026-01-01 10:00:00Z'],
    ['an offset without a colon', '2026-01-01T10:00:00+0100'],
    ['a lower-case z', '2026-01-01T10:00:00z'],
    ['month 13', '2026-13-01T10:00:00Z'],
    ['day 32', '2026-01-32T10:00:00Z'],
    ['minute 60', '2026-01-01T10:60:00Z'],
    ['ten fraction digits', '2026-01-01T10:00:00.1234567890Z'],
    ['an empty string', ''],
  ])('refuses %s (%s)', (_why, value) => {
    expect(isIsoDateTimeWithOffset(value)).toBe(false);
  });

  it.each([1767261600000, null, undefined, new Date('2026-01-01T10:00:00Z')])('refuses the non-string %p', (value) => {
    expect(isIsoDateTimeWithOffset(value)).toBe(false);
  });

  it.each(['2026-02-30T10:00:00Z', '2026-02-29T10:00:00Z', '2026-04-31T10:00:00+02:00'])(
    'refuses the impossible calendar date %s',
    (value) => {
      expect(isIsoDateTimeWithOffset(value)).toBe(false);
    },
  );

  it('accepts 29 February in a leap year', () => {
    expect(isIsoDateTimeWithOffset('2028-02-29T10:00:00Z')).toBe(true);
  });
});

describe('instant', () => {
  it('compares the same moment written with different offsets as equal', () => {
    expect(instant('2026-03-01T10:00:00+01:00')).toBe(instant('2026-03-01T09:00:00Z'));
  });

  it('orders by the moment, not by the text', () => {
    expect(instant('2026-03-01T09:30:00Z')).toBeGreaterThan(instant('2026-03-01T10:00:00+01:00'));
  });
});

describe('isIanaTimeZone', () => {
  it.each(['Europe/Berlin', 'UTC', 'America/Argentina/Buenos_Aires', 'Asia/Tokyo', 'Etc/UTC'])('accepts %s', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(true);
  });

  // Node 20's Intl.supportedValuesOf lists the old names (Asia/Calcutta, Europe/Kiev); the
  // current ones must still pass through the Intl.DateTimeFormat fallback.
  it.each(['Asia/Kolkata', 'Europe/Kyiv', 'Asia/Calcutta'])('accepts %s whichever spelling the runtime lists', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(true);
  });

  it.each([
    ['an unknown region', 'Mars/Olympus'],
    ['an abbreviation', 'CET'],
    ['an abbreviation', 'EST'],
    ['an abbreviation', 'PST'],
    ['an offset', '+01:00'],
    ['a lower-case UTC', 'utc'],
    ['an empty string', ''],
    ['a name over 64 characters', `Europe/${'B'.repeat(60)}`],
  ])('refuses %s: %s', (_why, zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });

  it.each([1, null, undefined, {}])('refuses the non-string %p', (value) => {
    expect(isIanaTimeZone(value)).toBe(false);
  });

  it.each(['europe/berlin', 'EUROPE/BERLIN'])('refuses the mis-cased name %s', (zone) => {
    expect(isIanaTimeZone(zone)).toBe(false);
  });
});
