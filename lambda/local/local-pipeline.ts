// The S3-triggered pipeline on this machine: s3rver events → the on-upload handler → an in-process Step Functions
// loop over the step handler (finalize on stop) → report objects in the same bucket, against the OneLogin emulator.
// The handlers are the ones deployed on AWS; only their adapters' endpoints differ.
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { S3InputSource } from '../adapters/s3-input-source.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import type { OneLoginSettings } from '../adapters/secret-settings.ts';
import { settingsFromJson } from '../adapters/secret-settings.ts';
import type { EmulatorOptions, OneLoginEmulator } from '../emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../emulator/onelogin-emulator.ts';
import type { Logger } from '../engine/ports.ts';
import { silentLogger } from '../engine/ports.ts';
import { createFinalizeHandler } from '../handlers/finalize-handler.ts';
import type { JobInput } from '../handlers/handler-contract.ts';
import { REPORTS_PREFIX } from '../handlers/handler-contract.ts';
import type { StepHandlerOptions } from '../handlers/handler-options.ts';
import { createOnUploadHandler } from '../handlers/on-upload-handler.ts';
import { createStepHandler } from '../handlers/step-handler.ts';
import { booleanOrDefault } from '../settings/boolean-setting.ts';
import { PLAN_MAX_AGE_HOURS, REQUIRE_REVIEWED_PLAN, REQUIRE_SECOND_APPROVER } from '../settings/plan-settings.ts';
import { normalizeProtectList } from '../settings/protect-list.ts';
import { numberOrDefault } from '../settings/resolve-setting.ts';
import {
  ALLOW_DIRECTORY_USERS,
  CONCURRENCY,
  MAX_DELETIONS,
  MAX_PERCENT,
  RATE_SHARE,
  SAFETY_MARGIN_MS,
} from '../settings/run-settings.ts';
import type { RunSummaryMessage } from '../shared/run-summary-message.ts';
import { DEMO_CREDENTIALS, DEMO_RATE_LIMIT, LOCAL_BUCKET } from './demo-settings.ts';
import { demoTenantUsers } from './demo-tenant.ts';
import { JOB_FUNCTION_ARNS } from './job-definition.ts';
import type { LocalS3 } from './local-s3.ts';
import { listKeys, putObject, readText, startLocalS3, uploadPrincipalOf } from './local-s3.ts';
import type { ExecutionRecord, LocalStepFunctions } from './local-step-functions.ts';
import { createLocalStepFunctions } from './local-step-functions.ts';
import type { S3EventBridge } from './s3-event-bridge.ts';
import { createS3EventBridge } from './s3-event-bridge.ts';
import { createScaledClock } from './scaled-clock.ts';

export interface LocalPipelineOptions {
  /** s3rver port; 0 (default) picks a free one. */
  port?: number;
  /** s3rver's folder; a fresh temporary folder, removed on close, when absent. */
  directory?: string;
  bucket?: string;
  /** A running emulator and the credentials it accepts; otherwise one is started with the demo tenant. */
  emulator?: { instance: OneLoginEmulator; clientId: string; clientSecret: string };
  /** Changes to the demo emulator's options (ignored when `emulator` is given). */
  emulatorOptions?: Partial<EmulatorOptions>;
  /** The secret's JSON text as Secrets Manager would return it; null = the secret does not exist. Default: the emulator's credentials with api_url = its URL. */
  secretJson?: string | null;
  /** The step Lambda's timeout as its context reports it (default 60 s). */
  stepTimeMs?: number;
  /**
   * How many times faster than real time the environment runs (default 1): the emulator's rate-limit windows, the
   * handlers' pacing and step deadlines, and the waits between steps all use one clock running this fast.
   */
  timeScale?: number;
  maxPercent?: number;
  maxDeletions?: number;
  /**
   * Ids, usernames or emails that must never be deleted (the stack's PROTECTED_USERS). Not checked here: like a hand-set
   * env var on AWS, a value that cannot be an identifier gives a rejected report (`invalid-protect`).
   */
  protect?: string[];
  /** The stack's allowDirectoryUsers (default false). */
  allowDirectoryUsers?: boolean;
  rateShare?: number;
  concurrency?: number;
  safetyMarginMs?: number;
  /** The stack's plan settings (docs/plans.md); defaults as deployed: a live upload needs its reviewed dry run. */
  requireReviewedPlan?: boolean;
  planMaxAgeHours?: number;
  requireSecondApprover?: boolean;
  logger?: Logger;
  /** Called for execution milestones (started, waiting, succeeded, aborted, failed). */
  onExecution?: (message: string, execution: ExecutionRecord) => void;
}

export interface LocalPipeline {
  readonly bucket: string;
  readonly s3Endpoint: string;
  readonly s3Port: number;
  readonly directory: string;
  readonly s3: S3Client;
  readonly emulator: OneLoginEmulator;
  readonly stepFunctions: LocalStepFunctions;
  readonly events: S3EventBridge;
  /** SNS messages the handlers published. */
  readonly notifications: readonly RunSummaryMessage[];
  /** `principal`: who uploads it, as the S3 event's userIdentity.principalId will say (second-approver rule). */
  upload(key: string, body: string | Uint8Array, options?: { principal?: string }): Promise<void>;
  /** As if s3rver (raw key) had emitted this event again: at-least-once delivery. */
  injectEvent(event: S3Event): void;
  /** Until no event is queued and no execution runs. */
  waitForIdle(): Promise<void>;
  waitForJob(jobId: string): Promise<ExecutionRecord>;
  /** The execution started for an uploaded key (the latest one), after its events have been handled. */
  waitForKey(key: string): Promise<ExecutionRecord>;
  executions(): ExecutionRecord[];
  stop(jobId: string): Promise<boolean>;
  listReports(prefix?: string): Promise<string[]>;
  readObject(key: string): Promise<string>;
  /** The file in which s3rver holds an object (for people who want to open a report). */
  localPathOf(key: string): string;
  close(): Promise<void>;
}

export async function startLocalPipeline(options: LocalPipelineOptions = {}): Promise<LocalPipeline> {
  // Checked before anything starts, so a refused setting leaves nothing running.
  const runSettings = localRunSettings(options);
  const bucket = options.bucket ?? LOCAL_BUCKET;
  const clock = createScaledClock(options.timeScale ?? 1);
  const logger = options.logger ?? silentLogger;
  const ownsEmulator = options.emulator === undefined;
  const emulatorSetup =
    options.emulator ??
    ({
      instance: await createOneLoginEmulator({
        ...(options.emulatorOptions?.tenant || options.emulatorOptions?.users ? {} : { users: demoTenantUsers() }),
        clientId: DEMO_CREDENTIALS.clientId,
        clientSecret: DEMO_CREDENTIALS.clientSecret,
        rateLimit: DEMO_RATE_LIMIT,
        host: '127.0.0.1',
        port: 0,
        now: () => clock.now(),
        ...options.emulatorOptions,
      }),
      clientId: options.emulatorOptions?.clientId ?? DEMO_CREDENTIALS.clientId,
      clientSecret: options.emulatorOptions?.clientSecret ?? DEMO_CREDENTIALS.clientSecret,
    } as const);
  const emulator = emulatorSetup.instance;

  const secretJson =
    options.secretJson !== undefined
      ? options.secretJson
      : JSON.stringify({
          client_id: emulatorSetup.clientId,
          client_secret: emulatorSetup.clientSecret,
          api_url: emulator.url,
        });
  const loadSettings = async (): Promise<OneLoginSettings> => {
    if (secretJson === null) {
      const missing = new Error('Secrets Manager can’t find the specified secret.');
      missing.name = 'ResourceNotFoundException';
      throw missing;
    }
    return settingsFromJson(secretJson);
  };

  const notifications: RunSummaryMessage[] = [];
  let bridge: S3EventBridge | undefined;
  let s3Server: LocalS3;
  try {
    s3Server = await startLocalS3({
      bucket,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.directory === undefined ? {} : { directory: options.directory }),
      onEvent: (event) => bridge?.accept(event),
    });
  } catch (error) {
    if (ownsEmulator) await emulator.close();
    throw error;
  }
  const s3 = s3Server.client;
  const storeFor = (name: string): S3ObjectStore => new S3ObjectStore(s3, name);
  const inputFor = (job: JobInput): S3InputSource => new S3InputSource(s3, job.bucket, job.key, job.versionId);

  const handlerDeps = {
    storeFor,
    inputFor,
    loadSettings,
    notify: async (message: RunSummaryMessage) => {
      notifications.push(message);
    },
    logger,
    clock,
    options: runSettings,
  };
  const finalize = createFinalizeHandler(handlerDeps);
  const stepFunctions = createLocalStepFunctions({
    functions: { [JOB_FUNCTION_ARNS.step]: createStepHandler(handlerDeps), [JOB_FUNCTION_ARNS.finalize]: finalize },
    onExecutionEnded: (event) => finalize(event),
    ...(options.stepTimeMs === undefined ? {} : { stepTimeMs: options.stepTimeMs }),
    waitScale: 1 / (options.timeScale ?? 1),
    now: () => clock.now(),
    onEvent: (message, execution) => {
      logger.info(`execution ${message}`, { jobId: execution.name, key: execution.input.key, steps: execution.steps });
      options.onExecution?.(message, execution);
    },
  });
  const onUpload = createOnUploadHandler({
    startExecution: (input) => stepFunctions.startExecution(input),
    storeFor,
    logger,
    clock,
  });
  bridge = createS3EventBridge(
    onUpload,
    (key, error) =>
      logger.error('on-upload failed', { key, error: error instanceof Error ? error.message : String(error) }),
    (name, key) => uploadPrincipalOf(s3, name, key),
  );
  const events = bridge;

  const waitForIdle = async (): Promise<void> => {
    do {
      await events.idle();
      await stepFunctions.idle();
    } while (stepFunctions.running() > 0);
  };

  return {
    bucket,
    s3Endpoint: s3Server.endpoint,
    s3Port: s3Server.port,
    directory: s3Server.directory,
    s3,
    emulator,
    stepFunctions,
    events,
    notifications,
    upload: (key, body, uploadOptions) => putObject(s3, bucket, key, body, 'text/csv', uploadOptions?.principal),
    injectEvent: (event) => events.accept(event),
    waitForIdle,
    waitForJob: async (jobId) => {
      await events.idle();
      return stepFunctions.waitFor(jobId);
    },
    async waitForKey(key) {
      await events.idle();
      const execution = stepFunctions
        .list()
        .filter((candidate) => candidate.input.key === key)
        .at(-1);
      if (!execution) throw new Error(`no execution was started for ${key}`);
      return stepFunctions.waitFor(execution.name);
    },
    executions: () => stepFunctions.list(),
    stop: (jobId) => stepFunctions.stop(jobId),
    listReports: (prefix = REPORTS_PREFIX) => listKeys(s3, bucket, prefix),
    readObject: (key) => readText(s3, bucket, key),
    localPathOf: (key) => s3Server.localPathOf(key),
    async close() {
      await events.idle();
      const running = stepFunctions.list().filter((execution) => execution.status === 'RUNNING');
      await Promise.all(running.map((execution) => stepFunctions.stop(execution.name)));
      await stepFunctions.idle();
      await s3Server.close();
      if (ownsEmulator) await emulator.close();
    },
  };
}

/** A local step runs 60 s by default, so it keeps 5 s in hand rather than the deployed default of a minute. */
const LOCAL_SAFETY_MARGIN_MS = 5_000;

/** The handlers' settings from the options, through the same checks the stack's env vars get. */
function localRunSettings(options: LocalPipelineOptions): StepHandlerOptions {
  const maxDeletions = numberOrDefault(MAX_DELETIONS, options.maxDeletions, MAX_DELETIONS.key);
  return {
    maxPercent: numberOrDefault(MAX_PERCENT, options.maxPercent, MAX_PERCENT.key),
    ...(maxDeletions === undefined ? {} : { maxDeletions }),
    rateShare: numberOrDefault(RATE_SHARE, options.rateShare, RATE_SHARE.key),
    concurrency: numberOrDefault(CONCURRENCY, options.concurrency, CONCURRENCY.key),
    safetyMarginMs: numberOrDefault(
      SAFETY_MARGIN_MS,
      options.safetyMarginMs ?? LOCAL_SAFETY_MARGIN_MS,
      SAFETY_MARGIN_MS.key,
    ),
    protect: normalizeProtectList(options.protect ?? []),
    requireReviewedPlan: booleanOrDefault(
      REQUIRE_REVIEWED_PLAN,
      options.requireReviewedPlan,
      REQUIRE_REVIEWED_PLAN.key,
    ),
    planMaxAgeHours: numberOrDefault(PLAN_MAX_AGE_HOURS, options.planMaxAgeHours, PLAN_MAX_AGE_HOURS.key),
    requireSecondApprover: booleanOrDefault(
      REQUIRE_SECOND_APPROVER,
      options.requireSecondApprover,
      REQUIRE_SECOND_APPROVER.key,
    ),
    allowDirectoryUsers: booleanOrDefault(
      ALLOW_DIRECTORY_USERS,
      options.allowDirectoryUsers,
      ALLOW_DIRECTORY_USERS.key,
    ),
  };
}
