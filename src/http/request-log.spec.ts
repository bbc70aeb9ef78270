import Fastify from 'fastify';
import { LedgerLog, installRequestLog } from './request-log';

function capture(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const log = new LedgerLog(level, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}

describe('the service log', () => {
  it("writes Nest's messages with their context, and an error's stack", () => {
    const { log, lines } = capture();
    log.log('Mapped {/health, GET} route', 'RouterExplorer');
    log.error('projection stopped', 'Error: boom\n    at x', 'SettlementProjector');
    log.warn({ event: 7 }, 'Webhooks');
    log.debug('not at info', 'Quiet');
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, service: 'alliance-ledger', context: 'RouterExplorer', msg: 'Mapped {/health, GET} route' }),
      expect.objectContaining({ level: 50, context: 'SettlementProjector', msg: 'projection stopped', stack: 'Error: boom\n    at x' }),
      expect.objectContaining({ level: 40, context: 'Webhooks', event: 7 }),
    ]);
  });

  it('writes one line per answered request, credentials redacted, errors at error level, /health left out', async () => {
    const { log, lines } = capture();
    const fastify = Fastify({ genReqId: () => 'req-1' });
    installRequestLog(fastify, log.pino);
    fastify.get('/health', async () => ({ status: 'ok' }));
    fastify.get('/auth/login-link', async () => 'page');
    fastify.get('/broken', async (_request, reply) => reply.code(500).send({ error: 'internal' }));
    await fastify.inject({ url: '/health' });
    await fastify.inject({ url: '/auth/login-link?token=secret.jwt.value&next=/ui' });
    await fastify.inject({ url: '/broken' });
    await fastify.close();
    expect(lines).toEqual([
      expect.objectContaining({ level: 30, msg: 'request completed', req: { id: 'req-1', method: 'GET', url: '/auth/login-link?token=[redacted]&next=/ui' }, res: { statusCode: 200 } }),
      expect.objectContaining({ level: 50, msg: 'request errored', req: { id: 'req-1', method: 'GET', url: '/broken' }, res: { statusCode: 500 } }),
    ]);
    expect(typeof lines[0].responseTime).toBe('number');
  });
});
