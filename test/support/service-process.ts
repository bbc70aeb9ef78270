import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServiceProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** The service in its own process, as `npm start` / `npm run demo` run it (TypeScript compiled on load). */
export function startServiceProcess(env: Record<string, string>, args: string[] = []): ServiceProcess {
  const child = spawn(process.execPath, ['-r', './scripts/register.js', 'src/main.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/**
 * Starts the service on a port that was free a moment ago. Another process can take that port
 * before the child listens on it (the service has no "any port" setting), so a start that fails
 * with EADDRINUSE is tried again on another port. Resolves once `ready` holds for its stdout.
 */
export async function startServiceOnFreePort(
  env: Record<string, string>,
  args: string[],
  ready: (stdout: string) => boolean,
  timeoutMs: number,
): Promise<{ service: ServiceProcess; port: number }> {
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const service = startServiceProcess({ ...env, PORT: String(port) }, args);
    let exited = false;
    void service.exited.then(() => (exited = true));
    await waitFor(() => exited || ready(service.stdout()), timeoutMs, 'the service to start');
    if (!exited) return { service, port };
    if (attempt < 3 && /EADDRINUSE/.test(service.stderr() + service.stdout())) continue;
    throw new Error(`The service exited before it was ready:\n${service.stderr()}`);
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
