/** The client hung up before its request was read or answered: nothing to answer, nothing to alarm anyone about. */
export class ClientClosedRequestError extends Error {
  constructor(reason = 'the client closed the connection before its request was read') {
    super(reason);
    this.name = 'ClientClosedRequestError';
  }
}

export function isClientHangUp(error: unknown): boolean {
  if (error instanceof ClientClosedRequestError) return true;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ECONNABORTED' || code === 'EPIPE' || (error instanceof Error && error.message === 'aborted');
}
