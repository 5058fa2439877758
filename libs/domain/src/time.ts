/** ISO-8601 date-time with `Z` or an explicit offset; seconds and fractions optional. */
const ISO_WITH_OFFSET =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoDateTimeWithOffset(value: unknown): value is string {
  return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && isRealCalendarTime(value) && !Number.isNaN(Date.parse(value));
}

/** Date.parse rolls 2026-02-30 over to March 2; a business time must be a day that exists. */
function isRealCalendarTime(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const [hour, minute] = value.slice(11, 16).split(':').map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59;
}

/** Milliseconds since the epoch; only for comparing instants, never for storage. */
export function instant(iso: string): number {
  return Date.parse(iso);
}

const knownZones = new Set<string>(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [],
);

const IANA_SPELLING = /^[A-Z][a-z]+(\/[A-Z][A-Za-z]*([_-][A-Za-z]+)*)+$/;

/** An IANA time zone name this runtime knows (`Europe/Berlin`, `UTC`). */
export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  if (knownZones.has(value)) return true;
  if (!value.includes('/')) return value === 'UTC' || value === 'GMT'; // refuse offsets and abbreviations like "CET"
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    // Intl ignores case; only the IANA spelling is accepted. A newer name this runtime maps to an
    // older alias (Europe/Kyiv -> Europe/Kiev) is accepted when spelled the IANA way.
    return canonical === value || IANA_SPELLING.test(value);
  } catch {
    return false;
  }
}
