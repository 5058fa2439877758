import type { DateTime, Driver } from 'neo4j-driver';
import { testDriver } from '@test/support';
import { formatDateTime, isoDateTime } from './temporal';

/**
 * The two ways a DateTime becomes text (temporal.ts) must agree on every value: the Cypher
 * expression the read statements use, and the formatter for values the driver has decoded.
 */
describe('DateTime text on a real Neo4j', () => {
  let driver: Driver;
  beforeAll(() => {
    driver = testDriver();
  });
  afterAll(async () => {
    await driver.close();
  });

  /** Each value as [isoDateTime in Cypher, formatDateTime of the decoded value]. */
  async function both(valueCypher: string, params: Record<string, unknown>): Promise<[string | null, string | null][]> {
    const result = await driver.executeQuery(`${valueCypher} RETURN ${isoDateTime('d')} AS text, d`, params);
    return result.records.map((r) => [r.get('text') as string | null, r.get('d') === null ? null : formatDateTime(r.get('d') as DateTime)]);
  }

  it('writes given values as documented, the same both ways', async () => {
    const cases: [string, string][] = [
      ['2026-03-01T10:30:00Z', '2026-03-01T10:30:00Z'],
      ['2026-03-01T10:30:00+00:00', '2026-03-01T10:30:00Z'],
      ['2026-03-01T10:30:00.120Z', '2026-03-01T10:30:00.120Z'],
      ['2026-03-01T10:30:00.1+01:00', '2026-03-01T10:30:00.100+01:00'],
      ['2026-03-01T10:30:00.000001-05:30', '2026-03-01T10:30:00.000001-05:30'],
      ['2026-03-01T10:30:00.123456789+00:00', '2026-03-01T10:30:00.123456789Z'],
      ['2026-03-29T02:30:00[Europe/Berlin]', '2026-03-29T03:30:00+02:00'],
      ['2026-10-25T02:30:00+01:00[Europe/Berlin]', '2026-10-25T02:30:00+01:00'],
      ['1850-01-01T00:00:00[Europe/Berlin]', '1850-01-01T00:00:00+00:53:28'],
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00Z'],
      ['9999-12-31T23:59:59.999999999Z', '9999-12-31T23:59:59.999999999Z'],
    ];
    const rows = await both('UNWIND $inputs AS input WITH datetime(input) AS d', { inputs: cases.map(([input]) => input) });
    expect(rows).toEqual(cases.map(([, expected]) => [expected, expected]));
  });

  it('gives null for null', async () => {
    expect(await both('WITH null AS d', {})).toEqual([[null, null]]);
  });

  it('agrees on 2,000 random instants, fractions and offsets (fixed seed)', async () => {
    let seed = 20261203;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const fractions = [0, 1, 1_000, 1_000_000, 10_000_000, 100_000_000];
    const values = Array.from({ length: 2000 }, () => ({
      epochSeconds: next(4_102_444_800) - 2_208_988_800, // 1900 to 2100
      nanosecond: fractions[next(fractions.length)] * next(1000) % 1_000_000_000,
      offsetSeconds: (next(2 * 18 * 4) - 18 * 4) * 900, // -18:00 to +17:45 in quarter hours
    }));
    const rows = await both(
      `UNWIND $values AS v
       WITH toInteger(v.epochSeconds) AS s, toInteger(v.nanosecond) AS n, toInteger(v.offsetSeconds) AS o
       WITH datetime({epochSeconds: s, nanosecond: n, timezone: CASE o WHEN 0 THEN 'Z' ELSE
         (CASE WHEN o < 0 THEN '-' ELSE '+' END) + substring(toString(100 + abs(o) / 3600), 1) + ':' +
         substring(toString(100 + abs(o) % 3600 / 60), 1) END}) AS d`,
      { values },
    );
    expect(rows).toHaveLength(2000);
    const disagreements = rows.filter(([cypher, decoded]) => cypher !== decoded);
    expect(disagreements).toEqual([]);
    // The values cover every fraction width and both signs of offset.
    const texts = rows.map(([text]) => text ?? '');
    for (const pattern of [/:\d\d[Z+-]/, /\.\d{3}[Z+-]/, /\.\d{6}[Z+-]/, /\.\d{9}[Z+-]/, /\+\d\d:\d\d$/, /-\d\d:\d\d$/, /Z$/]) {
      expect(texts.some((t) => pattern.test(t))).toBe(true);
    }
  });
});
