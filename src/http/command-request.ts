import { Principal } from '../access/identity/principal';
import { AuthenticatedRequest } from '../access/route-access';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandResult } from '../commanding/command-executor';
import { CommandMetadata } from '../commanding/command-metadata';
import { invalid } from '../shared/domain-error';
import { textProblem } from '../shared/text';
import { requestPath } from './request-path';

/** The caller the access guard authenticated. */
export function callerOf(request: FastifyRequest): Principal {
  const principal = (request as AuthenticatedRequest).principal;
  if (!principal) throw new Error(`${request.method} ${requestPath(request)} ran without an authenticated caller`);
  return principal;
}

/** What the command is and who asks: Idempotency-Key, X-Correlation-Id, If-Match, and the signed-in subject as the actor. */
export function commandMetadata(request: FastifyRequest): CommandMetadata {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const commandId = header('idempotency-key');
  if (commandId !== undefined && (commandId.length === 0 || commandId.length > 200)) throw invalid('Idempotency-Key', 'must be 1–200 characters');
  // Header bytes above 0x7F arrive as Latin-1, so C1 controls can reach what is kept with every event.
  for (const name of ['idempotency-key', 'x-correlation-id']) {
    const problem = textProblem(header(name) ?? '');
    if (problem) throw invalid(name.replace(/(^|-)\w/g, (start) => start.toUpperCase()), problem);
  }
  const ifMatch = header('if-match');
  let expectedRevision: bigint | undefined;
  if (ifMatch !== undefined) {
    const match = /^(?:W\/)?"?(-1|\d+)"?$/.exec(ifMatch.trim());
    if (!match) throw invalid('If-Match', 'must be a stream revision from an ETag, e.g. "12"');
    expectedRevision = BigInt(match[1]);
  }
  return {
    commandId,
    expectedRevision,
    correlationId: header('x-correlation-id') ?? requestId(request),
    causationId: requestId(request),
    actor: callerOf(request).subject,
  };
}

/** A command's data: the JSON body with the ids from the path, which the body may repeat but not contradict. */
export function commandData(body: unknown, path: Record<string, string>): Record<string, unknown> {
  const data = body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0) ? {} : body;
  if (typeof data !== 'object' || Array.isArray(data)) throw invalid('body', 'must be a JSON object');
  for (const [field, value] of Object.entries(path)) {
    const given = (data as Record<string, unknown>)[field];
    if (given !== undefined && given !== value) throw invalid(field, `is ${JSON.stringify(given)} in the body but ${JSON.stringify(value)} in the path`);
  }
  return { ...data, ...path };
}

/** 201 when events were recorded, 200 when the ledger already said so; the ETag is the stream's revision. */
export function sendCommandResult(response: FastifyReply, result: CommandResult): CommandResult {
  response.code(result.outcome === 'recorded' ? 201 : 200);
  if (result.revision !== null) response.header('ETag', `"${result.revision}"`);
  return result;
}

/** The id the request was given (from X-Request-Id, or generated), as its log line carries it. */
export function requestId(request: FastifyRequest): string {
  return request.id;
}
