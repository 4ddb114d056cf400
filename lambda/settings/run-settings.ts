// Every run setting in one place (issue 9): name, flag, env var, default, bounds and description. The CLI
// (parse-args.ts), the handlers' environment (handler-options.ts), the local pipeline and the construct's props all
// check values through the functions of number-setting.ts over these definitions, so they accept the same values.
import type { BooleanSetting } from './boolean-setting.ts';
import type { NumberSetting } from './number-setting.ts';

export const MAX_PERCENT = {
  key: 'maxPercent',
  flag: '--max-percent',
  env: 'MAX_PERCENT',
  description:
    "A live run that would delete more than this percentage of the account's users is refused; 100 lifts it.",
  default: 10,
  integer: false,
  min: 0,
  minExclusive: true,
  max: 100,
} as const satisfies NumberSetting;

export const MAX_DELETIONS = {
  key: 'maxDeletions',
  flag: '--max-deletions',
  env: 'MAX_DELETIONS',
  description: 'A live run that would delete more than this many users is refused (no count budget by default).',
  integer: true,
  min: 1,
  max: Number.MAX_SAFE_INTEGER,
} as const satisfies NumberSetting;

export const RATE_SHARE = {
  key: 'rateShare',
  flag: '--rate-share',
  env: 'RATE_SHARE',
  description:
    "Share of the account's OneLogin API rate limit a run may use: the limit is shared with every other integration.",
  default: 0.8,
  integer: false,
  min: 0,
  minExclusive: true,
  max: 1,
} as const satisfies NumberSetting;

export const CONCURRENCY = {
  key: 'concurrency',
  flag: '--concurrency',
  env: 'ONELOGIN_CONCURRENCY',
  description: 'OneLogin API requests in flight at once.',
  default: 4,
  integer: true,
  min: 1,
  max: 64,
} as const satisfies NumberSetting;

export const MAX_ATTEMPTS = {
  key: 'maxAttempts',
  flag: '--max-attempts',
  description: 'Attempts per OneLogin API call, the first included.',
  default: 6,
  integer: true,
  min: 1,
  max: 20,
} as const satisfies NumberSetting;

export const SAFETY_MARGIN_MS = {
  key: 'safetyMarginMs',
  env: 'STEP_SAFETY_MARGIN_MS',
  description: 'Milliseconds a step keeps in hand before its Lambda timeout to save its checkpoint.',
  default: 60_000,
  integer: true,
  min: 1_000,
  max: 600_000,
} as const satisfies NumberSetting;

/** The CLI reads the account id from ONELOGIN_ACCOUNT_ID too; on AWS it comes from the secret's `account_id`. */
export const ACCOUNT_ID_ENV = 'ONELOGIN_ACCOUNT_ID';

export const ACCOUNT_ID = {
  key: 'expectedAccountId',
  flag: '--account-id',
  description:
    "The OneLogin account the credentials must reach (the token's account_id); another account refuses the run (wrong-account).",
  integer: true,
  min: 1,
  max: Number.MAX_SAFE_INTEGER,
} as const satisfies NumberSetting;

/** The one definition the table-driven tests walk over. */
export const NUMBER_SETTINGS: readonly NumberSetting[] = [
  MAX_PERCENT,
  MAX_DELETIONS,
  RATE_SHARE,
  CONCURRENCY,
  MAX_ATTEMPTS,
  SAFETY_MARGIN_MS,
  ACCOUNT_ID,
];

export const PROTECT = {
  key: 'protect',
  flag: '--protect',
  env: 'PROTECTED_USERS',
  description: 'Ids, usernames or emails that must never be deleted; the env var holds them comma-separated.',
} as const;

export const REQUIRE_PLAN = {
  key: 'requirePlan',
  flag: '--require-plan',
  env: 'ONELOGIN_REQUIRE_PLAN',
  description: 'Refuse --live without --plan (a live run must execute a reviewed dry run).',
  default: false,
} as const;
export const ALLOW_DIRECTORY_USERS = {
  key: 'allowDirectoryUsers',
  flag: '--allow-directory-users',
  env: 'ALLOW_DIRECTORY_USERS',
  description:
    'Users synced from a directory (directory_id set) may be deleted; by default they are rejected directory-managed.',
  default: false,
} as const satisfies BooleanSetting;

export const API_URL_OVERRIDE = {
  key: 'apiUrlOverride',
  env: 'ONELOGIN_API_URL_OVERRIDE',
  description: 'Replaces the host named in the secret (local runs and the emulator).',
} as const;

/** The environment variables through which the stack hands run settings to its functions. */
export const SETTING_ENV = {
  maxPercent: MAX_PERCENT.env,
  maxDeletions: MAX_DELETIONS.env,
  rateShare: RATE_SHARE.env,
  concurrency: CONCURRENCY.env,
  safetyMarginMs: SAFETY_MARGIN_MS.env,
  apiUrlOverride: API_URL_OVERRIDE.env,
  protect: PROTECT.env,
  allowDirectoryUsers: ALLOW_DIRECTORY_USERS.env,
} as const;
