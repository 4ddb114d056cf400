// The exported `handler`s wired to (mocked) AWS: environment variables, module-level clients, and the same flow as on Lambda.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import type { JobInput } from '../../lambda/handlers/handler-contract.ts';
import { ENV } from '../../lambda/handlers/handler-contract.ts';
import { stepOptionsFromEnv } from '../../lambda/handlers/handler-options.ts';
import type { MockBucket } from '../adapters/mock-s3-bucket.ts';
import { mockS3Bucket } from '../adapters/mock-s3-bucket.ts';

describe('stepOptionsFromEnv', () => {
  it('uses the defaults when nothing is set', () => {
    expect(stepOptionsFromEnv({})).toEqual({
      maxPercent: 10,
      rateShare: 0.8,
      concurrency: 4,
      safetyMarginMs: 60_000,
      protect: [],
      requireReviewedPlan: true,
      planMaxAgeHours: 72,
      requireSecondApprover: false,
      allowDirectoryUsers: false,
      deleteOnlySuspended: false,
      snapshotDetail: 'full',
    });
  });

  it('reads every variable the stack sets', () => {
    expect(
      stepOptionsFromEnv({
        [ENV.maxPercent]: '2.5',
        [ENV.maxDeletions]: '40',
        [ENV.rateShare]: '0.5',
        [ENV.concurrency]: '2',
        [ENV.safetyMarginMs]: '90000',
        [ENV.apiUrlOverride]: 'http://127.0.0.1:9',
        [ENV.protect]: ' admin@example.com, 42 ,,',
        [ENV.requireReviewedPlan]: 'false',
        [ENV.planMaxAgeHours]: '12.5',
        [ENV.requireSecondApprover]: ' TRUE ',
        [ENV.allowDirectoryUsers]: 'TRUE',
        [ENV.deleteOnlySuspended]: 'true',
        [ENV.snapshotDetail]: ' Basic ',
      }),
    ).toEqual({
      maxPercent: 2.5,
      maxDeletions: 40,
      rateShare: 0.5,
      concurrency: 2,
      safetyMarginMs: 90_000,
      apiUrlOverride: 'http://127.0.0.1:9',
      protect: ['admin@example.com', '42'],
      requireReviewedPlan: false,
      planMaxAgeHours: 12.5,
      requireSecondApprover: true,
      allowDirectoryUsers: true,
      deleteOnlySuspended: true,
      snapshotDetail: 'basic',
    });
  });

  it.each([
    [ENV.maxPercent, '101'],
    [ENV.maxDeletions, '1.5'],
    [ENV.rateShare, '0'],
    [ENV.concurrency, 'four'],
    [ENV.requireReviewedPlan, 'yes'],
    [ENV.planMaxAgeHours, '0'],
    [ENV.allowDirectoryUsers, 'yes'],
    [ENV.deleteOnlySuspended, '1'],
    [ENV.snapshotDetail, 'minimal'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => stepOptionsFromEnv({ [name]: value })).toThrow(name);
  });
});

describe('exported handlers wired to mocked AWS', () => {
  const sfnMock = mockClient(SFNClient);
  const secretsMock = mockClient(SecretsManagerClient);
  const snsMock = mockClient(SNSClient);
  let bucket: MockBucket;
  let emulator: OneLoginEmulator;

  beforeAll(async () => {
    emulator = await createOneLoginEmulator({
      clientId: 'wired-id',
      clientSecret: 'wired-secret',
      tenant: { seed: 3, count: 20, directoryShare: 0 },
      host: '127.0.0.1',
      port: 0,
    });
    bucket = mockS3Bucket('wired-bucket');
    vi.stubEnv(ENV.stateMachineArn, 'arn:aws:states:us-east-1:1:stateMachine:jobs');
    vi.stubEnv(ENV.secretId, 'onelogin/api');
    vi.stubEnv(ENV.topicArn, 'arn:aws:sns:us-east-1:1:runs');
    vi.stubEnv(ENV.maxPercent, '100');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    secretsMock.on(GetSecretValueCommand, { SecretId: 'onelogin/api' }).resolves({
      SecretString: JSON.stringify({ client_id: 'wired-id', client_secret: 'wired-secret', api_url: emulator.url }),
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
    await emulator.close();
  });

  it('on-upload → step → report, then finalize leaves the finished job as is', async () => {
    const { handler: onUpload } = await import('../../lambda/handlers/on-upload.ts');
    const { handler: step } = await import('../../lambda/handlers/step.ts');
    const { handler: finalize } = await import('../../lambda/handlers/finalize.ts');
    const ids = emulator
      .users()
      .slice(0, 2)
      .map((user) => user.id);
    bucket.objects.set('dry-run/wired list.csv', Buffer.from(`id\n${ids.join('\n')}\n`));

    await onUpload({
      Records: [
        {
          eventName: 'ObjectCreated:Put',
          s3: {
            bucket: { name: 'wired-bucket' },
            object: { key: 'dry-run/wired+list.csv', versionId: 'v1', eTag: 'e', sequencer: '1' },
          },
        },
      ],
    } as never);
    const started = sfnMock.commandCalls(StartExecutionCommand);
    expect(started).toHaveLength(1);
    const input = JSON.parse(started[0]!.args[0].input.input!) as JobInput;
    expect(input.key).toBe('dry-run/wired list.csv');

    const output = await step(input, { getRemainingTimeInMillis: () => 900_000 });
    expect(output).toMatchObject({ done: true, status: 'completed' });
    expect(
      bucket
        .json<{ rows: Array<{ outcome: string }> }>(`${input.reportPrefix}report.json`)
        ?.rows.map((row) => row.outcome),
    ).toEqual(['would-delete', 'would-delete']);
    const published = snsMock.commandCalls(PublishCommand);
    expect(published).toHaveLength(1);
    expect(published[0]!.args[0].input.TopicArn).toBe('arn:aws:sns:us-east-1:1:runs');
    expect(published[0]!.args[0].input.Message).not.toContain('wired-secret');

    await expect(finalize({ ...input, error: { Error: 'Error', Cause: 'x' } })).resolves.toBe('already-finished');
  });
});
