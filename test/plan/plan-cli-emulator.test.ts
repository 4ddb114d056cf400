// Reviewed plans end to end (docs/plans.md): the CLI as a process over real HTTP against the emulator. A dry run writes
// plan.json and prints the next command; `--live --plan` deletes exactly what was reviewed and nobody who changed since.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { EmulatorUser, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import type { PlanDocument } from '../../lambda/engine/plan/plan-document.ts';
import {
  CLIENT_SECRET,
  credentialEnv,
  csvOf,
  emulatorAndFolder,
  readReport,
  runCli,
  writeCsv,
} from '../cli/cli-harness.ts';

function setup(context: TestContext, accountId?: number) {
  return emulatorAndFolder(context, {
    tenant: { seed: 11, count: 40, directoryShare: 0 },
    ...(accountId !== undefined ? { accountId } : {}),
  });
}

/** A dry run of `users` into dir/dry; the plan it wrote and its path. */
async function reviewedDryRun(emulator: OneLoginEmulator, dir: string, users: readonly EmulatorUser[]) {
  const file = await writeCsv(dir, 'users.csv', csvOf(users));
  const dry = path.join(dir, 'dry');
  const run = await runCli(['--file', file, '--api-url', emulator.url, '--report-dir', dry], { env: credentialEnv() });
  expect(run.code, run.stderr).toBe(0);
  const planPath = path.join(dry, 'plan.json');
  const plan = JSON.parse(await readFile(planPath, 'utf8')) as PlanDocument;
  return { file, planPath, plan, run };
}

function liveWithPlan(
  emulator: OneLoginEmulator,
  file: string,
  planPath: string,
  reportDir: string,
  extra: string[] = [],
) {
  return runCli(
    [
      '--file',
      file,
      '--api-url',
      emulator.url,
      '--live',
      '--yes',
      '--plan',
      planPath,
      '--report-dir',
      reportDir,
      ...extra,
    ],
    { env: credentialEnv() },
  );
}

describe.concurrent('reviewed plans through the CLI', () => {
  it('a dry run writes plan.json and prints the exact next command', async (context) => {
    const { emulator, dir } = await setup(context);
    const users = emulator.users().slice(0, 3);
    const { plan, planPath, run, file } = await reviewedDryRun(emulator, dir, users);
    expect(plan.users.map((user) => user.id)).toEqual(users.map((user) => user.id));
    expect(plan.account).toEqual({ host: new URL(emulator.url).host, accountId: 189185 });
    expect(plan.users[0]).toMatchObject({ state: users[0]?.state, updated_at: users[0]?.updated_at });
    expect(run.stdout).toContain(`--live --plan ${planPath}`);
    expect(run.stdout).toContain(`--file ${file}`);
    expect(JSON.stringify(plan)).not.toContain(CLIENT_SECRET);
  });

  it('deletes the reviewed users; a changed one is changed-since-plan, a re-created one is never deleted', async (context) => {
    const { emulator, dir } = await setup(context);
    const [kept, changed, recreated] = emulator.users();
    const { file, planPath } = await reviewedDryRun(emulator, dir, [kept!, changed!, recreated!]);
    emulator.updateUser(changed!.id, { status: 3 });
    emulator.removeUser(recreated!.id);
    const newcomer = emulator.recreateUser({ username: recreated!.username, email: recreated!.email });
    emulator.resetStats();

    const out = path.join(dir, 'live');
    const run = await liveWithPlan(emulator, file, planPath, out);
    expect(run.code, run.stderr).toBe(0);
    const report = await readReport(out);
    expect(report.rows.map((row) => [row.outcome, row.reason])).toEqual([
      ['deleted', undefined],
      ['rejected', 'changed-since-plan'],
      ['already-absent', undefined],
    ]);
    expect(report.rows[1]?.message).toContain('status');
    expect(emulator.stats().deletions.map((deletion) => deletion.id)).toEqual([kept!.id]);
    const remaining = new Set(emulator.users().map((user) => user.id));
    expect(remaining.has(newcomer.id)).toBe(true);
    expect(remaining.has(changed!.id)).toBe(true);
  });

  it.for([
    ['another file', 'file', 'not-approved'],
    ['an expired plan', 'age', 'not-approved'],
    ['another account', 'account', 'wrong-account'],
  ] as const)('refuses %s: exit 2, zero DELETEs, every row rejected', async ([, change, code], context) => {
    const { emulator, dir } = await setup(context);
    const users = emulator.users().slice(0, 3);
    const { file, planPath, plan } = await reviewedDryRun(emulator, dir, users);
    let liveFile = file;
    if (change === 'file') liveFile = await writeCsv(dir, 'other.csv', csvOf(users.slice(0, 2)));
    if (change === 'age') {
      const old = { ...plan, createdAt: new Date(Date.now() - 80 * 3_600_000).toISOString() };
      await writeFile(planPath, JSON.stringify(old));
    }
    if (change === 'account')
      await writeFile(planPath, JSON.stringify({ ...plan, account: { ...plan.account, accountId: 7 } }));
    emulator.resetStats();
    const out = path.join(dir, 'live');
    const run = await liveWithPlan(emulator, liveFile, planPath, out);
    expect(run.code).toBe(2);
    expect(emulator.stats().calls.delete).toBe(0);
    expect(emulator.users()).toHaveLength(40);
    const report = await readReport(out);
    expect(report.error?.code).toBe(code);
    expect(report.rows.every((row) => row.outcome === 'rejected' && row.reason === code)).toBe(true);
  });

  it('--plan-max-age lets an older plan through', async (context) => {
    const { emulator, dir } = await setup(context);
    const users = emulator.users().slice(0, 2);
    const { file, planPath, plan } = await reviewedDryRun(emulator, dir, users);
    await writeFile(
      planPath,
      JSON.stringify({ ...plan, createdAt: new Date(Date.now() - 80 * 3_600_000).toISOString() }),
    );
    const run = await liveWithPlan(emulator, file, planPath, path.join(dir, 'live'), ['--plan-max-age', '100']);
    expect(run.code, run.stderr).toBe(0);
    expect(emulator.stats().deletions).toHaveLength(2);
  });

  it('a plan file that is not a plan is refused with its reason, before any call', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 1)));
    const bad = await writeCsv(dir, 'plan.json', '{"kind":"report"}');
    const run = await liveWithPlan(emulator, file, bad, path.join(dir, 'live'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('not a plan.json');
    expect(emulator.stats().calls.token).toBe(0);
  });

  it('--require-plan refuses --live without --plan, naming --plan', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 1)));
    const run = await runCli(['--file', file, '--api-url', emulator.url, '--live', '--yes', '--require-plan'], {
      env: credentialEnv(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--plan');
    expect(emulator.stats().calls.token).toBe(0);
    expect(emulator.users()).toHaveLength(40);
  });

  it('--account-id: credentials reaching another account are refused with zero calls past the token', async (context) => {
    const { emulator, dir } = await setup(context, 5555);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 3)));
    const out = path.join(dir, 'live');
    const run = await runCli(
      ['--file', file, '--api-url', emulator.url, '--live', '--yes', '--account-id', '189185', '--report-dir', out],
      { env: credentialEnv() },
    );
    expect(run.code).toBe(2);
    const { token, ...others } = emulator.stats().calls;
    expect(token).toBe(1);
    expect(Object.values(others).every((count) => count === 0)).toBe(true);
    const report = await readReport(out);
    expect(report.error?.code).toBe('wrong-account');
    expect(report.rows.every((row) => row.outcome === 'rejected' && row.reason === 'wrong-account')).toBe(true);
    const same = await runCli(['--file', file, '--api-url', emulator.url, '--report-dir', path.join(dir, 'dry')], {
      env: { ...credentialEnv(), ONELOGIN_ACCOUNT_ID: '5555' },
    });
    expect(same.code, same.stderr).toBe(0);
  });
});
