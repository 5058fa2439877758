import { integer, type DateTime, type Integer } from 'neo4j-driver';

type NumberOrInteger = number | Integer | bigint;

/**
 * How a Neo4j `DateTime` is written wherever Catalyst returns one (GraphQL `DateTime` fields,
 * analyses, the CLI): RFC 3339 in the offset the time was given in.
 *
 * - `YYYY-MM-DDTHH:MM:SS`, seconds always written;
 * - fractional seconds only when non-zero, in groups of three digits (`.120`, `.000001`,
 *   `.123456789`), as JavaScript's `toISOString` and Java's `Instant.toString` write them;
 * - `Z` for a zero offset, otherwise `+HH:MM` (`+HH:MM:SS` for the rare historical offset with seconds);
 * - a zone id is not written (the offset at that instant is).
 *
 * There are two ways a time reaches the service, and both give the same text for the same value
 * (temporal.int-spec.ts checks them against each other on a real Neo4j):
 * - `isoDateTime(expr)`, a Cypher expression that formats on the server. Read statements use it:
 *   decoding a `DateTime` in the driver builds it from epoch seconds with 64-bit integer
 *   arithmetic, which was most of the allocation of an `incident(id)` read (bench/RESULTS.md).
 * - `formatDateTime(value)`, for a `DateTime` the driver has decoded (checkpoint fields, any
 *   statement that returns the value itself).
 */
export function isoDateTime(expr: string): string {
  const nanos = `${expr}.nanosecond`;
  return (
    `CASE WHEN ${expr} IS NULL THEN NULL ELSE toString(localdatetime.truncate('second', ${expr})) + ` +
    `CASE WHEN ${nanos} = 0 THEN '' ` +
    `WHEN ${nanos} % 1000000 = 0 THEN '.' + substring(toString(1000 + ${nanos} / 1000000), 1) ` +
    `WHEN ${nanos} % 1000 = 0 THEN '.' + substring(toString(1000000 + ${nanos} / 1000), 1) ` +
    `ELSE '.' + substring(toString(1000000000 + ${nanos}), 1) END + ${expr}.offset END`
  );
}

/** A decoded `DateTime` in the format above. */
export function formatDateTime(value: DateTime<NumberOrInteger>): string {
  const offsetSeconds = value.timeZoneOffsetSeconds;
  if (offsetSeconds === undefined || offsetSeconds === null) {
    // A zone id whose offset the driver could not compute: its own text, without the zone id.
    const text = value.toString();
    const bracket = text.indexOf('[');
    return bracket < 0 ? text : text.slice(0, bracket);
  }
  return (
    `${year(num(value.year))}-${pad(num(value.month), 2)}-${pad(num(value.day), 2)}` +
    `T${pad(num(value.hour), 2)}:${pad(num(value.minute), 2)}:${pad(num(value.second), 2)}` +
    `${fraction(num(value.nanosecond))}${offset(num(offsetSeconds))}`
  );
}

const num = (v: NumberOrInteger) => (typeof v === 'number' ? v : integer.toNumber(v));

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** ISO-8601 years: four digits, a sign beyond 0000..9999 (as Neo4j writes them). */
const year = (y: number) => (y < 0 ? `-${pad(-y, 4)}` : y > 9999 ? `+${y}` : pad(y, 4));

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  if (nanos % 1_000_000 === 0) return `.${pad(nanos / 1_000_000, 3)}`;
  if (nanos % 1_000 === 0) return `.${pad(nanos / 1_000, 6)}`;
  return `.${pad(nanos, 9)}`;
}

function offset(seconds: number): string {
  if (seconds === 0) return 'Z';
  const sign = seconds < 0 ? '-' : '+';
  const abs = Math.abs(seconds);
  const hh = pad(Math.floor(abs / 3600), 2);
  const mm = pad(Math.floor((abs % 3600) / 60), 2);
  const ss = abs % 60;
  return `${sign}${hh}:${mm}${ss ? `:${pad(ss, 2)}` : ''}`;
}
