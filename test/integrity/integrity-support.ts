import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MULTI_PERIOD } from '../support/multi-period';
import { importNdjson, TestApp } from '../support/test-app';

const ROOT = join(__dirname, '..', '..');
export const ALLIANCE = 'tq';

/** Three quarters, Q1 and Q2 closed (so certified and signed), Q3 open. */
export async function seedThreeQuarters(service: TestApp, allianceId = ALLIANCE): Promise<void> {
  await importNdjson(service.http, allianceId, MULTI_PERIOD.alliance + MULTI_PERIOD.q1 + MULTI_PERIOD.closeQ1 + MULTI_PERIOD.q2 + MULTI_PERIOD.q3).expect(200);
}

/** Runs the standalone verifier the way a partner would: plain node, no project, no service. */
export function runVerifier(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'tools', 'verify-ledger.mjs'), ...args], { cwd: tmpdir(), env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `ledger-${label}-`));
}

export function writeJson(directory: string, name: string, value: unknown): string {
  const path = join(directory, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

/** A copy of a stopped service's event store and keys, to tamper with. */
export function copyDataDir(from: string): string {
  const to = tempDir('copy');
  copyFileSync(join(from, 'events.db'), join(to, 'events.db'));
  cpSync(join(from, 'signing'), join(to, 'signing'), { recursive: true });
  return to;
}
