// The step and finalize handlers' settings, read from the environment the stack sets, through the one settings module.
import type { JobOptions } from '../engine/job.ts';
import { booleanFromEnv } from '../settings/boolean-setting.ts';
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
  /** Default false: directory users are rejected `directory-managed`. */
  allowDirectoryUsers?: boolean;
}

/** Throws SettingsError naming the variable when a set value is not acceptable: a misconfigured stack must fail loudly, not run with defaults. */
export function stepOptionsFromEnv(env: NodeJS.ProcessEnv): StepHandlerOptions {
  const options: StepHandlerOptions = {
    maxPercent: numberFromEnv(MAX_PERCENT, env),
    rateShare: numberFromEnv(RATE_SHARE, env),
    concurrency: numberFromEnv(CONCURRENCY, env),
    safetyMarginMs: numberFromEnv(SAFETY_MARGIN_MS, env),
    protect: protectFromEnvText(env[PROTECT.env]),
    allowDirectoryUsers: booleanFromEnv(ALLOW_DIRECTORY_USERS, env),
  };
  const maxDeletions = numberFromEnv(MAX_DELETIONS, env);
  if (maxDeletions !== undefined) options.maxDeletions = maxDeletions;
  const override = env[API_URL_OVERRIDE.env]?.trim();
  if (override !== undefined && override !== '') options.apiUrlOverride = override;
  return options;
}

export function jobOptionsFrom(
  options: Pick<StepHandlerOptions, 'maxPercent' | 'maxDeletions' | 'protect' | 'allowDirectoryUsers'>,
): JobOptions {
  const job: JobOptions = { protect: [...options.protect], maxPercent: options.maxPercent };
  if (options.allowDirectoryUsers === true) job.allowDirectoryUsers = true;
  if (options.maxDeletions !== undefined) job.maxDeletions = options.maxDeletions;
  return job;
}
