// What the handler factories take: their dependencies and the Lambda context they read. Apart from the handlers, so
// that the AWS wiring, the local pipeline and the tests build dependencies without importing a handler.
import type { ListableObjectStore } from '../adapters/s3-object-store.ts';
import type { OneLoginSettings } from '../adapters/secret-settings.ts';
import type { Clock, InputSource, Logger, ObjectStore } from '../engine/ports.ts';
import type { AccountsSetting } from '../settings/accounts-setting.ts';
import type { RunSummaryMessage } from '../shared/run-summary-message.ts';
import type { ClientOverrides } from './directory-provider.ts';
import type { JobInput } from './handler-contract.ts';
import type { StepHandlerOptions } from './handler-options.ts';
import type { RunMetrics } from './observability.ts';

export type { StepHandlerOptions } from './handler-options.ts';

/** Settings left out take their defaults: no protect values, 60 s margin, and the plan settings' defaults (plan-settings.ts). */
type DefaultedOption =
  | 'protect'
  | 'safetyMarginMs'
  | 'requireReviewedPlan'
  | 'planMaxAgeHours'
  | 'requireSecondApprover';
export type StepOptions = Omit<StepHandlerOptions, DefaultedOption> &
  Partial<Pick<StepHandlerOptions, DefaultedOption>>;

export interface StepDeps {
  /** Listable: a live job finds its reviewed plan under reports/dry-run/. */
  storeFor(bucket: string): ListableObjectStore;
  inputFor(job: JobInput): InputSource;
  /** `account`: the account folder's name when the stack serves several (its own secret); absent: the one secret. */
  loadSettings(account?: string): Promise<OneLoginSettings>;
  /** The accounts the stack serves (account-routing.ts); absent: one secret serves every key. */
  accounts?: AccountsSetting;
  notify(message: RunSummaryMessage): Promise<void>;
  logger: Logger;
  clock: Clock;
  options: StepOptions;
  metrics?: RunMetrics;
  /** Extra client options (tests: fast retries, an undici dispatcher). Host, credentials and pacing come from settings and options. */
  clientOverrides?: ClientOverrides;
}

/** The same dependencies as the step; `loadSettings` serves only to check DELETEs that were in flight when the job stopped. */
export type FinalizeDeps = StepDeps;

export interface OnUploadDeps {
  /** 'duplicate' when an execution of that name already exists. */
  startExecution(input: JobInput): Promise<'started' | 'duplicate'>;
  storeFor(bucket: string): ObjectStore;
  logger: Logger;
  clock?: Clock;
  /** The accounts the stack serves (account-routing.ts); absent: one secret serves every key. */
  accounts?: AccountsSetting;
}

/** The part of the Lambda context the step reads. */
export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}
