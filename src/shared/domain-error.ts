/**
 * Expected refusals. Each carries a stable `code` and a `kind`; one exception filter maps kinds
 * to HTTP statuses, the CLI and the importer print them as they are. Nothing below a controller
 * throws an HTTP exception.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'stale'
  | 'too-large'
  | 'unsupported-media-type'
  | 'throttled'
  | 'unavailable';

export interface FieldError {
  field: string;
  reason: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  toJSON() {
    return { code: this.code, message: this.message, errors: this.errors };
  }
}

export function invalid(field: string, reason: string, code = 'invalid_command'): DomainError {
  return new DomainError(code, 'invalid', `${field}: ${reason}`, [{ field, reason }]);
}

export function invalidFields(errors: FieldError[], code = 'invalid_command'): DomainError {
  const message = errors.map((error) => `${error.field}: ${error.reason}`).join('; ');
  return new DomainError(code, 'invalid', message, errors);
}

/** A body, import or line over its configured limit (413). */
export function tooLarge(code: string, field: string, reason: string): DomainError {
  return new DomainError(code, 'too-large', `${field}: ${reason}`, [{ field, reason }]);
}

/** A Content-Type, charset or Content-Encoding the service does not read (415). */
export function unsupportedMediaType(code: string, field: string, reason: string): DomainError {
  return new DomainError(code, 'unsupported-media-type', `${field}: ${reason}`, [{ field, reason }]);
}

export function notFound(code: string, field: string, reason: string): DomainError {
  return new DomainError(code, 'not-found', `${field}: ${reason}`, [{ field, reason }]);
}

export function conflict(code: string, field: string, reason: string): DomainError {
  return new DomainError(code, 'conflict', `${field}: ${reason}`, [{ field, reason }]);
}

/** 403: no role of the caller allows this, or the rule is about who acts (four eyes: this actor may not, whatever their role). */
export function forbidden(code: string, field: string, reason: string): DomainError {
  return new DomainError(code, 'forbidden', `${field}: ${reason}`, [{ field, reason }]);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

