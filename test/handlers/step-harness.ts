// Shared set-up for step/finalize tests: a mocked S3 bucket, the OneLogin emulator on loopback with a fake clock, recorded notifications.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createSnsNotifier } from '../../lambda/adapters/aws-sns-notifier.ts';
import { S3InputSource } from '../../lambda/adapters/s3-input-source.ts';
import { S3ObjectStore } from '../../lambda/adapters/s3-object-store.ts';
import { createSecretSettingsLoader } from '../../lambda/adapters/secret-settings.ts';
import type { OneLoginEmulator, RateLimitConfig } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import type { Clock, Logger } from '../../lambda/engine/ports.ts';
import type { JobInput } from '../../lambda/handlers/handler-contract.ts';
import type { StepDeps } from '../../lambda/handlers/handler-types.ts';
import { jobIdFor, reportPrefixFor, statePrefixFor } from '../../lambda/handlers/job-naming.ts';
import type { RunMetrics } from '../../lambda/handlers/observability.ts';
import { uploadKindOf } from '../../lambda/handlers/upload-kinds.ts';
import type { RunSummaryMessage } from '../../lambda/shared/run-summary-message.ts';
import type { MockBucket } from '../adapters/mock-s3-bucket.ts';
import { mockS3Bucket } from '../adapters/mock-s3-bucket.ts';

export const BUCKET = 'jobs-bucket';
export const CLIENT_ID = 'step-test-client-id-7f3a';
export const CLIENT_SECRET = 'step-test-client-secret-9c1d';
export const TOPIC = 'arn:aws:sns:us-east-1:123456789012:runs';
export const SECRET_ID = 'onelogin/api';

export interface LoggedLine {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

export interface StepHarness {
  bucket: MockBucket;
  emulator: OneLoginEmulator;
  clock: Clock & { advance(ms: number): void };
  deps: StepDeps;
  lines: LoggedLine[];
  notifications: RunSummaryMessage[];
  published: () => Array<{ Subject?: string; Message?: string }>;
  metrics: Array<{ mode: string; counts: Record<string, number> }>;
  setSecret(text: string | undefined): void;
  job(key: string, csv: string, versionId?: string): JobInput;
  close(): Promise<void>;
}

export async function startStepHarness(
  options: { users?: number; rateLimit?: RateLimitConfig | null } = {},
): Promise<StepHarness> {
  let now = Date.UTC(2026, 10, 28, 12);
  const clock = {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
  const emulator = await createOneLoginEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    tenant: { seed: 7, count: options.users ?? 60, directoryShare: 0 },
    rateLimit: options.rateLimit ?? null,
    host: '127.0.0.1',
    port: 0,
    now: () => now,
  });
  const bucket = mockS3Bucket(BUCKET);
  const secretsMock = mockClient(SecretsManagerClient);
  const snsMock = mockClient(SNSClient);
  snsMock.on(PublishCommand).resolves({ MessageId: 'm' });
  let secretText: string | undefined = JSON.stringify({
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    api_url: emulator.url,
  });
  secretsMock.on(GetSecretValueCommand, { SecretId: SECRET_ID }).callsFake(() => {
    if (secretText === undefined)
      throw Object.assign(new Error('Secrets Manager can’t find the specified secret.'), {
        name: 'ResourceNotFoundException',
      });
    return { SecretString: secretText };
  });
  const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
  const sns = createSnsNotifier(new SNSClient({ region: 'us-east-1', credentials }), TOPIC);
  const lines: LoggedLine[] = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  const notifications: RunSummaryMessage[] = [];
  const metrics: Array<{ mode: string; counts: Record<string, number> }> = [];
  const runMetrics: RunMetrics = { publish: (mode, counts) => metrics.push({ mode, counts }) };
  const deps: StepDeps = {
    storeFor: (name) => new S3ObjectStore(bucket.s3, name),
    inputFor: (job) => new S3InputSource(bucket.s3, job.bucket, job.key, job.versionId),
    // maxAgeMs 0: every step reads the secret again, so a test can change it between steps.
    loadSettings: createSecretSettingsLoader({
      client: new SecretsManagerClient({ region: 'us-east-1', credentials }),
      secretId: SECRET_ID,
      maxAgeMs: 0,
    }),
    notify: async (message) => {
      notifications.push(message);
      await sns(message);
    },
    logger,
    clock,
    // Live jobs resolve their rows themselves unless a test turns the plan binding on (test/handlers/plan-binding.test.ts).
    options: { maxPercent: 100, rateShare: 0.5, concurrency: 2, safetyMarginMs: 60_000, requireReviewedPlan: false },
    metrics: runMetrics,
    clientOverrides: { retryBaseMs: 1, retryCapMs: 5, requestTimeoutMs: 5_000 },
  };
  return {
    bucket,
    emulator,
    clock,
    deps,
    lines,
    notifications,
    published: () => snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input),
    metrics,
    setSecret: (text) => {
      secretText = text;
    },
    job(key, csv, versionId = 'v1') {
      bucket.objects.set(key, Buffer.from(csv));
      const jobId = jobIdFor({ bucket: BUCKET, key, versionId });
      const kind = uploadKindOf(key);
      return {
        jobId,
        bucket: BUCKET,
        key,
        versionId,
        mode: kind?.mode ?? 'dry-run',
        ...(kind === undefined || kind.action === 'delete' ? {} : { action: kind.action }),
        reportPrefix: reportPrefixFor(key, jobId),
        statePrefix: statePrefixFor(jobId),
      };
    },
    async close() {
      bucket.restore();
      secretsMock.restore();
      snsMock.restore();
      await emulator.close();
    },
  };
}

/** A Lambda context with `ms` left. */
export function contextWith(ms: number): { getRemainingTimeInMillis(): number } {
  return { getRemainingTimeInMillis: () => ms };
}

export function totalCalls(emulator: OneLoginEmulator): number {
  return Object.values(emulator.stats().calls).reduce((sum, value) => sum + value, 0);
}
