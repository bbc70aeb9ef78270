import { DomainError, unsupportedMediaType } from '../shared/domain-error';

export interface MediaType {
  type: string;
  charset: string | undefined;
}

/** `application/json; charset=utf-8` → `{ type: 'application/json', charset: 'utf-8' }`; undefined when absent. */
export function parseMediaType(header: string | undefined): MediaType | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const [type, ...parameters] = header.split(';');
  let charset: string | undefined;
  for (const parameter of parameters) {
    const [name, value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() === 'charset') charset = value.trim().replace(/^"(.*)"$/, '$1').toLowerCase();
  }
  return { type: type.trim().toLowerCase(), charset };
}

/** Bodies are UTF-8; anything else is named and refused, not guessed at. */
export function requireUtf8(media: MediaType): void {
  if (media.charset !== undefined && media.charset !== 'utf-8' && media.charset !== 'utf8') {
    throw unsupportedMediaType('unsupported_charset', 'Content-Type', `charset ${JSON.stringify(media.charset)} is not read here; send UTF-8 (charset=utf-8, or no charset)`);
  }
}

export const JSON_TYPES = ['application/json'];
export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

export function wrongMediaType(given: MediaType | undefined, wanted: string, what: string): DomainError {
  const reason = given
    ? `${given.type} is not accepted here; send ${what} with Content-Type: ${wanted}`
    : `is missing; send ${what} with Content-Type: ${wanted}`;
  return unsupportedMediaType('unsupported_media_type', 'Content-Type', reason);
}
