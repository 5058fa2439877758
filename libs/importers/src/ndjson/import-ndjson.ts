import type { EventStore } from '@app/event-store';
import { importItems, type ImportItem, type ImportOptions, type ImportSummary } from './importer';
import { readLines } from './lines';
import { parseEventLine, type ParsedLine } from './parse-line';

export interface NdjsonImportOptions extends ImportOptions {
  /** metadata.source of lines that give none. Default `import:ndjson`. */
  source?: string;
  /** Longer lines are rejected without being held in memory. Default 1 MiB. */
  maxLineBytes?: number;
}

const refused = (line: number, rule: string, message: string): ParsedLine => ({
  line,
  ok: false,
  problems: [{ line, field: '$', rule, message, kind: 'invalid' }],
});

async function* parsedLines(input: AsyncIterable<Buffer | string>, options: NdjsonImportOptions): AsyncGenerator<ImportItem> {
  const maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
  for await (const line of readLines(input, { maxLineBytes })) {
    if (line.tooLong) {
      yield { bytes: line.bytes, parsed: refused(line.number, 'maxLength', `the line is longer than ${maxLineBytes} bytes`) };
    } else if (line.notUtf8) {
      yield { bytes: line.bytes, parsed: refused(line.number, 'isUtf8', 'the line is not valid UTF-8') };
    } else if (line.text.trim() !== '') {
      yield { bytes: line.bytes, parsed: parseEventLine(line.text, line.number, { source: options.source ?? 'import:ndjson' }) };
    }
  }
}

/**
 * `catalyst import events FILE`: one event per line, checked like a command (EVENTS.md, Envelope),
 * appended in batches. Reads the input as a stream, so memory does not grow with the file.
 */
export function importNdjson(store: EventStore, input: AsyncIterable<Buffer | string>, options: NdjsonImportOptions = {}): Promise<ImportSummary> {
  return importItems(store, parsedLines(input, options), options);
}
