// The terminal behaviour (progress bar, confirmation before a live run), driven in-process through main()'s io seam:
// a spawned process has no terminal, so these parts can only be reached with fake TTY streams.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../lambda/cli/main.ts';
import { main } from '../../lambda/cli/main.ts';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import {
  CLIENT_SECRET,
  credentialEnv,
  csvOf,
  makeTempDir,
  readReport,
  removeDir,
  startEmulator,
  writeCsv,
} from './cli-harness.ts';

interface FakeTerminal {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
  /** Simulates Ctrl-C. */
  interrupt: () => void;
}

function fakeTerminal(cwd: string, env: Record<string, string>, answer?: string): FakeTerminal {
  const capture = () => {
    const stream = new PassThrough() as PassThrough & { isTTY: boolean; columns: number };
    stream.isTTY = true;
    stream.columns = 160;
    let text = '';
    stream.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    return { stream, text: () => text };
  };
  const out = capture();
  const err = capture();
  const stdin = new PassThrough() as PassThrough & { isTTY: boolean };
  stdin.isTTY = true;
  if (answer !== undefined) stdin.write(answer);
  const handlers = new Set<() => void>();
  return {
    io: {
      stdout: out.stream,
      stderr: err.stream,
      stdin,
      env,
      cwd,
      stdinIsTerminal: true,
      stderrIsTerminal: true,
      onInterrupt(handler) {
        handlers.add(handler);
        return () => handlers.delete(handler);
      },
      forceExit(code) {
        throw new Error(`forceExit(${code}) called`);
      },
    },
    stdout: out.text,
    stderr: err.text,
    interrupt: () => {
      for (const handler of handlers) handler();
    },
  };
}

async function setup(
  context: TestContext,
): Promise<{ emulator: OneLoginEmulator; dir: string; env: Record<string, string> }> {
  const emulator = await startEmulator();
  const dir = await makeTempDir();
  context.onTestFinished(async () => {
    await emulator.close();
    await removeDir(dir);
  });
  await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 2)));
  return { emulator, dir, env: { ...credentialEnv(), ONELOGIN_API_URL: emulator.url } };
}

const host = (emulator: OneLoginEmulator) => new URL(emulator.url).host;

describe('onelogin-bulk-delete on a terminal', () => {
  it('asks before a live run and changes nothing when the answer is not yes', async (context) => {
    const { emulator, dir, env } = await setup(context);
    const terminal = fakeTerminal(dir, env, 'y\n');

    const code = await main(['--file', 'users.csv', '--live'], terminal.io);

    expect(code).toBe(2);
    expect(terminal.stderr()).toContain(
      `Delete 2 users from ${host(emulator)}? This cannot be undone. Type yes to go on: `,
    );
    expect(terminal.stdout()).toMatch(/Nothing was deleted/);
    expect(emulator.stats().calls.delete).toBe(0);
    expect(emulator.users()).toHaveLength(40);
    // The report folder made for this run is kept (with the plan, once the engine writes one), and no report in it
    // claims anything happened.
    const folders = await readdir(path.join(dir, 'reports'));
    expect(folders).toHaveLength(1);
    expect(terminal.stdout()).toContain(path.join(dir, 'reports', folders[0] as string));
    expect(existsSync(path.join(dir, 'reports', folders[0] as string, 'report.json'))).toBe(false);
    // The prompt shows the account and the users it would delete, by id and email.
    for (const user of emulator.users().slice(0, 2)) expect(terminal.stderr()).toContain(`<${user.email}>`);
    expect(terminal.stderr()).toContain(`Account: ${host(emulator)}`);
  });

  it('deletes after "yes" and draws a progress bar', async (context) => {
    const { emulator, dir, env } = await setup(context);
    const terminal = fakeTerminal(dir, env, ' YES \n');

    const code = await main(['--file', 'users.csv', '--live', '--report-dir', 'out'], terminal.io);

    expect(code).toBe(0);
    expect(emulator.stats().deletions).toHaveLength(2);
    expect((await readReport(path.join(dir, 'out'))).rows.map((row) => row.outcome)).toEqual(['deleted', 'deleted']);
    expect(terminal.stderr()).toMatch(/\[[█░=-]+\] \d+\/2 rows \|/);
    expect(terminal.stderr()).toMatch(/ETA/);
    expect(terminal.stdout()).toMatch(/deleted\s+2/);
  });

  it('does not ask with --yes', async (context) => {
    const { emulator, dir, env } = await setup(context);
    const terminal = fakeTerminal(dir, env);

    const code = await main(['--file', 'users.csv', '--live', '--yes', '--report-dir', 'out'], terminal.io);

    expect(code).toBe(0);
    expect(terminal.stderr()).not.toMatch(/Type yes/);
    expect(emulator.stats().deletions).toHaveLength(2);
  });

  it('does not ask in a dry run', async (context) => {
    const { emulator, dir, env } = await setup(context);
    const terminal = fakeTerminal(dir, env);

    const code = await main(['--file', 'users.csv', '--report-dir', 'out'], terminal.io);

    expect(code).toBe(0);
    expect(terminal.stderr()).not.toMatch(/Type yes/);
    expect(emulator.stats().calls.delete).toBe(0);
    expect(existsSync(path.join(dir, 'out', 'report.json'))).toBe(true);
  });

  it('treats Ctrl-C at the prompt as no', async (context) => {
    const { emulator, dir, env } = await setup(context);
    const terminal = fakeTerminal(dir, env);
    const prompted = new Promise<void>((resolve) => {
      const stream = terminal.io.stderr as PassThrough;
      stream.on('data', (chunk: string) => {
        if (String(chunk).includes('Type yes')) resolve();
      });
    });

    const running = main(['--file', 'users.csv', '--live'], terminal.io);
    await prompted;
    terminal.interrupt();

    expect(await running).toBe(2);
    expect(emulator.stats().calls.delete).toBe(0);
  });

  it('never shows the secret given on the command line', async (context) => {
    const { dir, env } = await setup(context);
    const terminal = fakeTerminal(dir, {
      ONELOGIN_API_URL: env.ONELOGIN_API_URL as string,
      ONELOGIN_CLIENT_ID: env.ONELOGIN_CLIENT_ID as string,
    });

    const code = await main(
      ['--file', 'users.csv', '--client-secret', CLIENT_SECRET, '--report-dir', 'out'],
      terminal.io,
    );

    expect(code).toBe(0);
    expect(terminal.stderr()).toMatch(/warning: the client secret was given on the command line/);
    expect(terminal.stdout() + terminal.stderr()).not.toContain(CLIENT_SECRET);
  });
});

describe('onelogin-bulk-delete protect files (in-process)', () => {
  it('protects the values of --protect-file', async (context) => {
    const { emulator, dir, env } = await setup(context);
    const protectedUser = emulator.users()[1]!;
    await writeCsv(dir, 'protect.json', JSON.stringify({ protect: [protectedUser.id] }));
    const terminal = fakeTerminal(dir, env);

    const code = await main(
      ['--file', 'users.csv', '--protect-file', 'protect.json', '--report-dir', 'out'],
      terminal.io,
    );

    expect(code).toBe(0);
    const rows = (await readReport(path.join(dir, 'out'))).rows;
    expect(rows.map((row) => [row.outcome, row.reason])).toEqual([
      ['would-delete', undefined],
      ['rejected', 'protected'],
    ]);
  });

  it('refuses a protect file it cannot read, before any API call', async (context) => {
    const { emulator, dir, env } = await setup(context);
    const terminal = fakeTerminal(dir, env);

    const code = await main(['--file', 'users.csv', '--protect-file', 'missing.txt', '--live', '--yes'], terminal.io);

    expect(code).toBe(2);
    expect(terminal.stderr()).toMatch(/--protect-file missing\.txt: ENOENT/);
    expect(emulator.stats().calls.token).toBe(0);
  });
});
