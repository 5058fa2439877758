import { readFile } from 'node:fs/promises';
import type { EventStore } from '@app/event-store';
import { importItems, type ImportOptions, type ImportSummary } from '../ndjson/importer';
import { parseEventObject } from '../ndjson/parse-line';
import type { SkippedRecord } from '../pagerduty-webhooks/delivery';
import { INCIDENT_IO_SOURCE, collectIncidentIoRecords, mapIncidentIoRecords } from './map';

export interface IncidentIoImportSummary extends ImportSummary {
  /** Records found in the file, by kind. */
  records: { incidents: number; followUps: number; memberships: number };
  /** Records that became no event, with the reason. */
  skipped: SkippedRecord[];
}

/** Parses a file's text: one JSON document, or NDJSON (one document per line, e.g. saved webhook bodies). */
export function parseIncidentIoText(textContent: string, file = 'input'): unknown {
  try {
    return JSON.parse(textContent);
  } catch (whole) {
    const lines = textContent.split('\n').filter((line) => line.trim() !== '');
    try {
      return lines.map((line) => JSON.parse(line) as unknown);
    } catch {
      throw new Error(`${file} is neither JSON nor NDJSON: ${(whole as Error).message}`);
    }
  }
}

/**
 * Imports an incident.io export (API responses or webhook bodies, see collectIncidentIoRecords)
 * through the importer core: every event checked like an NDJSON line, rules decided per stream,
 * deterministic ids (importing the same file again appends nothing), batches appended atomically.
 * Events the rules refuse (a follow-up of an incident not in the log) are problems; the rest is appended.
 */
export async function importIncidentIoDocument(store: EventStore, document: unknown, options: ImportOptions = {}): Promise<IncidentIoImportSummary> {
  const collected = collectIncidentIoRecords(document);
  const mapped = mapIncidentIoRecords(collected.records);
  const items = mapped.events.map((event, index) => ({
    bytes: 0,
    parsed: parseEventObject(event, index + 1, { path: `${mapped.refs[event.id]} -> ${event.type}`, source: INCIDENT_IO_SOURCE }),
  }));
  const unreadable = mapped.invalid.map((error, index) => ({
    bytes: 0,
    parsed: { line: -(index + 1), ok: false as const, problems: [{ line: 0, field: error.field, rule: error.rule, message: error.message, kind: 'invalid' as const }] },
  }));
  const summary = await importItems(store, [...unreadable, ...items], options);
  const count = (kind: string) => collected.records.filter((record) => record.kind === kind).length;
  return {
    ...summary,
    records: { incidents: count('incident'), followUps: count('followUp'), memberships: count('membership') },
    skipped: [...collected.skipped, ...mapped.skipped],
  };
}

export async function importIncidentIoFile(store: EventStore, path: string, options: ImportOptions = {}): Promise<IncidentIoImportSummary> {
  return importIncidentIoDocument(store, parseIncidentIoText(await readFile(path, 'utf8'), path), options);
}
