import { Agent, createServer, request as httpRequest, Server } from 'node:http';

export interface LoadResult {
  rate: number;
  p50: number;
  p99: number;
  statuses: Record<number, number>;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request over a keep-alive agent; the whole body read. */
export function get(url: string, headers: Record<string, string>, agent?: Agent): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `clients` keep-alive clients, each sending `perClient` requests one after another: requests a
 * second and latency percentiles. The client runs in this process, so it costs the service and its
 * baseline alike.
 */
export async function load(url: string, headers: Record<string, string>, clients: number, perClient: number, expect = [200]): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  for (let warm = 0; warm < Math.min(100, perClient); warm += 1) await get(url, headers, agent);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i += 1) {
        const sent = process.hrtime.bigint();
        const answer = await get(url, headers, agent);
        statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
        if (!expect.includes(answer.status)) throw new Error(`${url} answered ${answer.status}: ${answer.body.slice(0, 200)}`);
        latencies.push(Number(process.hrtime.bigint() - sent) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rate: (clients * perClient) / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A bare Node server answering every request with `body`: what serving those bytes costs with nothing else. */
export async function bareServer(body: string, contentType = 'application/json; charset=utf-8'): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => response.writeHead(200, { 'content-type': contentType }).end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** With BENCH_PROFILE=<dir>, records a CPU profile of `work` as <dir>/<name>.cpuprofile (for development). */
export async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  const directory = process.env.BENCH_PROFILE;
  if (!directory) return work();
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(`${directory}/${name}.cpuprofile`, JSON.stringify(profile));
    session.disconnect();
  }
}

/** A request on a connection of its own (no keep-alive race with the server's idle timeout). */
export function send(url: string, method: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
