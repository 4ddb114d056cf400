// The reviewed-plan options (docs/plans.md): --plan FILE executes a dry run's plan, --require-plan refuses a live run
// without one, --plan-max-age bounds its age, --account-id names the account the credentials must reach.
import type { Mode } from '../engine/outcomes.ts';
import type { NumberSetting } from '../settings/number-setting.ts';
import { parseNumberSetting } from '../settings/number-setting.ts';
import { PLAN_MAX_AGE_HOURS } from '../settings/plan-settings.ts';
import { ACCOUNT_ID, ACCOUNT_ID_ENV, REQUIRE_PLAN } from '../settings/run-settings.ts';
import type { Env, OptionValues } from './cli-option-spec.ts';
import { nonEmpty } from './option-values.ts';

export interface CliPlanOptions {
  /** The plan.json of the reviewed dry run (live runs only). */
  planFile?: string;
  planMaxAgeHours: number;
  expectedAccountId?: number;
  requirePlan: boolean;
}

export function readPlanOptions(
  values: OptionValues,
  env: Env,
  mode: Mode | undefined,
  errors: string[],
): CliPlanOptions {
  const planFile = values.plan;
  if (planFile !== undefined && planFile.trim() === '') errors.push('--plan needs the path of a plan.json');
  if (planFile !== undefined && mode === 'dry-run') {
    errors.push('--plan executes a reviewed plan: give it with --live (a dry run writes a new plan.json)');
  }
  const requirePlan = values['require-plan'] === true || env[REQUIRE_PLAN.env]?.trim().toLowerCase() === 'true';
  if (requirePlan && mode === 'live' && planFile === undefined) {
    errors.push(
      '--require-plan: a live run needs --plan FILE, the plan.json of a reviewed dry run (run the dry run first)',
    );
  }
  const planMaxAgeHours =
    numberOption(PLAN_MAX_AGE_HOURS, values['plan-max-age'], PLAN_MAX_AGE_HOURS.flag, errors) ??
    PLAN_MAX_AGE_HOURS.default;
  const fromFlag = values['account-id'];
  const accountText = fromFlag ?? nonEmpty(env[ACCOUNT_ID_ENV]);
  const label = fromFlag !== undefined ? ACCOUNT_ID.flag : ACCOUNT_ID_ENV;
  const expectedAccountId = numberOption(ACCOUNT_ID, accountText, label, errors);
  return {
    ...(planFile !== undefined ? { planFile } : {}),
    planMaxAgeHours,
    ...(expectedAccountId !== undefined ? { expectedAccountId } : {}),
    requirePlan,
  };
}

function numberOption(
  setting: NumberSetting,
  raw: string | undefined,
  label: string,
  errors: string[],
): number | undefined {
  if (raw === undefined) return undefined;
  const parsed = parseNumberSetting(setting, raw, label);
  if (parsed.ok) return parsed.value;
  errors.push(parsed.problem);
  return undefined;
}
