import { NdjsonLineError, ndjsonLines } from './ndjson-lines';

const limits = { maxLineBytes: 10, maxBytes: 1000 };

async function* chunks(...parts: Array<string | number[]>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === 'string' ? Buffer.from(part, 'utf8') : Uint8Array.from(part);
}

async function read(source: AsyncIterable<Uint8Array>, given = limits): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of ndjsonLines(source, given)) lines.push(line);
  return lines;
}

async function failure(source: AsyncIterable<Uint8Array>, given = limits): Promise<{ line: number; code: string; read: string[] }> {
  const lines: string[] = [];
  try {
    for await (const line of ndjsonLines(source, given)) lines.push(line);
  } catch (error) {
    if (!(error instanceof NdjsonLineError)) throw error;
    return { line: error.line, code: error.refusal.code, read: lines };
  }
  throw new Error(`read every line: ${JSON.stringify(lines)}`);
}

describe('NDJSON lines', () => {
  it('reads Unix and Windows line breaks alike, with or without a final one', async () => {
    expect(await read(chunks('a\nb\n'))).toEqual(['a', 'b']);
    expect(await read(chunks('a\r\nb\r\n'))).toEqual(['a', 'b']);
    expect(await read(chunks('a\r\nb'))).toEqual(['a', 'b']);
    expect(await read(chunks('a\n\n\nb\n'))).toEqual(['a', '', '', 'b']);
  });

  it('skips a UTF-8 BOM at the start, even split across chunks, but nowhere else', async () => {
    expect(await read(chunks([0xef, 0xbb], [0xbf], 'a\n'))).toEqual(['a']);
    expect(await read(chunks('a\n\ufeffb\n'))).toEqual(['a', '\ufeffb']);
  });

  it('joins a line split across chunks, and a multi-byte character split between them', async () => {
    expect(await read(chunks('{"a"', ':1}\n{', '"b":2}\n'))).toEqual(['{"a":1}', '{"b":2}']);
    const euro = Buffer.from('€', 'utf8');
    expect(await read(chunks([0x78, euro[0]], [euro[1]], [euro[2], 0x0a]))).toEqual(['x€']);
    expect(await read(chunks('x\r', '\ny\n'))).toEqual(['x', 'y']);
  });

  it('takes a line of exactly the limit and refuses one byte more, naming the line', async () => {
    expect(await read(chunks('0123456789\n', '0123456789\r\n'))).toEqual(['0123456789', '0123456789']);
    expect(await read(chunks('\ufeff0123456789\n'))).toEqual(['0123456789']);
    expect(await failure(chunks('ok\n', '0123456789X\n'))).toEqual({ line: 2, code: 'line_too_long', read: ['ok'] });
    expect(await failure(chunks('ok\n', '0123456789X'))).toEqual({ line: 2, code: 'line_too_long', read: ['ok'] });
    expect(await failure(chunks('ok\n', '0123456789\rX\n'))).toMatchObject({ line: 2, code: 'line_too_long' });
  });

  it('stops at a long line without reading the rest of the input', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled += 1;
        yield Buffer.alloc(4, 0x61);
      }
    }
    expect(await failure(endless())).toMatchObject({ line: 1, code: 'line_too_long' });
    expect(pulled).toBeLessThanOrEqual(4);
  });

  it('refuses invalid UTF-8 rather than replacing it, naming the line', async () => {
    expect(await failure(chunks('ok\n', [0x61, 0xff, 0x62, 0x0a]))).toEqual({ line: 2, code: 'invalid_utf8', read: ['ok'] });
    expect(await failure(chunks([0xed, 0xa0, 0x80, 0x0a]))).toMatchObject({ line: 1, code: 'invalid_utf8' });
    expect(await failure(chunks([0xe2, 0x82]))).toMatchObject({ line: 1, code: 'invalid_utf8' });
  });

  it('stops where the input passes its total limit, having read the lines within it', async () => {
    expect(await read(chunks('abcd\n', 'efgh\n'), { maxLineBytes: 10, maxBytes: 10 })).toEqual(['abcd', 'efgh']);
    expect(await failure(chunks('abcd\n', 'efgh\n', 'i\n'), { maxLineBytes: 10, maxBytes: 11 })).toEqual({ line: 3, code: 'import_too_large', read: ['abcd', 'efgh'] });
  });
});
