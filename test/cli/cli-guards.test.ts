// The run guards through the real CLI process against the OneLogin emulator on loopback: protect values (refused,
// protecting, warned about), directory-managed users, a dry run over budget, refused credentials.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { credentialEnv, csvOf, emulatorAndFolder, readReport, runCli, writeCsv } from './cli-harness.ts';

function setup(context: TestContext, options: Partial<EmulatorOptions> = {}) {
  return emulatorAndFolder(context, { tenant: { seed: 7, count: 40, directoryShare: 0 }, ...options });
}

function totalCalls(emulator: OneLoginEmulator): number {
  const calls = emulator.stats().calls;
  return calls.token + calls.list + calls.get + calls.delete;
}

const live = (file: string, emulator: OneLoginEmulator, reportDir: string, ...extra: string[]) => [
  '--file',
  file,
  '--live',
  '--yes',
  '--max-percent',
  '100',
  '--api-url',
  emulator.url,
  '--report-dir',
  reportDir,
  ...extra,
];

describe('protect values through the CLI', () => {
  it('--protect with leading zeros protects that user id; the others are deleted', async (context) => {
    const { emulator, dir } = await setup(context);
    const [kept, gone] = emulator.users();
    if (!kept || !gone) throw new Error('tenant too small');
    const file = await writeCsv(dir, 'users.csv', csvOf([kept, gone]));
    const reportDir = path.join(dir, 'out');
    const run = await runCli(live(file, emulator, reportDir, '--protect', `00${kept.id}`), { env: credentialEnv() });
    expect(run.code).toBe(0);
    const report = await readReport(reportDir);
    expect(report.rows.map((row) => [row.outcome, row.reason])).toEqual([
      ['rejected', 'protected'],
      ['deleted', undefined],
    ]);
    expect(emulator.stats().deletions.map((deletion) => deletion.id)).toEqual([gone.id]);
  });

  it('a wildcard protect value refuses the run: exit 2, the value named, no call at all', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 2)));
    const reportDir = path.join(dir, 'out');
    const run = await runCli(live(file, emulator, reportDir, '--protect', '*@acme.test', '--protect', 'a,b'), {
      env: credentialEnv(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"*@acme.test"');
    expect(run.stderr).toContain('"a,b"');
    expect(totalCalls(emulator)).toBe(0);
    expect(emulator.stats().deletions).toEqual([]);
  });

  it('a CSV protect file with a header protects the user its id column names', async (context) => {
    const { emulator, dir } = await setup(context);
    const [kept, gone] = emulator.users();
    if (!kept || !gone) throw new Error('tenant too small');
    const file = await writeCsv(dir, 'users.csv', csvOf([kept, gone]));
    const protectFile = path.join(dir, 'protect.csv');
    await writeFile(protectFile, `id,username,email\n${kept.id},,\n`);
    const reportDir = path.join(dir, 'out');
    const run = await runCli(live(file, emulator, reportDir, '--protect-file', protectFile), { env: credentialEnv() });
    expect(run.code).toBe(0);
    const report = await readReport(reportDir);
    expect(report.rows[0]).toMatchObject({ outcome: 'rejected', reason: 'protected', user: { id: kept.id } });
    expect(report.warnings).toBeUndefined();
    expect(emulator.stats().deletions.map((deletion) => deletion.id)).toEqual([gone.id]);
  });

  it('a protect value that matches no user is a warning in report.json and on the console', async (context) => {
    const { emulator, dir } = await setup(context);
    const [user] = emulator.users();
    if (!user) throw new Error('tenant too small');
    const file = await writeCsv(dir, 'users.csv', csvOf([user]));
    const reportDir = path.join(dir, 'out');
    const typo = 'adminn@nowhere.test';
    const run = await runCli(
      ['--file', file, '--api-url', emulator.url, '--report-dir', reportDir, '--protect', typo],
      { env: credentialEnv() },
    );
    expect(run.code).toBe(0);
    const report = await readReport(reportDir);
    expect(report.warnings).toEqual([expect.stringContaining(`"${typo}" matches no user`)]);
    expect(run.stderr + run.stdout).toContain(typo);
  });
});

describe('directory-managed users through the CLI', () => {
  it('a user synced from a directory is rejected unless --allow-directory-users', async (context) => {
    const { emulator, dir } = await setup(context);
    const [user] = emulator.users();
    if (!user) throw new Error('tenant too small');
    emulator.updateUser(user.id, { directory_id: 4242 });
    const file = await writeCsv(dir, 'users.csv', csvOf([user]));
    const first = path.join(dir, 'first');
    expect((await runCli(live(file, emulator, first), { env: credentialEnv() })).code).toBe(0);
    const refused = (await readReport(first)).rows[0];
    expect(refused).toMatchObject({ outcome: 'rejected', reason: 'directory-managed' });
    expect(refused?.message).toContain('4242');
    expect(emulator.stats().deletions).toEqual([]);

    const second = path.join(dir, 'second');
    const run = await runCli(live(file, emulator, second, '--allow-directory-users'), { env: credentialEnv() });
    expect(run.code).toBe(0);
    expect((await readReport(second)).rows[0]?.outcome).toBe('deleted');
  });
});

describe('honest endings through the CLI', () => {
  it('a dry run over budget lists its would-delete rows, names the setting, and exits 2', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 10)));
    const reportDir = path.join(dir, 'out');
    const run = await runCli(['--file', file, '--api-url', emulator.url, '--report-dir', reportDir], {
      env: credentialEnv(),
    });
    expect(run.code).toBe(2);
    const report = await readReport(reportDir);
    expect(report.job.status).toBe('completed');
    expect(report.summary['would-delete']).toBe(10);
    expect(report.summary.budget).toMatchObject({
      wouldRefuse: true,
      reason: 'over-budget',
      setting: '--max-percent 25',
    });
    expect(run.stdout).toContain('--max-percent 25');
  });

  it('refused credentials reject every row and write no retry.csv', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 3)));
    const reportDir = path.join(dir, 'out');
    const run = await runCli(live(file, emulator, reportDir), { env: credentialEnv('wrong-secret') });
    expect(run.code).toBe(2);
    const report = await readReport(reportDir);
    expect(report.job.status).toBe('rejected');
    expect(report.rows.every((row) => row.outcome === 'rejected' && row.reason === report.error?.code)).toBe(true);
    expect(report.rows).toHaveLength(3);
    expect(existsSync(path.join(reportDir, 'retry.csv'))).toBe(false);
  });
});
