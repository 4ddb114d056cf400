// The step and finalize handlers' settings, read from the environment the stack sets (handler-contract.ts ENV).
import type { JobOptions } from '../engine/job.ts';
import { ENV } from './handler-contract.ts';

export interface StepHandlerOptions {
  /** Default 10 (docs/outcomes.md, over-budget); 100 lifts the budget. */
  maxPercent: number;
  maxDeletions?: number;
  /** Share (0–1) of the account's rate limit this product may use. Default 0.8. */
  rateShare: number;
  /** OneLogin requests in flight. Default 4. */
  concurrency: number;
  /** Time kept in hand before the Lambda timeout to save the checkpoint. Default 60 s. */
  safetyMarginMs: number;
  /** Replaces the host named in the secret (local runs and the emulator). */
  apiUrlOverride?: string;
  protect: string[];
}

export const DEFAULT_STEP_OPTIONS: StepHandlerOptions = {
  maxPercent: 10,
  rateShare: 0.8,
  concurrency: 4,
  safetyMarginMs: 60_000,
  protect: [],
};

/** Throws with the variable's name when a set value is not acceptable: a misconfigured stack must fail loudly, not run with defaults. */
export function stepOptionsFromEnv(env: NodeJS.ProcessEnv): StepHandlerOptions {
  const options: StepHandlerOptions = { ...DEFAULT_STEP_OPTIONS, protect: [] };
  const number = (name: string, min: number, max: number, integer: boolean): number | undefined => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new Error(
        `environment variable ${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`,
      );
    }
    return value;
  };
  options.maxPercent = number(ENV.maxPercent, 0, 100, false) ?? options.maxPercent;
  const maxDeletions = number(ENV.maxDeletions, 0, Number.MAX_SAFE_INTEGER, true);
  if (maxDeletions !== undefined) options.maxDeletions = maxDeletions;
  options.rateShare = number(ENV.rateShare, 0.01, 1, false) ?? options.rateShare;
  options.concurrency = number(ENV.concurrency, 1, 64, true) ?? options.concurrency;
  options.safetyMarginMs = number(ENV.safetyMarginMs, 1_000, 600_000, true) ?? options.safetyMarginMs;
  const override = env[ENV.apiUrlOverride]?.trim();
  if (override !== undefined && override !== '') options.apiUrlOverride = override;
  options.protect = (env[ENV.protect] ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  return options;
}

export function jobOptionsFrom(
  options: Pick<StepHandlerOptions, 'maxPercent' | 'maxDeletions' | 'protect'>,
): JobOptions {
  const job: JobOptions = { protect: [...options.protect], maxPercent: options.maxPercent };
  if (options.maxDeletions !== undefined) job.maxDeletions = options.maxDeletions;
  return job;
}
