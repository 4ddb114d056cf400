// The S3 binding of a live upload to its reviewed dry run (docs/plans.md, docs/s3-layout.md): one definition each, read
// by the construct (props and context), the handlers (env vars) and the local pipeline (options).

import type { BooleanSetting } from './boolean-setting.ts';
import type { NumberSetting } from './number-setting.ts';

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

/** The environment variables through which the stack hands these settings to the step function. */
export const PLAN_SETTING_ENV = {
  requireReviewedPlan: REQUIRE_REVIEWED_PLAN.env,
  requireSecondApprover: REQUIRE_SECOND_APPROVER.env,
  planMaxAgeHours: PLAN_MAX_AGE_HOURS.env,
} as const;
