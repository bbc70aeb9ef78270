import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { invalid, tooLarge, unsupportedMediaType } from '../shared/domain-error';
import { parseStrictJson } from '../shared/strict-json';
import { textProblem } from '../shared/text';
import { ClientClosedRequestError, isClientHangUp } from './client-closed';

/** Whether the request carries a body at all (a length above zero, or chunks). */
export function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The request body as bytes, inflated when sent with Content-Encoding gzip or deflate. Callers
 * bound what they read of it (in inflated bytes, so a gzip bomb stops at the same limit as a
 * plain body). A client that hangs up surfaces as ClientClosedRequestError; corrupt compressed
 * data as a 400.
 */
export function bodyBytes(request: IncomingMessage): AsyncIterable<Buffer> {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let stream: Readable = request;
  if (encoding === 'gzip' || encoding === 'x-gzip') stream = request.pipe(createGunzip());
  else if (encoding === 'deflate') stream = request.pipe(createInflate());
  else if (encoding !== 'identity' && encoding !== '') {
    throw unsupportedMediaType('unsupported_encoding', 'Content-Encoding', `${JSON.stringify(encoding)} is not read here; send the body uncompressed, or with gzip or deflate`);
  }
  return readChunks(request, stream);
}

async function* readChunks(request: IncomingMessage, stream: Readable): AsyncGenerator<Buffer> {
  // Not destroyOnReturn: a reader that stops early (a limit) must still be able to answer on this socket.
  const chunks = stream.iterator({ destroyOnReturn: false }) as AsyncIterableIterator<Buffer>;
  try {
    for await (const chunk of chunks) yield chunk;
  } catch (error) {
    if (String((error as NodeJS.ErrnoException).code).startsWith('Z_')) {
      throw invalid('body', `cannot be inflated (${(error as Error).message}); check its Content-Encoding`, 'invalid_encoding');
    }
    if (isClientHangUp(error) || request.readableAborted || request.socket?.destroyed) throw new ClientClosedRequestError();
    throw error;
  } finally {
    if (stream !== request) {
      request.unpipe(stream as unknown as NodeJS.WritableStream);
      stream.destroy();
    }
  }
}

/** The whole body (after inflating), refused with 413 as soon as it passes `maxBytes`. */
async function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw bodyTooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of bodyBytes(request)) {
    total += chunk.length;
    if (total > maxBytes) throw bodyTooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Reads a JSON body of at most `maxBytes` (after inflating), strictly: UTF-8 only, and see parseStrictJson. */
export async function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const bytes = await readBoundedBody(request, maxBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid('body', 'is not valid UTF-8', 'invalid_utf8');
  }
  return parseStrictJson(text, { root: 'body' });
}

/**
 * The pages' forms (`application/x-www-form-urlencoded`), read with the same bounds and text rules
 * as JSON: each field once, no prototype keys, UTF-8.
 */
export async function readFormBody(request: IncomingMessage, maxBytes: number): Promise<Record<string, string>> {
  const bytes = await readBoundedBody(request, maxBytes);
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(bytes.toString('latin1'))) {
    const text = decodeUtf8(Buffer.from(value, 'latin1'), name);
    if (['__proto__', 'constructor', 'prototype'].includes(name)) throw invalid(name, 'is a reserved name and cannot be a field', 'invalid_form');
    if (Object.prototype.hasOwnProperty.call(fields, name)) throw invalid(name, 'appears more than once; send each field once', 'invalid_form');
    const problem = textProblem(text);
    if (problem) throw invalid(name, problem, 'invalid_text');
    fields[name] = text;
  }
  return fields;
}

function decodeUtf8(bytes: Buffer, field: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(field, 'is not valid UTF-8', 'invalid_utf8');
  }
}

function bodyTooLarge(maxBytes: number) {
  return tooLarge('body_too_large', 'body', `is larger than ${maxBytes} bytes (LEDGER_MAX_BODY_BYTES); a command is small, so check what is being sent`);
}

/**
 * After refusing a request whose body was not read to the end: close the connection once the
 * answer is out, and meanwhile discard what still arrives, so the client reads the answer rather
 * than a reset.
 */
export function closeAfterAnswer(request: IncomingMessage, response: ServerResponse): void {
  if (request.complete || request.destroyed) return;
  if (!response.headersSent) response.setHeader('Connection', 'close');
  request.unpipe();
  request.resume();
}
