// The step and finalize handlers' settings, read from the environment the stack sets, through the one settings module.
import type { JobOptions } from '../engine/job.ts';
import { booleanFromEnv } from '../settings/boolean-setting.ts';
import { choiceFromEnv } from '../settings/choice-setting.ts';
import { PLAN_MAX_AGE_HOURS, REQUIRE_REVIEWED_PLAN, REQUIRE_SECOND_APPROVER } from '../settings/plan-settings.ts';
import { protectFromEnvText } from '../settings/protect-list.ts';
import { numberFromEnv } from '../settings/resolve-setting.ts';
import {
  ALLOW_DIRECTORY_USERS,
  API_URL_OVERRIDE,
  CONCURRENCY,
  MAX_DELETIONS,
  MAX_PERCENT,
  PROTECT,
  RATE_SHARE,
  SAFETY_MARGIN_MS,
} from '../settings/run-settings.ts';
import type { SnapshotDetail } from '../settings/undo-settings.ts';
import { DELETE_ONLY_SUSPENDED, SNAPSHOT_DETAIL } from '../settings/undo-settings.ts';

export interface StepHandlerOptions {
  /** Default 10 (docs/outcomes.md, over-budget); 100 lifts the budget. */
  maxPercent: number;
  maxDeletions?: number;
  /** Share (0–1] of the account's rate limit this product may use. Default 0.8. */
  rateShare: number;
  /** OneLogin requests in flight. Default 4. */
  concurrency: number;
  /** Time kept in hand before the Lambda timeout to save the checkpoint. Default 60 s. */
  safetyMarginMs: number;
  /** Replaces the host named in the secret (local runs and the emulator). */
  apiUrlOverride?: string;
  /** Values may be refused by the engine (`invalid-protect`, a rejected report) when the env was set by hand. */
  protect: string[];
  /** A live upload needs a completed dry run of the same bytes under the same name (docs/plans.md). Default true. */
  requireReviewedPlan: boolean;
  /** Hours a dry run's plan approves a live run. Default 72. */
  planMaxAgeHours: number;
  /** The live upload's principal must differ from the dry run's. Default false. */
  requireSecondApprover: boolean;
  /** Default false: directory users are rejected `directory-managed`. */
  allowDirectoryUsers?: boolean;
  /** A deletion is refused for a user not suspended at delete time (`not-suspended`). Default false. */
  deleteOnlySuspended?: boolean;
  /** What snapshot.jsonl keeps (docs/undo.md). Default 'full'. */
  snapshotDetail?: SnapshotDetail;
}

/** Throws SettingsError naming the variable when a set value is not acceptable: a misconfigured stack must fail loudly, not run with defaults. */
export function stepOptionsFromEnv(env: NodeJS.ProcessEnv): StepHandlerOptions {
  const options: StepHandlerOptions = {
    maxPercent: numberFromEnv(MAX_PERCENT, env),
    rateShare: numberFromEnv(RATE_SHARE, env),
    concurrency: numberFromEnv(CONCURRENCY, env),
    safetyMarginMs: numberFromEnv(SAFETY_MARGIN_MS, env),
    protect: protectFromEnvText(env[PROTECT.env]),
    requireReviewedPlan: booleanFromEnv(REQUIRE_REVIEWED_PLAN, env),
    planMaxAgeHours: numberFromEnv(PLAN_MAX_AGE_HOURS, env),
    requireSecondApprover: booleanFromEnv(REQUIRE_SECOND_APPROVER, env),
    allowDirectoryUsers: booleanFromEnv(ALLOW_DIRECTORY_USERS, env),
    deleteOnlySuspended: booleanFromEnv(DELETE_ONLY_SUSPENDED, env),
    snapshotDetail: choiceFromEnv(SNAPSHOT_DETAIL, env),
  };
  const maxDeletions = numberFromEnv(MAX_DELETIONS, env);
  if (maxDeletions !== undefined) options.maxDeletions = maxDeletions;
  const override = env[API_URL_OVERRIDE.env]?.trim();
  if (override !== undefined && override !== '') options.apiUrlOverride = override;
  return options;
}

export function jobOptionsFrom(
  options: Pick<
    StepHandlerOptions,
    'maxPercent' | 'maxDeletions' | 'protect' | 'allowDirectoryUsers' | 'deleteOnlySuspended' | 'snapshotDetail'
  > &
    Partial<Pick<StepHandlerOptions, 'planMaxAgeHours'>>,
): JobOptions {
  const job: JobOptions = { protect: [...options.protect], maxPercent: options.maxPercent };
  job.planMaxAgeHours = options.planMaxAgeHours ?? PLAN_MAX_AGE_HOURS.default;
  if (options.allowDirectoryUsers === true) job.allowDirectoryUsers = true;
  if (options.maxDeletions !== undefined) job.maxDeletions = options.maxDeletions;
  if (options.deleteOnlySuspended === true) job.onlySuspended = true;
  job.snapshot = options.snapshotDetail ?? SNAPSHOT_DETAIL.default;
  return job;
}
