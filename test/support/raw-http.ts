import { request as httpRequest, IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body as JSON, or undefined when it is not JSON. */
  body: any;
}

/**
 * One request through node:http, for what supertest cannot send: a body streamed from a
 * generator, bytes that are not UTF-8, headers it would set. Resolves with the answer even when
 * the service answers before the body is sent, as it should for a body it refuses; the upload
 * is then abandoned.
 */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string | number>; body?: string | Buffer | AsyncIterable<Buffer> },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(options.path, url);
    let answered = false;
    const source = options.body === undefined ? undefined : typeof options.body === 'string' || Buffer.isBuffer(options.body) ? Readable.from([Buffer.from(options.body)]) : Readable.from(options.body);
    const request = httpRequest(target, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        source?.destroy();
        request.destroy();
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
        }
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text, body });
      });
    });
    request.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (source) {
      source.on('error', () => undefined);
      source.pipe(request);
    } else request.end();
  });
}

/** `total` bytes of `fill`, in chunks, made as they are sent: nothing held in memory. */
export async function* generatedBytes(total: number, fill = 'a', prefix = '', chunkSize = 64 * 1024): AsyncGenerator<Buffer> {
  const chunk = Buffer.alloc(chunkSize, fill);
  let sent = 0;
  if (prefix) {
    sent += Buffer.byteLength(prefix);
    yield Buffer.from(prefix);
  }
  while (sent < total) {
    const size = Math.min(chunkSize, total - sent);
    sent += size;
    yield size === chunkSize ? chunk : chunk.subarray(0, size);
  }
}
