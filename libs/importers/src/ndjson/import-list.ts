import type { EventMetadata } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { importItems, type ImportOptions, type ImportSummary } from './importer';
import { parseEventObject } from './parse-line';

export interface ListImportOptions extends Omit<ImportOptions, 'batchSize' | 'allOrNothing' | 'signal'> {
  /** metadata.source of events that give none. */
  source: string;
  /** Metadata of the request (actor, correlationId) for events that do not give their own. */
  metadataDefaults?: EventMetadata;
  /** Field path prefix of the list, e.g. `events`. */
  path: string;
}

/**
 * importEvents: the same checks as a file, but the list is one batch, all or nothing: when any
 * event has a problem nothing is appended and the summary lists every problem.
 */
export function importEventList(store: EventStore, events: readonly unknown[], options: ListImportOptions): Promise<ImportSummary> {
  const items = events.map((value, index) => ({
    bytes: 0,
    parsed: parseEventObject(value, index, { path: `${options.path}[${index}]`, source: options.source, metadataDefaults: options.metadataDefaults }),
  }));
  return importItems(store, items, { ...options, batchSize: Math.max(1, events.length), maxBatchBytes: Infinity, allOrNothing: true });
}
