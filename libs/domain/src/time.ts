/** ISO-8601 date-time with `Z` or an explicit offset; seconds and fractions optional. */
const ISO_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoDateTimeWithOffset(value: unknown): value is string {
  return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
}

/** Milliseconds since the epoch; only for comparing instants, never for storage. */
export function instant(iso: string): number {
  return Date.parse(iso);
}

const knownZones = new Set<string>(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [],
);

/** An IANA time zone name this runtime knows (`Europe/Berlin`, `UTC`). */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  if (knownZones.has(value)) return true;
  if (!value.includes('/') && value !== 'UTC') return false; // refuse offsets and abbreviations like "CET"
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
