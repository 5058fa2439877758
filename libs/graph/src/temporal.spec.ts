import neo4j from 'neo4j-driver';
import { formatDateTime, isoDateTime } from './temporal';

/** A driver DateTime as the driver decodes one with an offset (Integer fields). */
const at = (y: number, mo: number, d: number, h: number, mi: number, s: number, nanos: number, offsetSeconds: number) =>
  new neo4j.types.DateTime(neo4j.int(y), neo4j.int(mo), neo4j.int(d), neo4j.int(h), neo4j.int(mi), neo4j.int(s), neo4j.int(nanos), neo4j.int(offsetSeconds));

describe('formatDateTime', () => {
  it.each([
    ['no fraction, UTC', at(2026, 3, 1, 10, 30, 0, 0, 0), '2026-03-01T10:30:00Z'],
    ['milliseconds in three digits', at(2026, 3, 1, 10, 30, 0, 120_000_000, 0), '2026-03-01T10:30:00.120Z'],
    ['one decisecond as three digits', at(2026, 3, 1, 10, 30, 0, 100_000_000, 3600), '2026-03-01T10:30:00.100+01:00'],
    ['microseconds in six digits', at(2026, 3, 1, 10, 30, 0, 1_000, -19_800), '2026-03-01T10:30:00.000001-05:30'],
    ['nanoseconds in nine digits', at(2026, 3, 1, 10, 30, 0, 123_456_789, 0), '2026-03-01T10:30:00.123456789Z'],
    ['a historical offset with seconds', at(1850, 1, 1, 0, 0, 0, 0, 3208), '1850-01-01T00:00:00+00:53:28'],
    ['a negative offset with seconds', at(1850, 1, 1, 0, 0, 0, 0, -3208), '1850-01-01T00:00:00-00:53:28'],
    ['year one, padded', at(1, 1, 1, 0, 0, 0, 0, 0), '0001-01-01T00:00:00Z'],
    ['a year past 9999, signed', at(10000, 1, 1, 0, 0, 0, 0, 0), '+10000-01-01T00:00:00Z'],
    ['a year before year zero, signed and padded', at(-1, 1, 1, 0, 0, 0, 0, 0), '-0001-01-01T00:00:00Z'],
  ])('%s', (_name, value, expected) => {
    expect(formatDateTime(value)).toBe(expected);
  });

  it('takes plain-number fields (a driver with disableLosslessIntegers) the same way', () => {
    const value = new neo4j.types.DateTime(2026, 12, 31, 23, 59, 59, 5_000_000, -3600);
    expect(formatDateTime(value)).toBe('2026-12-31T23:59:59.005-01:00');
  });

  it('writes the offset, not the zone id, of a zoned value', () => {
    const value = new neo4j.types.DateTime(neo4j.int(2026), neo4j.int(7), neo4j.int(1), neo4j.int(12), neo4j.int(0), neo4j.int(0), neo4j.int(0), neo4j.int(7200), 'Europe/Berlin');
    expect(formatDateTime(value)).toBe('2026-07-01T12:00:00+02:00');
  });

  it('falls back to the driver text, without the zone id, when the offset is unknown', () => {
    const value = new neo4j.types.DateTime(neo4j.int(2026), neo4j.int(7), neo4j.int(1), neo4j.int(12), neo4j.int(0), neo4j.int(0), neo4j.int(0), undefined, 'Europe/Berlin');
    expect(formatDateTime(value)).toBe('2026-07-01T12:00:00');
  });
});

describe('isoDateTime', () => {
  it('refers only to the expression it formats, and takes no parameter', () => {
    const cypher = isoDateTime('r.joinedAt');
    expect(cypher.startsWith('CASE WHEN r.joinedAt IS NULL THEN NULL ELSE ')).toBe(true);
    expect(cypher).not.toContain('$');
    expect(cypher.match(/\b[a-z]\.\w+/g)?.every((ref) => ref.startsWith('r.'))).toBe(true);
  });
});
