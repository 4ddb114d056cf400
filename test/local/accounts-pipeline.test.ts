// Two OneLogin accounts through the local pipeline (issue 12): s3rver events, the deployed handlers, one emulator per
// account. Each run touches only its own account's emulator; an unknown account folder is refused with a report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import type { LocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { DEMO_ACCOUNTS, demoAccountOptions } from '../../lambda/local/pipeline-accounts.ts';
import { uploadTargetFor } from '../../lambda/local/upload-key.ts';
import { csvOf, reportOf } from './pipeline-fixtures.ts';

let pipeline: LocalPipeline;
let prod: OneLoginEmulator;
let sandbox: OneLoginEmulator;

const calls = (emulator: OneLoginEmulator) =>
  Object.values(emulator.stats().calls).reduce((sum, count) => sum + count, 0);
const idsCsv = (emulator: OneLoginEmulator, from: number, count: number) =>
  csvOf(
    'id',
    emulator
      .users()
      .slice(from, from + count)
      .map((user) => String(user.id)),
  );

beforeAll(async () => {
  const accounts = demoAccountOptions(0);
  pipeline = await startLocalPipeline({
    accounts: { ...accounts, sandbox: { ...accounts.sandbox, requireReviewedPlan: false } },
    maxPercent: 100,
    timeScale: 50,
  });
  prod = pipeline.accountEmulators.prod!;
  sandbox = pipeline.accountEmulators.sandbox!;
});
afterAll(async () => {
  await pipeline.close();
});

describe('two accounts in the local pipeline', () => {
  it('a dry run under dry-run/prod/ reaches only prod, with prod’s account id, and reports under its folder', async () => {
    const sandboxCalls = calls(sandbox);
    await pipeline.upload('dry-run/prod/leavers.csv', idsCsv(prod, 0, 3));
    const execution = await pipeline.waitForKey('dry-run/prod/leavers.csv');
    expect(execution.input.reportPrefix).toMatch(/^reports\/dry-run\/prod\/leavers\//);
    const report = await reportOf(pipeline, execution);
    expect(report.job.status).toBe('completed');
    expect(report.rows.map((row) => row.outcome)).toEqual(['would-delete', 'would-delete', 'would-delete']);
    expect(report.account).toMatchObject({ name: 'prod', accountId: DEMO_ACCOUNTS.prod.accountId });
    expect(calls(sandbox)).toBe(sandboxCalls);
    expect(pipeline.notifications.at(-1)?.account).toMatchObject({ name: 'prod' });
  });

  it('a live run under live/sandbox/ deletes in the sandbox only (its own requireReviewedPlan off)', async () => {
    const prodUsers = prod.users().length;
    const prodCalls = calls(prod);
    const target = sandbox.users()[4]!.id;
    await pipeline.upload('live/sandbox/one.csv', csvOf('id', [String(target)]));
    const execution = await pipeline.waitForKey('live/sandbox/one.csv');
    const report = await reportOf(pipeline, execution);
    expect(report.rows.map((row) => row.outcome)).toEqual(['deleted']);
    expect(report.account).toMatchObject({ name: 'sandbox', accountId: DEMO_ACCOUNTS.sandbox.accountId });
    expect(sandbox.stats().deletions.map((deletion) => deletion.id)).toEqual([target]);
    expect(prod.users()).toHaveLength(prodUsers);
    expect(calls(prod)).toBe(prodCalls);
  });

  it('a live run under live/prod/ without prod’s reviewed dry run is refused: the stack default holds there', async () => {
    await pipeline.upload('live/prod/unreviewed.csv', idsCsv(prod, 5, 1));
    const report = await reportOf(pipeline, await pipeline.waitForKey('live/prod/unreviewed.csv'));
    expect(report.error?.code).toBe('not-approved');
    expect(prod.stats().deletions).toEqual([]);
  });

  it('an upload under an unknown account folder gets a refused report and no execution', async () => {
    const before = calls(prod) + calls(sandbox);
    const started = pipeline.executions().length;
    await pipeline.upload('dry-run/staging/leavers.csv', idsCsv(prod, 0, 1));
    await pipeline.waitForIdle();
    expect(pipeline.executions()).toHaveLength(started);
    const keys = await pipeline.listReports('reports/dry-run/staging/leavers/');
    const reportKey = keys.find((key) => key.endsWith('/report.json'));
    expect(reportKey).toBeDefined();
    const report = JSON.parse(await pipeline.readObject(reportKey!)) as { error?: { code: string } };
    expect(report.error?.code).toBe('unknown-account');
    expect(calls(prod) + calls(sandbox)).toBe(before);
  });
});

describe('npm run local -- upload FILE --account NAME', () => {
  it('puts the file under the account folder of its prefix, and its reports under the same folder', () => {
    expect(uploadTargetFor('users.csv', { live: false, suspend: false }, 'sandbox')).toMatchObject({
      key: 'dry-run/sandbox/users.csv',
      reportFolder: 'reports/dry-run/sandbox/users/',
    });
    expect(uploadTargetFor('users.csv', { live: false, suspend: true }, 'prod').key).toBe('suspend/prod/users.csv');
    expect(uploadTargetFor('snap.jsonl', { live: true, suspend: false }, 'prod').key).toBe('restore/prod/snap.jsonl');
  });

  it('refuses a name that cannot be an account folder', () => {
    expect(() => uploadTargetFor('users.csv', { live: false, suspend: false }, '../prod')).toThrow(
      /--account \.\.\/prod/,
    );
  });
});
