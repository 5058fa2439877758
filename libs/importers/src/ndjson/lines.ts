export interface TextLine {
  /** 1-based. */
  number: number;
  /** The line without its terminator (`\n` or `\r\n`); empty when tooLong or not UTF-8. */
  text: string;
  /** Bytes the line took in the input, terminator included: for progress. */
  bytes: number;
  /** Longer than maxLineBytes: its bytes were skipped, not kept. */
  tooLong: boolean;
  /** Not valid UTF-8. */
  notUtf8: boolean;
}

export interface ReadLinesOptions {
  /** A longer line is reported, never buffered: memory stays bounded whatever the input. Default 1 MiB. */
  maxLineBytes?: number;
}

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines without ever holding more than one line (readline would buffer
 * a line of any length). Splitting on bytes keeps multi-byte characters whole across chunks.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>, options: ReadLinesOptions = {}): AsyncGenerator<TextLine> {
  const maxLineBytes = options.maxLineBytes ?? 1024 * 1024;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let kept = 0;
  let bytes = 0;
  let tooLong = false;
  let number = 0;

  const take = (piece: Buffer) => {
    bytes += piece.length;
    if (tooLong) return;
    if (kept + piece.length > maxLineBytes) {
      tooLong = true;
      parts = [];
      kept = 0;
      return;
    }
    // A copy, so the line does not pin the whole chunk it came from.
    if (piece.length > 0) parts.push(Buffer.from(piece));
    kept += piece.length;
  };

  const finish = (terminator: number): TextLine => {
    number += 1;
    let text = '';
    let notUtf8 = false;
    if (!tooLong) {
      const raw = parts.length === 1 ? parts[0] : Buffer.concat(parts, kept);
      try {
        text = decoder.decode(raw);
      } catch {
        notUtf8 = true;
      }
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (number === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const line = { number, text, bytes: bytes + terminator, tooLong, notUtf8 };
    parts = [];
    kept = 0;
    bytes = 0;
    tooLong = false;
    return line;
  };

  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let end = buffer.indexOf(NEWLINE, start); end !== -1; end = buffer.indexOf(NEWLINE, start)) {
      take(buffer.subarray(start, end));
      yield finish(1);
      start = end + 1;
    }
    take(buffer.subarray(start));
  }
  if (bytes > 0 || tooLong) yield finish(0);
}
