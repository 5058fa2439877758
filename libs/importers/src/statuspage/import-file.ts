import { createReadStream } from 'node:fs';
import type { EventStore } from '@app/event-store';
import { importItems, type ImportItem, type ImportOptions, type ImportSummary } from '../ndjson/importer';
import { readLines } from '../ndjson/lines';
import { parseEventObject } from '../ndjson/parse-line';
import { STATUSPAGE_SOURCE, mapStatuspageIncident } from './map';

export interface StatuspageSkip {
  ref: string;
  reason: string;
}

export interface StatuspageImportSummary extends ImportSummary {
  /** Incident records (lines) read; `lines` counts events. */
  records: number;
  skipped: StatuspageSkip[];
}

/**
 * `catalyst import statuspage FILE.jsonl`: one Statuspage-style incident per line, mapped to the events
 * of its incident stream (mapStatuspageIncident) and appended through the importer core. Reads the file
 * as a stream; ids are deterministic, so importing it again appends nothing.
 */
export async function importStatuspageFile(store: EventStore, file: string, options: ImportOptions = {}): Promise<StatuspageImportSummary> {
  const skipped: StatuspageSkip[] = [];
  let records = 0;
  let eventNumber = 0;
  async function* items(): AsyncGenerator<ImportItem> {
    for await (const line of readLines(createReadStream(file, { highWaterMark: 1024 * 1024 }), { maxLineBytes: 8 * 1024 * 1024 })) {
      const ref = `${file}:${line.number}`;
      if (line.tooLong || line.notUtf8) {
        skipped.push({ ref, reason: line.tooLong ? 'the line is longer than 8 MiB' : 'the line is not valid UTF-8' });
        continue;
      }
      if (line.text.trim() === '') continue;
      records += 1;
      let record: unknown;
      try {
        record = JSON.parse(line.text);
      } catch (error) {
        skipped.push({ ref, reason: `not JSON: ${(error as Error).message}` });
        continue;
      }
      const mapped = mapStatuspageIncident(record);
      for (const reason of mapped.skipped) skipped.push({ ref, reason });
      for (const [index, event] of mapped.events.entries()) {
        eventNumber += 1;
        // The line's bytes count once, with its first event, so progress can show a percentage.
        yield { bytes: index === 0 ? line.bytes : 0, parsed: parseEventObject(event, eventNumber, { path: `line ${line.number} ${event.type}`, source: STATUSPAGE_SOURCE }) };
      }
    }
  }
  const summary = await importItems(store, items(), options);
  return { ...summary, records, skipped };
}
