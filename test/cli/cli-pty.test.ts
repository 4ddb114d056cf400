// The confirmation on a REAL pseudo-terminal (test/cli/pty-run.py): the CLI process with standard input and standard
// error on a terminal and standard output piped, as in `onelogin-bulk-delete … | tee log`; and without a terminal.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import type { CliRun } from './cli-harness.ts';
import {
  CLI_BIN,
  CLIENT_ID,
  CLIENT_SECRET,
  credentialEnv,
  csvOf,
  makeTempDir,
  REPO_ROOT,
  readReport,
  removeDir,
  runCli,
  startEmulator,
  writeCsv,
} from './cli-harness.ts';

const PTY_RUN = path.join(REPO_ROOT, 'test', 'cli', 'pty-run.py');

interface PtyRun extends CliRun {
  /** What the terminal showed (standard error and the typed answer's echo). */
  terminal: string;
}

function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('ONELOGIN_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** The CLI with stdin and stderr on a pseudo-terminal that types `answer` at the prompt, stdout on a pipe. */
async function runOnTerminal(dir: string, args: readonly string[], answer: string, env: Record<string, string>) {
  const transcript = path.join(dir, 'terminal.txt');
  const run = await new Promise<CliRun>((resolve, reject) => {
    const child = spawn('python3', [PTY_RUN, transcript, answer, process.execPath, CLI_BIN, ...args], {
      cwd: dir,
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const terminal = existsSync(transcript) ? await readFile(transcript, 'utf8') : '';
  return { ...run, terminal } satisfies PtyRun;
}

async function setup(context: TestContext): Promise<{ emulator: OneLoginEmulator; dir: string }> {
  const emulator = await startEmulator({ tenant: { seed: 7, count: 40, directoryShare: 0 } });
  const dir = await makeTempDir();
  context.onTestFinished(async () => {
    await emulator.close();
    await removeDir(dir);
  });
  await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 2)));
  return { emulator, dir };
}

describe.concurrent('the confirmation of a live run', () => {
  it('asks on the terminal although stdout is a pipe, and deletes after "yes"', async (context) => {
    const { emulator, dir } = await setup(context);
    const targets = emulator.users().slice(0, 2);

    const run = await runOnTerminal(dir, ['--file', 'users.csv', '--live', '--report-dir', 'out'], 'yes', {
      ...credentialEnv(),
      ONELOGIN_API_URL: emulator.url,
    });

    expect(run.code).toBe(0);
    expect(run.terminal).toContain(`Delete 2 users from ${new URL(emulator.url).host}? This cannot be undone.`);
    expect(run.terminal).toContain(`Account: ${new URL(emulator.url).host}`);
    for (const user of targets) expect(run.terminal).toContain(`<${user.email}>`);
    // The prompt is not in the piped output, the summary is.
    expect(run.stdout).not.toContain('Type yes');
    expect(run.stdout).toMatch(/deleted\s+2/);
    expect(
      emulator
        .stats()
        .deletions.map((deletion) => deletion.id)
        .sort(),
    ).toEqual(targets.map((user) => user.id).sort());
    expect((await readReport(path.join(dir, 'out'))).job.status).toBe('completed');
    expect(run.terminal + run.stdout).not.toContain(CLIENT_SECRET);
  });

  it('deletes nothing after "no", and keeps the report folder', async (context) => {
    const { emulator, dir } = await setup(context);

    const run = await runOnTerminal(dir, ['--file', 'users.csv', '--live'], 'no', {
      ...credentialEnv(),
      ONELOGIN_API_URL: emulator.url,
    });

    expect(run.code).toBe(2);
    expect(run.terminal).toContain('Type yes to go on');
    expect(run.stdout).toMatch(/Nothing was deleted/);
    expect(emulator.stats().calls.delete).toBe(0);
    expect(await readdir(path.join(dir, 'reports'))).toHaveLength(1);
  });

  it('refuses --live without --yes when stdin is not a terminal: exit 2, no DELETE, a message naming --yes', async (context) => {
    const { emulator, dir } = await setup(context);

    const run = await runCli(['--file', 'users.csv', '--live', '--report-dir', 'out'], {
      cwd: dir,
      env: { ...credentialEnv(), ONELOGIN_API_URL: emulator.url },
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--yes');
    expect(run.stderr).toMatch(/standard input is not a terminal/);
    expect(emulator.stats().calls.delete).toBe(0);
    expect(emulator.stats().calls.token).toBe(0);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('refuses the old form dry_run=false without yes=true when stdin is not a terminal; yes=true goes ahead', async (context) => {
    const { emulator, dir } = await setup(context);
    const oldForm = ['file=users.csv', 'dry_run=false', `client_id=${CLIENT_ID}`, '--api-url', emulator.url];
    const env = { ONELOGIN_CLIENT_SECRET: CLIENT_SECRET };

    const refused = await runCli(oldForm, { cwd: dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('yes=true');
    expect(emulator.stats().calls.delete).toBe(0);

    const agreed = await runCli([...oldForm, 'yes=true', '--report-dir', 'out'], { cwd: dir, env });
    expect(agreed.code).toBe(0);
    expect(emulator.stats().deletions).toHaveLength(2);
  });
});
