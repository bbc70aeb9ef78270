import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiResponse } from '@nestjs/swagger';

const COMMAND_HEADERS = [
  ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Command id: a retry with the same key has no second effect' }),
  ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'Groups the events of one business operation' }),
  ApiHeader({ name: 'If-Match', required: false, description: 'The stream revision (ETag) you last saw; refused with 412 if it moved on' }),
];

/** OpenAPI for a command route: its body, example, headers and the answers it can give. */
export function CommandRoute(body: { type: unknown; example?: unknown; description?: string }) {
  return applyDecorators(
    ApiBody({ type: body.type as never, description: body.description, ...(body.example ? { examples: { example: { value: body.example } } } : {}) }),
    ...COMMAND_HEADERS,
    ApiResponse({ status: 201, description: 'Recorded: the events written and the stream revision (also the ETag)' }),
    ApiResponse({ status: 200, description: 'Already so (same content), or a retry of an applied command id: nothing written' }),
    ApiResponse({ status: 400, description: 'Invalid: `errors` names each field and the reason' }),
    ApiResponse({ status: 404, description: 'Unknown alliance, scheme, period, partner, KPI, cost line or compensation event' }),
    ApiResponse({ status: 409, description: 'Conflicts with the ledger’s state (closed period, reused id, …)' }),
    ApiResponse({ status: 412, description: 'If-Match named a revision the stream has moved on from' }),
    ApiResponse({ status: 503, description: 'The event store is unavailable' }),
  );
}
