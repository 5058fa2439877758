import { readFile } from 'node:fs/promises';
import { isIsoDateTimeWithOffset } from '@app/domain';
import type { EventStore } from '@app/event-store';
import { filesUnder } from '../files';
import { loadCurrentOrg } from '../backstage/import-catalog';
import { diffOrg, type BackstageSkip } from '../backstage/map';
import { importItems, type ImportOptions, type ImportSummary } from '../ndjson/importer';
import { parseEventObject } from '../ndjson/parse-line';
import { PAGERDUTY_REST_SOURCE, pagerDutyOrg, type PagerDutyDocument, type PagerDutyOrg } from './map';

export interface PagerDutyImportOptions extends ImportOptions {
  /** occurredAt of the changes and start of the shift window. Default: now. */
  asOf?: string;
  /** Days of on-call shifts from asOf. Default 28. */
  shiftDays?: number;
  onFile?(file: string, filesRead: number): void;
}

export interface PagerDutyImportSummary extends ImportSummary {
  files: number;
  records: PagerDutyOrg['records'];
  changes: Record<string, number>;
  skipped: BackstageSkip[];
}

/** The JSON responses of an export: the file itself, or every .json under the directory. */
function jsonFiles(path: string): Promise<string[]> {
  return filesUnder(path, (name) => name.toLowerCase().endsWith('.json'));
}

/**
 * `catalyst import pagerduty DIR`: the JSON responses of a PagerDuty REST export (users with time zones,
 * teams and members, services, schedules) -> org events and on-call shifts, appending only what differs
 * from the log (like the Backstage import), through the importer core. Importing it again appends nothing.
 */
export async function importPagerDutyExport(store: EventStore, path: string, options: PagerDutyImportOptions = {}): Promise<PagerDutyImportSummary> {
  const asOf = options.asOf ?? new Date().toISOString();
  if (!isIsoDateTimeWithOffset(asOf)) throw new Error(`--as-of (isIso8601): ${asOf} is not an ISO-8601 time with Z or an offset`);
  const files = await jsonFiles(path);
  const documents: PagerDutyDocument[] = [];
  const unreadable: BackstageSkip[] = [];
  for (const [index, file] of files.entries()) {
    try {
      documents.push({ file, json: JSON.parse(await readFile(file, 'utf8')) as unknown });
    } catch (error) {
      unreadable.push({ ref: file, reason: `not JSON: ${(error as Error).message}` });
    }
    options.onFile?.(file, index + 1);
  }
  const org = pagerDutyOrg(documents, { from: asOf, days: options.shiftDays ?? 28 });
  const current = await loadCurrentOrg(store, { teams: [...org.teams.keys()], people: [...org.people.keys()], services: [...org.services.keys()] });
  const diff = diffOrg(org, current, asOf, PAGERDUTY_REST_SOURCE);
  const changes: Record<string, number> = {};
  for (const event of diff.events) changes[event.type] = (changes[event.type] ?? 0) + 1;
  const items = diff.events.map((event, index) => ({
    bytes: 0,
    parsed: parseEventObject(event, index + 1, { path: `${event.type}(${Object.values(event.data).slice(0, 2).join(', ')})`, source: PAGERDUTY_REST_SOURCE }),
  }));
  const summary = await importItems(store, items, options);
  return { ...summary, files: files.length, records: org.records, changes, skipped: [...unreadable, ...org.skipped, ...diff.skipped] };
}
