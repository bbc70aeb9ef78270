import { DomainError, invalid, tooLarge } from '../shared/domain-error';

export interface NdjsonLimits {
  /** A line's bytes, without its line break (and a UTF-8 BOM on the first line). */
  maxLineBytes: number;
  /** The whole input's bytes. */
  maxBytes: number;
  /** Named in refusals, so an operator knows what to raise. */
  lineVariable?: string;
  totalVariable?: string;
}

/** A line that cannot be read: its number and why. Every line before it was read whole. */
export class NdjsonLineError extends Error {
  constructor(
    readonly line: number,
    readonly refusal: DomainError,
  ) {
    super(`line ${line}: ${refusal.message}`);
    this.name = 'NdjsonLineError';
  }
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * Splits a byte stream into lines and decodes each as UTF-8, strictly. It never holds more than
 * one line (at most `maxLineBytes` and its line break), so a 600 MB line costs no more memory than
 * a short one: reading stops, with an NdjsonLineError, as soon as a line passes the limit. A
 * line ends at LF, a CR before it is dropped (files saved on Windows), and a BOM at the start
 * of the input is skipped. Line numbers count every line, blank ones too, from 1.
 */
export async function* ndjsonLines(source: AsyncIterable<Uint8Array | string>, limits: NdjsonLimits): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let parts: Uint8Array[] = [];
  let held = 0;
  let line = 1;
  let total = 0;
  // A BOM on line 1 and the CR of a CRLF are not the line's content, so a line may hold that much more until it ends.
  const slack = () => (line === 1 ? BOM.length : 0) + 1;

  const finish = (): string => {
    let bytes = parts.length === 1 ? parts[0] : concat(parts, held);
    parts = [];
    held = 0;
    if (line === 1 && startsWithBom(bytes)) bytes = bytes.subarray(BOM.length);
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, bytes.length - 1);
    if (bytes.length > limits.maxLineBytes) throw lineTooLong(line, limits);
    try {
      return decoder.decode(bytes);
    } catch {
      throw new NdjsonLineError(line, invalid('line', 'is not valid UTF-8; save the file as UTF-8', 'invalid_utf8'));
    }
  };

  for await (const piece of source) {
    let chunk = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
    const allowed = Math.max(0, limits.maxBytes - total);
    const overTotal = chunk.length > allowed;
    if (overTotal) chunk = chunk.subarray(0, allowed);
    total += chunk.length;
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(LF, start);
      const stop = end === -1 ? chunk.length : end;
      if (held + (stop - start) > limits.maxLineBytes + slack()) throw lineTooLong(line, limits);
      if (stop > start) {
        parts.push(chunk.subarray(start, stop));
        held += stop - start;
      }
      if (end === -1) break;
      yield finish();
      line += 1;
      start = end + 1;
    }
    // Parts are views of the chunk; copy what is held so the source may reuse its buffer.
    if (parts.length > 0 && parts[parts.length - 1].buffer === chunk.buffer) parts[parts.length - 1] = parts[parts.length - 1].slice();
    if (overTotal) {
      const variable = limits.totalVariable ? ` (${limits.totalVariable})` : '';
      throw new NdjsonLineError(line, tooLarge('import_too_large', 'body', `the import is larger than ${limits.maxBytes} bytes${variable}; split the file and import the parts in order`));
    }
  }
  if (held > 0) yield finish();
}

function lineTooLong(line: number, limits: NdjsonLimits): NdjsonLineError {
  const variable = limits.lineVariable ? ` (${limits.lineVariable})` : '';
  return new NdjsonLineError(line, tooLarge('line_too_long', 'line', `is longer than ${limits.maxLineBytes} bytes${variable}; each line must be one command`));
}

function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === BOM[0] && bytes[1] === BOM[1] && bytes[2] === BOM[2];
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
