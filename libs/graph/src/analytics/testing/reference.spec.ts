import { FIXTURES } from './fixtures';
import { isOffHours, offsetMinutes, ReferenceAnalytics } from './reference';

/** The reference against the hand-built fixtures (the same ones the Cypher is checked with). */
describe('ReferenceAnalytics on the hand-built fixtures', () => {
  for (const fixture of FIXTURES) {
    it(fixture.name, async () => {
      await fixture.check(new ReferenceAnalytics(fixture.events));
    });
  }
});

describe('time-zone arithmetic of the reference (Node ICU data)', () => {
  const at = (iso: string) => Date.parse(iso);
  it('gives UTC offsets on both sides of a daylight-saving change', () => {
    expect(offsetMinutes(at('2024-03-09T12:00:00Z'), 'America/New_York')).toBe(-300);
    expect(offsetMinutes(at('2024-03-11T12:00:00Z'), 'America/New_York')).toBe(-240);
    expect(offsetMinutes(at('2024-03-31T00:59:00Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes(at('2024-03-31T01:00:00Z'), 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes(at('2024-04-06T16:29:00Z'), 'Australia/Adelaide')).toBe(630);
    expect(offsetMinutes(at('2024-04-06T16:30:00Z'), 'Australia/Adelaide')).toBe(570);
    expect(offsetMinutes(at('2024-03-31T01:00:00Z'), 'Asia/Kolkata')).toBe(330);
  });
  it('puts 09:00 in working hours and 18:00 out of them, weekends out', () => {
    // Tuesday 2024-03-05: 09:00 and 17:59 Berlin (UTC+1) are on hours; 18:00 and 08:59 are off.
    expect(isOffHours(at('2024-03-05T08:00:00Z'), 'Europe/Berlin')).toBe(false);
    expect(isOffHours(at('2024-03-05T16:59:00Z'), 'Europe/Berlin')).toBe(false);
    expect(isOffHours(at('2024-03-05T17:00:00Z'), 'Europe/Berlin')).toBe(true);
    expect(isOffHours(at('2024-03-05T07:59:00Z'), 'Europe/Berlin')).toBe(true);
    // Saturday noon is off; Friday 23:30Z is already Saturday 05:00 in Kolkata.
    expect(isOffHours(at('2024-03-09T12:00:00Z'), 'UTC')).toBe(true);
    expect(isOffHours(at('2024-03-08T12:00:00Z'), 'Asia/Kolkata')).toBe(false);
    expect(isOffHours(at('2024-03-08T23:30:00Z'), 'Asia/Kolkata')).toBe(true);
  });
});
