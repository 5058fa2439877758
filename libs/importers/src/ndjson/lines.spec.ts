import { readLines, type TextLine } from './lines';

async function linesOf(chunks: (string | Buffer)[], maxLineBytes?: number): Promise<TextLine[]> {
  const out: TextLine[] = [];
  async function* input() {
    yield* chunks;
  }
  for await (const line of readLines(input(), { maxLineBytes })) out.push(line);
  return out;
}

const texts = (lines: TextLine[]) => lines.map((line) => line.text);

describe('readLines', () => {
  it('splits on \\n and \\r\\n, keeps blank lines numbered, and ends with a last line that has no newline', async () => {
    const lines = await linesOf(['a\r\nb\n', '\nc']);
    expect(lines.map((l) => [l.number, l.text, l.bytes])).toEqual([
      [1, 'a', 3],
      [2, 'b', 2],
      [3, '', 1],
      [4, 'c', 1],
    ]);
  });

  it('joins a line split across chunks, even inside a multi-byte character', async () => {
    const bytes = Buffer.from('{"name":"São Paulo ✓"}\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(texts(await linesOf([bytes.subarray(0, 3), bytes.subarray(3, cut), bytes.subarray(cut)]))).toEqual(['{"name":"São Paulo ✓"}']);
  });

  it('drops a byte order mark at the start of the input', async () => {
    expect(texts(await linesOf(['\uFEFF{"a":1}\n{"b":2}\n']))).toEqual(['{"a":1}', '{"b":2}']);
  });

  it('reports a line longer than the limit without keeping it, and goes on with the next', async () => {
    const lines = await linesOf(['short\n', 'x'.repeat(10), 'y'.repeat(10), '\nafter\n'], 16);
    expect(lines.map((l) => [l.number, l.tooLong, l.text, l.bytes])).toEqual([
      [1, false, 'short', 6],
      [2, true, '', 21],
      [3, false, 'after', 6],
    ]);
  });

  it('flags a line that is not UTF-8', async () => {
    const lines = await linesOf([Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]), 'ok\n']);
    expect(lines.map((l) => [l.notUtf8, l.text])).toEqual([
      [true, ''],
      [false, 'ok'],
    ]);
  });

  it('yields nothing for empty input', async () => {
    expect(await linesOf([])).toEqual([]);
    expect(await linesOf([''])).toEqual([]);
  });
});
