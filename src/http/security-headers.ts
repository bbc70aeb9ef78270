import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import { AppConfig } from '../config/app-config';

/**
 * helmet's headers for every answer (CSP, HSTS, frame and sniffing protection, …). With our
 * policy none of them depends on the request, so helmet runs once at start-up and each answer
 * gets the same headers without going through its middleware chain.
 */
export function securityHeaders(config: AppConfig): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = { setHeader: (name: string, value: string) => (headers[name] = value), removeHeader: () => undefined };
  let done = false;
  helmet({ contentSecurityPolicy: { directives: contentSecurityPolicy(config) } })({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    done = true;
  });
  if (!done) throw new Error('helmet did not set its headers at once; it must run per request');
  return headers;
}

/** Pages and API: our own scripts and styles only, never framed, forms posted back to us (or to the provider on sign-out). */
function contentSecurityPolicy(config: AppConfig) {
  const provider = config.auth.issuer ? [new URL(config.auth.issuer).origin] : [];
  return {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'", ...provider],
  };
}
