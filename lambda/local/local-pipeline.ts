// The S3-triggered pipeline on this machine: s3rver events → the on-upload handler → an in-process Step Functions
// loop over the step handler (finalize on stop) → report objects in the same bucket, against the OneLogin emulator.
// The handlers are the ones deployed on AWS; only their adapters' endpoints differ.
import type { S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import type { EmulatorOptions, OneLoginEmulator } from '../emulator/emulator-types.ts';
import type { Logger } from '../engine/ports.ts';
import { silentLogger } from '../engine/ports.ts';
import { REPORTS_PREFIX } from '../handlers/handler-contract.ts';
import type { StepHandlerOptions } from '../handlers/handler-options.ts';
import { booleanOrDefault } from '../settings/boolean-setting.ts';
import { choiceOrDefault } from '../settings/choice-setting.ts';
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
import type { SnapshotDetail } from '../settings/undo-settings.ts';
import { DELETE_ONLY_SUSPENDED, SNAPSHOT_DETAIL } from '../settings/undo-settings.ts';
import type { RunSummaryMessage } from '../shared/run-summary-message.ts';
import { LOCAL_BUCKET } from './demo-settings.ts';
import type { LocalS3 } from './local-s3.ts';
import { listKeys, putObject, readText, startLocalS3 } from './local-s3.ts';
import type { ExecutionRecord, LocalStepFunctions } from './local-step-functions.ts';
import type { LocalAccountOptions, PipelineAccounts } from './pipeline-accounts.ts';
import { startPipelineAccounts } from './pipeline-accounts.ts';
import type { PipelineEmulator } from './pipeline-emulator.ts';
import { pipelineSecretJson, secretLoader, startDemoEmulator } from './pipeline-emulator.ts';
import { wirePipelineHandlers } from './pipeline-handlers.ts';
import type { S3EventBridge } from './s3-event-bridge.ts';
import { createScaledClock } from './scaled-clock.ts';

export interface LocalPipelineOptions {
  /** s3rver port; 0 (default) picks a free one. */
  port?: number;
  /** s3rver's folder; a fresh temporary folder, removed on close, when absent. */
  directory?: string;
  bucket?: string;
  /** A running emulator and the credentials it accepts; otherwise one is started with the demo tenant. */
  emulator?: PipelineEmulator;
  /** Changes to the demo emulator's options (ignored when `emulator` is given). */
  emulatorOptions?: Partial<EmulatorOptions>;
  /** The secret's JSON text as Secrets Manager would return it; null = the secret does not exist. Default: the emulator's credentials with api_url = its URL. */
  secretJson?: string | null;
  /**
   * Several OneLogin accounts (docs/accounts.md): one emulator and one secret each, keys under `<prefix>/<account>/`.
   * `emulator`, `emulatorOptions` and `secretJson` are then ignored; `emulator` below is the first account's.
   */
  accounts?: Readonly<Record<string, LocalAccountOptions>>;
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
  /** The stack's deleteOnlySuspended (default false): a deletion spares users who are not suspended. */
  deleteOnlySuspended?: boolean;
  /** The stack's snapshotDetail (default 'full'). */
  snapshotDetail?: SnapshotDetail;
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
  /** Each account's emulator, by account name; empty without `accounts`. */
  readonly accountEmulators: Readonly<Record<string, OneLoginEmulator>>;
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
  const timeScale = options.timeScale ?? 1;
  const clock = createScaledClock(timeScale);
  const accounts = options.accounts === undefined ? undefined : await startPipelineAccounts(options.accounts, clock);
  const ownsEmulator = options.emulator === undefined && accounts === undefined;
  const emulatorSetup =
    firstEmulator(accounts) ?? options.emulator ?? (await startDemoEmulator(options.emulatorOptions, clock));
  const loadSettings = accounts?.loadSettings ?? secretLoader(pipelineSecretJson(options.secretJson, emulatorSetup));
  const notifications: RunSummaryMessage[] = [];
  let bridge: S3EventBridge | undefined;
  const s3Server = await startPipelineS3(
    options,
    bucket,
    (event) => bridge?.accept(event),
    ownsEmulator ? emulatorSetup.instance : undefined,
    accounts,
  );
  const { stepFunctions, events } = wirePipelineHandlers({
    s3: s3Server.client,
    loadSettings,
    ...(accounts === undefined ? {} : { accounts: accounts.setting }),
    notifications,
    logger: options.logger ?? silentLogger,
    clock,
    runSettings,
    ...(options.stepTimeMs === undefined ? {} : { stepTimeMs: options.stepTimeMs }),
    timeScale,
    ...(options.onExecution === undefined ? {} : { onExecution: options.onExecution }),
  });
  bridge = events;
  return assemblePipeline({
    bucket,
    s3Server,
    emulator: emulatorSetup.instance,
    ownsEmulator,
    accounts,
    stepFunctions,
    events,
    notifications,
  });
}

function firstEmulator(accounts: PipelineAccounts | undefined): PipelineEmulator | undefined {
  return accounts === undefined ? undefined : Object.values(accounts.emulators)[0];
}

/** s3rver serving `bucket`; an emulator started for the pipeline (`ownedEmulator`) is closed if s3rver fails to start. */
async function startPipelineS3(
  options: LocalPipelineOptions,
  bucket: string,
  onEvent: (event: S3Event) => void,
  ownedEmulator: OneLoginEmulator | undefined,
  accounts: PipelineAccounts | undefined,
): Promise<LocalS3> {
  try {
    return await startLocalS3({
      bucket,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.directory === undefined ? {} : { directory: options.directory }),
      onEvent,
    });
  } catch (error) {
    if (ownedEmulator) await ownedEmulator.close();
    await accounts?.close();
    throw error;
  }
}

interface PipelineParts {
  bucket: string;
  s3Server: LocalS3;
  emulator: OneLoginEmulator;
  /** Whether the pipeline started the emulator, and so closes it. */
  ownsEmulator: boolean;
  /** The accounts' emulators, which the pipeline started and closes. */
  accounts: PipelineAccounts | undefined;
  stepFunctions: LocalStepFunctions;
  events: S3EventBridge;
  notifications: RunSummaryMessage[];
}

function assemblePipeline(parts: PipelineParts): LocalPipeline {
  const { bucket, s3Server, stepFunctions, events } = parts;
  const s3 = s3Server.client;
  return {
    bucket,
    s3Endpoint: s3Server.endpoint,
    s3Port: s3Server.port,
    directory: s3Server.directory,
    s3,
    emulator: parts.emulator,
    accountEmulators: Object.fromEntries(
      Object.entries(parts.accounts?.emulators ?? {}).map(([name, emulator]) => [name, emulator.instance]),
    ),
    stepFunctions,
    events,
    notifications: parts.notifications,
    upload: (key, body, uploadOptions) =>
      putObject(
        s3,
        bucket,
        key,
        body,
        key.endsWith('.jsonl') ? 'application/x-ndjson' : 'text/csv',
        uploadOptions?.principal,
      ),
    injectEvent: (event) => events.accept(event),
    ...pipelineWaits(events, stepFunctions),
    executions: () => stepFunctions.list(),
    stop: (jobId) => stepFunctions.stop(jobId),
    listReports: (prefix = REPORTS_PREFIX) => listKeys(s3, bucket, prefix),
    readObject: (key) => readText(s3, bucket, key),
    localPathOf: (key) => s3Server.localPathOf(key),
    close: () => closePipeline(parts),
  };
}

function pipelineWaits(
  events: S3EventBridge,
  stepFunctions: LocalStepFunctions,
): Pick<LocalPipeline, 'waitForIdle' | 'waitForJob' | 'waitForKey'> {
  return {
    async waitForIdle() {
      do {
        await events.idle();
        await stepFunctions.idle();
      } while (stepFunctions.running() > 0);
    },
    async waitForJob(jobId) {
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
  };
}

/** Stops what still runs, then closes s3rver and, when the pipeline started it, the emulator. */
async function closePipeline(parts: PipelineParts): Promise<void> {
  const { stepFunctions } = parts;
  await parts.events.idle();
  const running = stepFunctions.list().filter((execution) => execution.status === 'RUNNING');
  await Promise.all(running.map((execution) => stepFunctions.stop(execution.name)));
  await stepFunctions.idle();
  await parts.s3Server.close();
  if (parts.ownsEmulator) await parts.emulator.close();
  await parts.accounts?.close();
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
    deleteOnlySuspended: booleanOrDefault(
      DELETE_ONLY_SUSPENDED,
      options.deleteOnlySuspended,
      DELETE_ONLY_SUSPENDED.key,
    ),
    snapshotDetail: choiceOrDefault(SNAPSHOT_DETAIL, options.snapshotDetail, SNAPSHOT_DETAIL.key),
  };
}
