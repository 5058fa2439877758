import type { EventStore } from '@app/event-store';
import { importItems, type ImportSummary } from '../ndjson/importer';
import { parseEventObject, type LineProblem } from '../ndjson/parse-line';

/** One import line a provider mapper produced: the envelope of an NDJSON line, id always given. */
export interface MappedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A record of the provider that became no event, and why (an unmapped type, a private incident, ...). */
export interface SkippedRecord {
  eventType?: string;
  ref?: string;
  reason: string;
}

/** What one webhook delivery (or one record of a file) maps to. */
export interface MappedDelivery {
  /** The provider's id of the delivery, e.g. `pagerduty:01GI0...`. */
  deliveryId: string;
  eventType: string;
  events: MappedEvent[];
  skipped: SkippedRecord[];
}

/** A payload the mapper cannot read: names the field and the rule (HTTP 400, nothing appended). */
export class PayloadError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

export interface DeliveryResult {
  /** Events appended now. */
  appended: number;
  /** Events already in the log (a re-delivery, or an incident declared by an earlier webhook). */
  duplicates: number;
  /** Records the mapper skipped, and events the stream's rules refused, with the reason. */
  skipped: SkippedRecord[];
  lastPosition: string | null;
}

/**
 * Appends a mapped delivery through the importer core: every line is checked like an NDJSON line
 * (parseEventObject), the stream rules are decided again per stream, ids are the mapper's
 * deterministic ones, and the accepted lines go in one atomic append. A line the rules refuse (an
 * incident that was never declared, a severity already set, a responder already there) is reported
 * in `skipped` with the rule; the other lines of the delivery are still appended. A line that fails
 * its own checks is a mapper defect and throws.
 */
export async function appendDelivery(store: EventStore, mapped: MappedDelivery, options: { source: string }): Promise<DeliveryResult> {
  const items = mapped.events.map((event, index) => ({ bytes: 0, parsed: parseEventObject(event, index, { path: `events[${index}]`, source: options.source }) }));
  const invalid = items.flatMap(({ parsed }) => (parsed.ok ? [] : parsed.problems));
  if (invalid.length > 0) {
    const first = invalid[0];
    throw new PayloadError(first.field, first.rule, `the ${mapped.eventType} payload maps to an invalid event: ${first.message}`);
  }
  const summary: ImportSummary = await importItems(store, items, { batchSize: Math.max(1, items.length), maxBatchBytes: Infinity });
  const refused = summary.problems.map((problem: LineProblem) => {
    const event = mapped.events[problem.line];
    return { eventType: mapped.eventType, ref: `${event.type} ${String(event.data.incidentId ?? '')}`.trim(), reason: `${problem.rule}: ${problem.message}` };
  });
  return { appended: summary.appended, duplicates: summary.skippedDuplicates, skipped: [...mapped.skipped, ...refused], lastPosition: summary.lastPosition };
}
