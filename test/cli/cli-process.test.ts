// The CLI as users run it: a real `node bin/onelogin-bulk-delete.mjs` process against the OneLogin emulator on loopback.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import type { CliRun } from './cli-harness.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  credentialEnv,
  csvOf,
  makeTempDir,
  outcomesOf,
  REPO_ROOT,
  readAllFiles,
  readReport,
  removeDir,
  runCli,
  startEmulator,
  writeCsv,
} from './cli-harness.ts';
import { startDeleteFailingProxy } from './delete-failing-proxy.ts';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'cli');

/** An emulator and a temp folder, both removed when the test ends (tests run concurrently, so cleanup is per test). */
async function setup(
  context: TestContext,
  options: Parameters<typeof startEmulator>[0] = {},
): Promise<{ emulator: OneLoginEmulator; dir: string }> {
  const emulator = await startEmulator(options);
  const dir = await makeTempDir();
  context.onTestFinished(async () => {
    await emulator.close();
    await removeDir(dir);
  });
  return { emulator, dir };
}

async function expectNoSecret(run: CliRun, reportDir?: string, secret = CLIENT_SECRET): Promise<void> {
  expect(run.stdout).not.toContain(secret);
  expect(run.stderr).not.toContain(secret);
  if (reportDir && existsSync(reportDir)) {
    for (const text of await readAllFiles(reportDir)) expect(text).not.toContain(secret);
  }
}

describe.concurrent('onelogin-bulk-delete as a process', () => {
  it('prints help and the version', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: onelogin-bulk-delete --file users.csv');
    expect(help.stdout).toContain('--max-percent');
    const version = await runCli(['--version']);
    const packageJson = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe(packageJson.version);
  });

  it('refuses an invalid option with exit 2 and a usage hint', async () => {
    const run = await runCli(['--file', 'x.csv', '--region', 'us', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown option --bogus');
    expect(run.stderr).toContain('--help');
    expect(run.stdout).toBe('');
  });

  it('does a dry run by default: a new report folder, would-delete rows, nothing changed', async (context) => {
    const { emulator, dir } = await setup(context);
    const targets = emulator.users().slice(0, 3);
    await writeCsv(dir, 'users.csv', csvOf(targets, [',nobody.here,nobody.here@example.com']));
    const before = emulator.users().length;

    const run = await runCli(['--file', 'users.csv'], {
      cwd: dir,
      env: { ...credentialEnv(), ONELOGIN_API_URL: emulator.url },
    });

    expect(run.code).toBe(0);
    const folder = /Report folder: (.+)$/m.exec(run.stdout)?.[1];
    expect(folder).toBeDefined();
    expect(path.dirname(folder as string)).toBe(path.join(dir, 'reports'));
    expect(path.basename(folder as string)).toMatch(/^\d{8}-\d{6}-dry-run-users$/);
    expect(existsSync(path.join(folder as string, 'report.csv'))).toBe(true);
    expect(existsSync(path.join(folder as string, 'retry.csv'))).toBe(false);
    const report = await readReport(folder as string);
    expect(report.job.mode).toBe('dry-run');
    expect(report.job.status).toBe('completed');
    expect(outcomesOf(report)).toEqual(['would-delete', 'would-delete', 'would-delete', 'not-found']);
    expect(emulator.users()).toHaveLength(before);
    expect(emulator.stats().calls.delete).toBe(0);
    expect(run.stdout).toMatch(/would-delete\s+3/);
    // No terminal: plain progress lines on stderr, never a prompt.
    expect(run.stderr).toMatch(/rows done/);
    expect(run.stderr).not.toMatch(/Type yes/);
    await expectNoSecret(run, folder);
  });

  it('deletes in a live run, keeps protected users, and writes into --report-dir', async (context) => {
    const { emulator, dir } = await setup(context);
    const [first, second, third] = emulator.users();
    const file = await writeCsv(dir, 'users.csv', csvOf([first!, second!, third!]));
    const reportDir = path.join(dir, 'out');

    const run = await runCli(
      [
        '--file',
        file,
        '--live',
        '--yes',
        '--api-url',
        emulator.url,
        '--report-dir',
        reportDir,
        '--protect',
        third!.email!.toUpperCase(),
      ],
      {
        env: credentialEnv(),
      },
    );

    expect(run.code).toBe(0);
    const report = await readReport(reportDir);
    expect(report.job.status).toBe('completed');
    expect(report.rows.map((row) => [row.outcome, row.reason])).toEqual([
      ['deleted', undefined],
      ['deleted', undefined],
      ['rejected', 'protected'],
    ]);
    const remaining = new Set(emulator.users().map((user) => user.id));
    expect(remaining.has(first!.id)).toBe(false);
    expect(remaining.has(second!.id)).toBe(false);
    expect(remaining.has(third!.id)).toBe(true);
    expect(run.stderr).toMatch(/Plan: 2 of 3 rows to delete/);
    expect(run.stdout).toMatch(/deleted\s+2/);
    expect(run.stdout).toContain(path.join(reportDir, 'report.json'));
    await expectNoSecret(run, reportDir);
  });

  it("accepts the old script's form (here with --api-url, as env= cannot name an emulator) and warns about the secret", async (context) => {
    const { emulator, dir } = await setup(context);
    const [target] = emulator.users();
    const file = await writeCsv(dir, 'old.csv', csvOf([target!]));
    const reportDir = path.join(dir, 'out');

    const run = await runCli([
      `client_secret=${CLIENT_SECRET}`,
      `file=${file}`,
      'dry_run=false',
      'yes=true',
      `client_id=${CLIENT_ID}`,
      '--api-url',
      emulator.url,
      '--report-dir',
      reportDir,
    ]);

    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: the client secret was given on the command line.*ONELOGIN_CLIENT_SECRET/);
    expect(outcomesOf(await readReport(reportDir))).toEqual(['deleted']);
    expect(emulator.users().some((user) => user.id === target!.id)).toBe(false);
    await expectNoSecret(run, reportDir);
  });

  it('takes env=de in the old form as the EU host and says so (then refuses the missing file)', async () => {
    const run = await runCli(['env=de', 'file=missing-users.csv', `client_secret=${CLIENT_SECRET}`], {
      env: { ONELOGIN_CLIENT_ID: CLIENT_ID },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/env=de: OneLogin documents no 'de' API host .*api\.eu\.onelogin\.com.*--subdomain/);
    expect(run.stderr).toMatch(/missing-users\.csv/);
    expect(run.stderr).not.toMatch(/must be us or eu/);
    await expectNoSecret(run);
  });

  it('exits 1 when deletions fail, and writes retry.csv', async (context) => {
    const { emulator, dir } = await setup(context);
    const proxy = await startDeleteFailingProxy(emulator.url);
    context.onTestFinished(() => proxy.close());
    const targets = emulator.users().slice(0, 2);
    const file = await writeCsv(dir, 'users.csv', csvOf(targets));
    const reportDir = path.join(dir, 'out');

    const run = await runCli(
      ['--file', file, '--live', '--yes', '--api-url', proxy.url, '--report-dir', reportDir, '--max-attempts', '1'],
      { env: credentialEnv() },
    );

    expect(run.code).toBe(1);
    const report = await readReport(reportDir);
    expect(report.job.status).toBe('completed');
    expect(report.rows.map((row) => [row.outcome, row.reason])).toEqual([
      ['failed', 'http-500'],
      ['failed', 'http-500'],
    ]);
    expect(proxy.deletesRefused()).toBe(2);
    const retry = await readFile(path.join(reportDir, 'retry.csv'), 'utf8');
    for (const user of targets) expect(retry).toContain(String(user.id));
    expect(run.stdout).toMatch(/failed\s+2\s+\(http-500 2\)/);
    expect(run.stdout).toContain(
      'Some rows failed: the rows that did not finish are in retry.csv. To pick them up, run:',
    );
    expect(run.stdout).toContain(
      `  onelogin-bulk-delete --file ${path.join(reportDir, 'retry.csv')} --live --api-url ${proxy.url}`,
    );
    expect(emulator.users().filter((user) => targets.some((target) => target.id === user.id))).toHaveLength(2);
  });

  it('exits 2 on refused credentials, changing nothing and printing no secret', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 2)));
    const reportDir = path.join(dir, 'out');
    const wrongSecret = 'Wr0ng-secret-for-cli-test-5d1c';

    const run = await runCli(
      ['--file', file, '--live', '--yes', '--api-url', emulator.url, '--report-dir', reportDir],
      {
        env: credentialEnv(wrongSecret),
      },
    );

    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/refused the API client id\/secret/);
    expect(run.stdout).toMatch(/nothing was changed/);
    expect((await readReport(reportDir)).job.status).toBe('rejected');
    expect(emulator.stats().calls.delete).toBe(0);
    await expectNoSecret(run, reportDir, wrongSecret);
    await expectNoSecret(run, reportDir, CLIENT_SECRET);
  });

  it('exits 2 for plain http to a non-loopback host, before any network call', async (context) => {
    const { dir } = await setup(context);
    const reportDir = path.join(dir, 'out');
    await writeCsv(dir, 'users.csv', 'id\n1\n');
    const run = await runCli(
      ['--file', path.join(dir, 'users.csv'), '--api-url', 'http://onelogin.example.com', '--report-dir', reportDir],
      {
        env: credentialEnv(),
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--api-url: plain http:\/\/ is accepted only for loopback/);
    expect(existsSync(reportDir)).toBe(false);
  });

  it('exits 2 for a missing input file', async (context) => {
    const { emulator, dir } = await setup(context);
    const run = await runCli(['--file', path.join(dir, 'absent.csv'), '--api-url', emulator.url], {
      env: credentialEnv(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cannot read .*absent\.csv: no such file/);
    expect(emulator.stats().calls.token).toBe(0);
  });

  it('exits 2 when the file is rejected as a whole, before any API call', async (context) => {
    const { emulator, dir } = await setup(context);
    const reportDir = path.join(dir, 'out');
    const run = await runCli(
      [
        '--file',
        path.join(FIXTURES, 'no-identifier-columns.csv'),
        '--live',
        '--yes',
        '--api-url',
        emulator.url,
        '--report-dir',
        reportDir,
      ],
      {
        env: credentialEnv(),
      },
    );
    expect(run.code).toBe(2);
    expect((await readReport(reportDir)).job.status).toBe('rejected');
    const calls = emulator.stats().calls;
    expect(calls.token + calls.list + calls.get + calls.delete).toBe(0);
  });

  it('exits 2 for a live run over the default 10 % budget, its rows rejected over-budget', async (context) => {
    const { emulator, dir } = await setup(context);
    const before = emulator.users().length;
    const targets = emulator.users().slice(0, 5);
    const file = await writeCsv(dir, 'users.csv', csvOf(targets));
    const reportDir = path.join(dir, 'out');

    const run = await runCli(
      ['--file', file, '--live', '--yes', '--api-url', emulator.url, '--report-dir', reportDir],
      { env: credentialEnv() },
    );

    expect(run.code).toBe(2);
    const report = await readReport(reportDir);
    expect(report.job.status).toBe('rejected');
    expect(report.rows.map((row) => [row.outcome, row.reason])).toEqual(Array(5).fill(['rejected', 'over-budget']));
    expect(emulator.users()).toHaveLength(before);
    expect(emulator.stats().calls.delete).toBe(0);
  });

  it('exits 2 for a live run over --max-deletions', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 3)));
    const reportDir = path.join(dir, 'out');

    const run = await runCli(
      [
        '--file',
        file,
        '--live',
        '--yes',
        '--max-deletions',
        '2',
        '--max-percent',
        '100',
        '--api-url',
        emulator.url,
        '--report-dir',
        reportDir,
      ],
      {
        env: credentialEnv(),
      },
    );

    expect(run.code).toBe(2);
    expect(outcomesOf(await readReport(reportDir))).toEqual(['rejected', 'rejected', 'rejected']);
    expect(emulator.stats().calls.delete).toBe(0);
  });

  it('exits 3 when interrupted part-way through a live run, with an aborted report that says how far it got', async (context) => {
    // Slow answers keep the run going long enough to interrupt it after its first deletion.
    const { emulator, dir } = await setup(context, {
      tenant: { seed: 11, count: 100, directoryShare: 0 },
      faults: { seed: 1, slowRate: 1, slowMs: 150 },
    });
    const targets = emulator.users().slice(0, 60);
    const file = await writeCsv(dir, 'users.csv', csvOf(targets));
    const reportDir = path.join(dir, 'out');

    const run = await runCli(
      ['--file', file, '--live', '--yes', '--max-percent', '100', '--api-url', emulator.url, '--report-dir', reportDir],
      {
        env: credentialEnv(),
        onStart: (child) => {
          const timer = setInterval(() => {
            if (emulator.stats().deletions.length > 0) {
              clearInterval(timer);
              child.kill('SIGINT');
            }
          }, 20);
          child.on('close', () => clearInterval(timer));
        },
      },
    );

    expect(run.code).toBe(3);
    const report = await readReport(reportDir);
    expect(report.job.status).toBe('aborted');
    const deletedRows = report.rows.filter((row) => row.outcome === 'deleted');
    const deletedInEmulator = emulator
      .stats()
      .deletions.map((deletion) => deletion.id)
      .sort();
    expect(deletedRows.map((row) => row.user?.id).sort()).toEqual(deletedInEmulator);
    expect(deletedRows.length).toBeGreaterThan(0);
    expect(deletedRows.length).toBeLessThan(60);
    expect(
      report.rows
        .filter((row) => row.outcome !== 'deleted')
        .every((row) => row.outcome === 'failed' && row.reason === 'aborted'),
    ).toBe(true);
    expect(run.stderr).toMatch(/Stopping after the deletions in flight/);
    expect(run.stdout).toMatch(/aborted part-way/);
  });
});
