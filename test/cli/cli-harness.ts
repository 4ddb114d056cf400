// Shared pieces of the CLI tests: an emulator on loopback, CSV files in temp folders, the CLI as a real process.

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'vitest';
import type { EmulatorOptions, EmulatorUser, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_BIN = path.join(REPO_ROOT, 'bin', 'onelogin-bulk-delete.mjs');
export const CLIENT_ID = 'cli-test-client-id';
/** Distinctive, so that a leak anywhere in the output or the reports is found by a plain substring scan. */
export const CLIENT_SECRET = 'S3cr3t-cli-test-7f3a9c1e5b';

export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<OneLoginEmulator> {
  return createOneLoginEmulator({
    // No directory users: the tests that want them mark one (emulator.updateUser).
    tenant: { seed: 7, count: 40, directoryShare: 0 },
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    rateLimit: null,
    host: '127.0.0.1',
    port: 0,
    ...options,
  });
}

export async function makeTempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'cli-test-'));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** An emulator and a temp folder for one test, both removed when the test finishes. */
export async function emulatorAndFolder(
  context: TestContext,
  options: Partial<EmulatorOptions> = {},
): Promise<{ emulator: OneLoginEmulator; dir: string }> {
  const emulator = await startEmulator(options);
  const dir = await makeTempDir();
  context.onTestFinished(async () => {
    await emulator.close();
    await removeDir(dir);
  });
  return { emulator, dir };
}

export function csvOf(users: readonly EmulatorUser[], extraLines: readonly string[] = []): string {
  const lines = users.map((user) => `${user.id},${user.username ?? ''},${user.email ?? ''}`);
  return `${['id,username,email', ...lines, ...extraLines].join('\n')}\n`;
}

export async function writeCsv(dir: string, name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called once the process is running (e.g. to send it a signal later). */
  onStart?: (child: ChildProcess) => void;
}

/** Runs `node bin/onelogin-bulk-delete.mjs …` with a clean environment (no ONELOGIN_* from the outside). */
export function runCli(args: readonly string[], options: SpawnOptions = {}): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('ONELOGIN_')) env[key] = value;
  }
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    options.onStart?.(child);
  });
}

/** Credentials from the environment, as the docs recommend. */
export function credentialEnv(secret = CLIENT_SECRET): Record<string, string> {
  return { ONELOGIN_CLIENT_ID: CLIENT_ID, ONELOGIN_CLIENT_SECRET: secret };
}

export type ReportJson = ReportDocument;

export async function readReport(dir: string): Promise<ReportJson> {
  return JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as ReportJson;
}

/** Every file under dir, as text (for secret scans). */
export async function readAllFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts: string[] = [];
  for (const entry of entries) {
    if (entry.isFile()) texts.push(await readFile(path.join(entry.parentPath, entry.name), 'utf8'));
  }
  return texts;
}

export function outcomesOf(report: ReportJson): string[] {
  return report.rows.map((row) => row.outcome);
}
