// --profile and --profiles through the real CLI process against the emulator on loopback (issue 12): the profile's
// host, client id, account id and guards; the secret from the environment or, only from a 0600 file, the profile; flags
// given on the command line win; an unknown profile lists the known ones. Real file modes, no mocks.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  csvOf,
  emulatorAndFolder,
  readAllFiles,
  readReport,
  runCli,
  writeCsv,
} from './cli-harness.ts';

const ACCOUNT_ID = 424_242;

function callsOf(emulator: OneLoginEmulator): number {
  return Object.values(emulator.stats().calls).reduce((sum, count) => sum + count, 0);
}

async function writeProfiles(file: string, profiles: Record<string, unknown>, mode: number): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ profiles }, null, 2));
  await chmod(file, mode);
  return file;
}

const sandbox = (emulator: OneLoginEmulator, extra: Record<string, unknown> = {}) => ({
  api_url: emulator.url,
  client_id: CLIENT_ID,
  account_id: ACCOUNT_ID,
  ...extra,
});

describe('--profile', () => {
  it('runs with the profile’s host, client id and account id, the secret from the variable it names', async (context) => {
    const { emulator, dir } = await emulatorAndFolder(context, { accountId: ACCOUNT_ID });
    const profiles = await writeProfiles(
      path.join(dir, 'profiles.json'),
      { sandbox: sandbox(emulator, { client_secret_env: 'SANDBOX_SECRET' }), prod: { subdomain: 'acme' } },
      0o644,
    );
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 2)));
    const reportDir = path.join(dir, 'out');
    const run = await runCli(
      ['--file', file, '--profile', 'sandbox', '--profiles', profiles, '--report-dir', reportDir],
      { env: { SANDBOX_SECRET: CLIENT_SECRET, ONELOGIN_CLIENT_SECRET: 'the-other-accounts-secret' } },
    );
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    const report = await readReport(reportDir);
    expect(report.account).toEqual({ host: new URL(emulator.url).host, accountId: ACCOUNT_ID, name: 'sandbox' });
    expect(report.rows.map((row) => row.outcome)).toEqual(['would-delete', 'would-delete']);
    expect(run.stdout).toContain(`(profile sandbox, account id ${ACCOUNT_ID})`);
    // The next command names the profile, so the live run reaches the same account.
    expect(run.stdout).toMatch(/--profile sandbox --profiles \S+profiles\.json/);
    for (const text of [run.stdout, run.stderr, ...(await readAllFiles(reportDir))]) {
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });

  it('a secret in a file others may read is refused with the file, its mode and chmod 600; then accepted at 0600', async (context) => {
    const { emulator, dir } = await emulatorAndFolder(context, { accountId: ACCOUNT_ID });
    const profiles = await writeProfiles(
      path.join(dir, 'profiles.json'),
      { sandbox: sandbox(emulator, { client_secret: CLIENT_SECRET }) },
      0o640,
    );
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 1)));
    const args = ['--file', file, '--profile', 'sandbox', '--profiles', profiles];
    const refused = await runCli([...args, '--report-dir', path.join(dir, 'refused')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(profiles);
    expect(refused.stderr).toContain('0640');
    expect(refused.stderr).toContain(`chmod 600 ${profiles}`);
    expect(refused.stderr).not.toContain(CLIENT_SECRET);
    expect(callsOf(emulator)).toBe(0);

    await chmod(profiles, 0o600);
    const accepted = await runCli([...args, '--report-dir', path.join(dir, 'accepted')]);
    expect(accepted.code).toBe(0);
    expect((await readReport(path.join(dir, 'accepted'))).account?.name).toBe('sandbox');
    expect(accepted.stdout + accepted.stderr).not.toContain(CLIENT_SECRET);
  });

  it('without a secret in the profile, ONELOGIN_CLIENT_SECRET; the default file under XDG_CONFIG_HOME', async (context) => {
    const { emulator, dir } = await emulatorAndFolder(context, { accountId: ACCOUNT_ID });
    await writeProfiles(
      path.join(dir, 'xdg', 'onelogin-bulk-delete', 'profiles.json'),
      { sandbox: sandbox(emulator) },
      0o644,
    );
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 1)));
    const reportDir = path.join(dir, 'out');
    const run = await runCli(['--file', file, '--profile', 'sandbox', '--report-dir', reportDir], {
      env: { XDG_CONFIG_HOME: path.join(dir, 'xdg'), ONELOGIN_CLIENT_SECRET: CLIENT_SECRET },
    });
    expect(run.code).toBe(0);
    expect((await readReport(reportDir)).account?.accountId).toBe(ACCOUNT_ID);
  });

  it('flags given on the command line win over the profile: host, account id, budget; protect values add up', async (context) => {
    const { emulator, dir } = await emulatorAndFolder(context, { accountId: ACCOUNT_ID });
    const [kept, byFlag, gone] = emulator.users();
    if (!kept || !byFlag || !gone) throw new Error('tenant too small');
    const profiles = await writeProfiles(
      path.join(dir, 'profiles.json'),
      {
        sandbox: {
          subdomain: 'no-such-account',
          client_id: CLIENT_ID,
          account_id: 1,
          max_percent: 1,
          protect: [String(kept.id)],
          client_secret_env: 'SANDBOX_SECRET',
        },
      },
      0o600,
    );
    const file = await writeCsv(dir, 'users.csv', csvOf([kept, byFlag, gone]));
    const reportDir = path.join(dir, 'out');
    const run = await runCli(
      [
        ...['--file', file, '--live', '--yes', '--profile', 'sandbox', '--profiles', profiles],
        ...['--api-url', emulator.url, '--account-id', String(ACCOUNT_ID), '--max-percent', '100'],
        ...['--protect', String(byFlag.id), '--report-dir', reportDir],
      ],
      { env: { SANDBOX_SECRET: CLIENT_SECRET } },
    );
    expect(run.stderr).not.toContain('error');
    expect(run.code).toBe(0);
    const report = await readReport(reportDir);
    expect(report.rows.map((row) => [row.outcome, row.reason])).toEqual([
      ['rejected', 'protected'],
      ['rejected', 'protected'],
      ['deleted', undefined],
    ]);
    expect(emulator.stats().deletions.map((deletion) => deletion.id)).toEqual([gone.id]);
  });

  it('the profile’s account id guards the run: another account is refused with no call past the token', async (context) => {
    const { emulator, dir } = await emulatorAndFolder(context, { accountId: ACCOUNT_ID });
    const profiles = await writeProfiles(
      path.join(dir, 'profiles.json'),
      { prod: sandbox(emulator, { account_id: 111, client_secret_env: 'PROD_SECRET' }) },
      0o600,
    );
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 2)));
    const reportDir = path.join(dir, 'out');
    const run = await runCli(
      ['--file', file, '--live', '--yes', '--profile', 'prod', '--profiles', profiles, '--report-dir', reportDir],
      { env: { PROD_SECRET: CLIENT_SECRET } },
    );
    expect(run.code).toBe(2);
    const report = await readReport(reportDir);
    expect(report.error?.code).toBe('wrong-account');
    expect(report.account).toMatchObject({ name: 'prod', accountId: ACCOUNT_ID });
    const { token, ...others } = emulator.stats().calls;
    expect(token).toBe(1);
    expect(Object.values(others).every((count) => count === 0)).toBe(true);
  });

  it.for([
    [['--profile', 'staging'], 'no profile staging in', 'known profiles: prod, sandbox'],
    [['--profile', 'sandbox'], 'takes its client secret from SANDBOX_SECRET, which is not set', 'error:'],
    [['--profiles', 'x.json'], '--profiles FILE needs --profile NAME', 'error:'],
  ] as const)('%j is refused with exit 2 before any call', async ([extra, message, more], context) => {
    const { emulator, dir } = await emulatorAndFolder(context);
    const profiles = await writeProfiles(
      path.join(dir, 'profiles.json'),
      { sandbox: sandbox(emulator, { client_secret_env: 'SANDBOX_SECRET' }), prod: { subdomain: 'acme' } },
      0o600,
    );
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 1)));
    const withFile: string[] = extra[0] === '--profiles' ? [...extra] : [...extra, '--profiles', profiles];
    const run = await runCli(['--file', file, ...withFile], { env: { ONELOGIN_CLIENT_SECRET: CLIENT_SECRET } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(more);
    expect(callsOf(emulator)).toBe(0);
  });
});
