// Several accounts in one stack (issue 12), through the exported handlers wired to mocked AWS: each key's account
// folder picks its own secret, settings and reports folder; an unknown folder is refused; a secret's account_id guards.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import type { JobInput, StepOutput } from '../../lambda/handlers/handler-contract.ts';
import { ENV } from '../../lambda/handlers/handler-contract.ts';
import type { RunSummaryMessage } from '../../lambda/shared/run-summary-message.ts';
import type { MockBucket } from '../adapters/mock-s3-bucket.ts';
import { mockS3Bucket } from '../adapters/mock-s3-bucket.ts';

const BUCKET = 'accounts-bucket';
const PROD_ID = 111_111;
const SANDBOX_ID = 222_222;

const sfnMock = mockClient(SFNClient);
const secretsMock = mockClient(SecretsManagerClient);
const snsMock = mockClient(SNSClient);
let bucket: MockBucket;
let prod: OneLoginEmulator;
let sandbox: OneLoginEmulator;
let protectedEmail: string;

function accountEmulator(name: string, accountId: number, seed: number): Promise<OneLoginEmulator> {
  return createOneLoginEmulator({
    clientId: `${name}-client-id`,
    clientSecret: `${name}-client-secret-value`,
    accountId,
    tenant: { seed, count: 30, directoryShare: 0 },
    host: '127.0.0.1',
    port: 0,
  });
}

function secretOf(emulator: OneLoginEmulator, name: string, accountId: number): string {
  return JSON.stringify({
    client_id: `${name}-client-id`,
    client_secret: `${name}-client-secret-value`,
    api_url: emulator.url,
    account_id: accountId,
  });
}

beforeAll(async () => {
  prod = await accountEmulator('prod', PROD_ID, 3);
  sandbox = await accountEmulator('sandbox', SANDBOX_ID, 5);
  protectedEmail = prod.users()[1]!.email!;
  bucket = mockS3Bucket(BUCKET);
  vi.stubEnv(ENV.stateMachineArn, 'arn:aws:states:us-east-1:1:stateMachine:jobs');
  vi.stubEnv(ENV.topicArn, 'arn:aws:sns:us-east-1:1:runs');
  vi.stubEnv(ENV.maxPercent, '100');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv(
    ENV.accounts,
    JSON.stringify({
      prod: { secretId: 'onelogin/prod', protect: [protectedEmail] },
      sandbox: { secretId: 'onelogin/sandbox', requireReviewedPlan: false, maxDeletions: 1 },
      // Credentials of the sandbox, account_id of prod: a token for the wrong account.
      mixup: { secretId: 'onelogin/mixup' },
    }),
  );
  secretsMock.on(GetSecretValueCommand, { SecretId: 'onelogin/prod' }).resolves({
    SecretString: secretOf(prod, 'prod', PROD_ID),
  });
  secretsMock.on(GetSecretValueCommand, { SecretId: 'onelogin/sandbox' }).resolves({
    SecretString: secretOf(sandbox, 'sandbox', SANDBOX_ID),
  });
  secretsMock.on(GetSecretValueCommand, { SecretId: 'onelogin/mixup' }).resolves({
    SecretString: secretOf(sandbox, 'sandbox', PROD_ID),
  });
  snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  bucket.restore();
  sfnMock.restore();
  secretsMock.restore();
  snsMock.restore();
  await prod.close();
  await sandbox.close();
});
beforeEach(() => {
  sfnMock.resetHistory();
  snsMock.resetHistory();
});

function callsOf(emulator: OneLoginEmulator): number {
  return Object.values(emulator.stats().calls).reduce((sum, count) => sum + count, 0);
}

async function upload(key: string, body: string, versionId = 'v1'): Promise<JobInput | undefined> {
  const { handler } = await import('../../lambda/handlers/on-upload.ts');
  bucket.objects.set(key, Buffer.from(body));
  const before = sfnMock.commandCalls(StartExecutionCommand).length;
  await handler({
    Records: [
      {
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: BUCKET }, object: { key, versionId, eTag: 'e', sequencer: '1' } },
      },
    ],
  } as never);
  const started = sfnMock.commandCalls(StartExecutionCommand);
  if (started.length === before) return undefined;
  return JSON.parse(started.at(-1)!.args[0].input.input!) as JobInput;
}

async function runStep(job: JobInput): Promise<StepOutput> {
  const { handler } = await import('../../lambda/handlers/step.ts');
  return handler(job, { getRemainingTimeInMillis: () => 900_000 });
}

function reportOf(job: JobInput): ReportDocument {
  const report = bucket.json<ReportDocument>(`${job.reportPrefix}report.json`);
  if (report === undefined) throw new Error(`no report under ${job.reportPrefix}`);
  return report;
}

function lastSummary(): RunSummaryMessage {
  const published = snsMock.commandCalls(PublishCommand);
  return JSON.parse(published.at(-1)!.args[0].input.Message!) as RunSummaryMessage;
}

const idsCsv = (emulator: OneLoginEmulator, from: number, count: number): string =>
  `id\n${emulator
    .users()
    .slice(from, from + count)
    .map((user) => user.id)
    .join('\n')}\n`;

describe('several accounts in one stack', () => {
  it('a dry run under prod/ uses prod’s secret, protect list and reports folder, and never calls the sandbox', async () => {
    const sandboxBefore = callsOf(sandbox);
    const job = await upload('dry-run/prod/leavers.csv', idsCsv(prod, 0, 3));
    expect(job?.reportPrefix).toMatch(/^reports\/dry-run\/prod\/leavers\/dry-run-leavers-[0-9a-f]{24}\/$/);
    expect(await runStep(job!)).toMatchObject({ done: true, status: 'completed' });
    const report = reportOf(job!);
    expect(report.rows.map((row) => row.outcome)).toEqual(['would-delete', 'rejected', 'would-delete']);
    expect(report.rows[1]?.reason).toBe('protected');
    expect(report.account).toEqual({ host: new URL(prod.url).host, accountId: PROD_ID, name: 'prod' });
    expect(callsOf(sandbox)).toBe(sandboxBefore);
    const summary = lastSummary();
    expect(summary.account).toEqual({ name: 'prod', host: new URL(prod.url).host, accountId: PROD_ID });
    expect(snsMock.commandCalls(PublishCommand).at(-1)!.args[0].input.Subject).toContain('[prod]');
    expect(JSON.stringify(summary)).not.toContain('client-secret-value');
  });

  it('the sandbox’s own overrides: no reviewed plan needed, and its count budget of 1', async () => {
    const prodBefore = callsOf(prod);
    const tooMany = await upload('live/sandbox/two.csv', idsCsv(sandbox, 0, 2));
    expect(await runStep(tooMany!)).toMatchObject({ done: true, status: 'rejected' });
    expect(reportOf(tooMany!).error?.code).toBe('over-budget');
    expect(sandbox.stats().deletions).toHaveLength(0);

    const target = sandbox.users()[5]!.id;
    const one = await upload('live/sandbox/one.csv', `id\n${target}\n`);
    expect(await runStep(one!)).toMatchObject({ done: true, status: 'completed' });
    expect(reportOf(one!).rows.map((row) => row.outcome)).toEqual(['deleted']);
    expect(sandbox.stats().deletions.map((deletion) => deletion.id)).toEqual([target]);
    expect(callsOf(prod)).toBe(prodBefore);
  });

  it('a live run under prod/ still needs prod’s reviewed plan: the stack’s default holds for prod', async () => {
    const job = await upload('live/prod/unreviewed.csv', idsCsv(prod, 10, 1));
    expect(await runStep(job!)).toMatchObject({ done: true, status: 'rejected' });
    expect(reportOf(job!).error?.code).toBe('not-approved');
    expect(prod.stats().deletions).toHaveLength(0);
  });

  it('a plan is bound to its account: the sandbox’s dry run of a file never approves prod’s live run of it', async () => {
    const target = prod.users()[12]!.id;
    const csv = `id\n${target}\n`;
    const sandboxDry = await upload('dry-run/sandbox/shared.csv', csv);
    expect(await runStep(sandboxDry!)).toMatchObject({ done: true, status: 'completed' });
    const prodLive = await upload('live/prod/shared.csv', csv);
    expect(await runStep(prodLive!)).toMatchObject({ done: true, status: 'rejected' });
    expect(reportOf(prodLive!).error?.code).toBe('not-approved');

    const prodDry = await upload('dry-run/prod/shared.csv', csv);
    expect(await runStep(prodDry!)).toMatchObject({ done: true, status: 'completed' });
    const approved = await upload('live/prod/shared.csv', csv, 'v2');
    expect(await runStep(approved!)).toMatchObject({ done: true, status: 'completed' });
    expect(reportOf(approved!).rows.map((row) => row.outcome)).toEqual(['deleted']);
    expect(prod.stats().deletions.map((deletion) => deletion.id)).toEqual([target]);
  });

  it.each([
    ['dry-run/staging/leavers.csv', 'reports/dry-run/staging/leavers/'],
    ['live/leavers.csv', 'reports/live/leavers/'],
    ['suspend/Prod/leavers.csv', 'reports/suspend/Prod/leavers/'],
  ])('an upload to %s (no known account folder) is refused with a report and starts nothing', async (key, folder) => {
    const before = callsOf(prod) + callsOf(sandbox);
    expect(await upload(key, idsCsv(prod, 0, 1))).toBeUndefined();
    const reportKey = [...bucket.objects.keys()].find(
      (each) => each.startsWith(folder) && each.endsWith('report.json'),
    );
    expect(reportKey).toBeDefined();
    const report = bucket.json<ReportDocument>(reportKey!)!;
    expect(report.job.status).toBe('rejected');
    expect(report.error?.code).toBe('unknown-account');
    expect(report.error?.message).toContain('Known accounts: mixup, prod, sandbox');
    expect(report.summary.apiCalls).toBe(0);
    expect(callsOf(prod) + callsOf(sandbox)).toBe(before);
  });

  it('a secret whose account_id is not the token’s account is refused after the token call alone', async () => {
    const before = sandbox.stats().calls;
    const job = await upload('dry-run/mixup/leavers.csv', idsCsv(sandbox, 10, 2));
    expect(await runStep(job!)).toMatchObject({ done: true, status: 'rejected' });
    const report = reportOf(job!);
    expect(report.error?.code).toBe('wrong-account');
    expect(report.rows.map((row) => row.reason)).toEqual(['wrong-account', 'wrong-account']);
    const after = sandbox.stats().calls;
    const delta = Object.fromEntries(
      Object.entries(after).map(([kind, count]) => [kind, count - before[kind as keyof typeof before]]),
    );
    expect(delta.token).toBeLessThanOrEqual(1);
    expect(Object.entries(delta).filter(([kind, count]) => kind !== 'token' && count !== 0)).toEqual([]);
    expect(sandbox.stats().deletions).toHaveLength(1);
  });
});
