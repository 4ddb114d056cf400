// The S3 binding of a live upload to its reviewed dry run (docs/plans.md, docs/s3-layout.md): one definition each, read
// by the construct (props and context), the handlers (env vars) and the local pipeline (options).
import type { NumberSetting } from './number-setting.ts';
import { SettingsError } from './settings-error.ts';

export interface BooleanSetting {
  readonly key: string;
  readonly env: string;
  readonly description: string;
  readonly default: boolean;
}

export const REQUIRE_REVIEWED_PLAN = {
  key: 'requireReviewedPlan',
  env: 'REQUIRE_REVIEWED_PLAN',
  description:
    'A live/<name>.csv upload runs only when a completed dry run of the same bytes under dry-run/<name>.csv made its plan; otherwise it is refused (not-approved).',
  default: true,
} as const satisfies BooleanSetting;

export const REQUIRE_SECOND_APPROVER = {
  key: 'requireSecondApprover',
  env: 'REQUIRE_SECOND_APPROVER',
  description:
    'The live upload must come from a different AWS principal than the dry-run upload it is bound to (the S3 event userIdentity.principalId).',
  default: false,
} as const satisfies BooleanSetting;

export const PLAN_MAX_AGE_HOURS = {
  key: 'planMaxAgeHours',
  flag: '--plan-max-age',
  env: 'PLAN_MAX_AGE_HOURS',
  description: 'A reviewed plan older than this many hours no longer approves a live run.',
  default: 72,
  integer: false,
  min: 0,
  minExclusive: true,
  max: 24 * 365,
} as const satisfies NumberSetting;

/** A typed value (construct prop, local option): undefined takes the default. */
export function booleanOrDefault(setting: BooleanSetting, value: unknown, label: string): boolean {
  if (value === undefined) return setting.default;
  if (typeof value !== 'boolean') throw new SettingsError([`${label} must be true or false, not ${String(value)}`]);
  return value;
}

/** An environment variable: unset or blank takes the default; anything but true/false is refused, naming the variable. */
export function booleanFromEnv(setting: BooleanSetting, env: Readonly<Record<string, string | undefined>>): boolean {
  const raw = env[setting.env]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return setting.default;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new SettingsError([`environment variable ${setting.env} must be true or false, not '${env[setting.env]}'`]);
}

/** From CDK context: a JSON boolean in cdk.json, or the text true/false from `-c key=value`. */
export function booleanFromText(setting: BooleanSetting, value: unknown, label: string): boolean | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && ['true', 'false'].includes(value.trim().toLowerCase())) {
    return value.trim().toLowerCase() === 'true';
  }
  throw new SettingsError([`${label} (${setting.key}) must be true or false, not ${JSON.stringify(value)}`]);
}

/** The environment variables through which the stack hands these settings to the step function. */
export const PLAN_SETTING_ENV = {
  requireReviewedPlan: REQUIRE_REVIEWED_PLAN.env,
  requireSecondApprover: REQUIRE_SECOND_APPROVER.env,
  planMaxAgeHours: PLAN_MAX_AGE_HOURS.env,
} as const;
