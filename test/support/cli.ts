import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Runs the real `ledger` command line in its own process (TypeScript compiled on load), with its
 * logs silenced unless `env` says otherwise (`LOG_LEVEL: undefined` leaves the CLI's own default).
 */
export function runLedger(args: string[], env: Record<string, string | undefined>, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const merged = Object.entries({ ...process.env, LOG_LEVEL: 'silent', ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', './scripts/register.js', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: Object.fromEntries(merged),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}
