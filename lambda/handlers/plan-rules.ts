// The stack's plan rules applied to what the finder found: why a live upload may not run, or undefined when it may.
import type { JobError } from '../engine/job.ts';
import type { JobInput } from './handler-contract.ts';
import type { StepHandlerOptions } from './handler-options.ts';
import type { ReviewedPlan } from './reviewed-plan-finder.ts';

export type PlanRules = Pick<StepHandlerOptions, 'requireReviewedPlan' | 'planMaxAgeHours' | 'requireSecondApprover'>;

export interface PlanRuleInput {
  found: ReviewedPlan | undefined;
  job: JobInput;
  rules: PlanRules;
  now: number;
  /** `dry-run/<name>.csv` and `reports/dry-run/<name>/`, for the message. */
  dryRunKey: string;
  folder: string;
}

export function planRuleRefusal(input: PlanRuleInput): JobError | undefined {
  const { found, job, rules, now } = input;
  const review = `upload the same file as ${input.dryRunKey} first, review ${input.folder}<job-id>/report.html, then upload it to ${job.key} again`;
  if (found === undefined) {
    if (!rules.requireReviewedPlan) return undefined;
    return notApproved(`no completed dry run of these exact bytes was found under ${input.folder}: ${review}`);
  }
  const ageHours = (now - Date.parse(found.plan.createdAt)) / 3_600_000;
  if (!(ageHours <= rules.planMaxAgeHours)) {
    return notApproved(
      `the reviewed dry run ${found.approval.jobId} is ${ageHours.toFixed(1)} h old, older than planMaxAgeHours (${rules.planMaxAgeHours} h): ${review}`,
    );
  }
  if (rules.requireSecondApprover) {
    const dryRunBy = found.approval.principalId;
    if (job.principalId === undefined || dryRunBy === undefined) {
      return notApproved('requireSecondApprover is set, but the uploads do not say who made them: the run is refused');
    }
    if (job.principalId === dryRunBy) {
      return notApproved(
        `requireSecondApprover is set and the same principal uploaded the dry run and the live file: another person must upload ${job.key}`,
      );
    }
  }
  return undefined;
}

function notApproved(message: string): JobError {
  return { code: 'not-approved', message };
}
