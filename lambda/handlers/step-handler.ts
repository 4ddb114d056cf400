// One step of a job: load the checkpoint, run the engine until its time or rate budget is used, save, return { done, waitSeconds }.
import type { ListableObjectStore } from '../adapters/s3-object-store.ts';
import type { StepResult } from '../engine/job.ts';
import { runJobStep } from '../engine/job-runner.ts';
import { OUTCOMES } from '../engine/outcomes.ts';
import type { InputSource, Logger } from '../engine/ports.ts';
import type { ClientStats, OneLoginClient } from '../onelogin/onelogin-client.ts';
import { PLAN_MAX_AGE_HOURS, REQUIRE_REVIEWED_PLAN, REQUIRE_SECOND_APPROVER } from '../settings/plan-settings.ts';
import type { SummaryAccount } from '../shared/run-summary-message.ts';
import { accountRunFor, directoryForRun } from './account-run.ts';
import { createDirectoryProvider } from './directory-provider.ts';
import { writeDryRunApproval } from './dry-run-approval.ts';
import type { JobInput, StepOutput } from './handler-contract.ts';
import { jobOptionsFrom } from './handler-options.ts';
import type { LambdaContextLike, StepDeps, StepOptions } from './handler-types.ts';
import { jobSpecFor, parseJobInput } from './job-input.ts';
import { notifySafely } from './notify-safely.ts';
import { noMetrics, outcomeMetricName, withFields } from './observability.ts';
import type { BoundSpec, PlanRules } from './plan-binding.ts';
import { planForLiveJob } from './plan-binding.ts';
import { runSummaryFor } from './run-summary.ts';

export const DEFAULT_SAFETY_MARGIN_MS = 60_000;

export function createStepHandler(
  deps: StepDeps,
): (input: JobInput | StepOutput, context: LambdaContextLike) => Promise<StepOutput> {
  const metrics = deps.metrics ?? noMetrics;
  const safetyMarginMs = deps.options.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
  const provider = createDirectoryProvider(deps);

  return async (payload, context) => {
    const job = parseJobInput(payload);
    const log = withFields(deps.logger, {
      bucket: job.bucket,
      key: job.key,
      jobId: job.jobId,
      mode: job.mode,
      action: job.action ?? 'delete',
    });
    const startedAt = deps.clock.now();
    const stepDeadline = startedAt + context.getRemainingTimeInMillis() - safetyMarginMs;
    const store = deps.storeFor(job.bucket);
    const input = deps.inputFor(job);
    const run = accountRunFor(job.key, deps);
    const spec = jobSpecFor(job, jobOptionsFrom({ ...run.options, protect: run.options.protect ?? [] }));
    if (run.accountName !== undefined) spec.accountName = run.accountName;
    let result: StepResult;
    let client: OneLoginClient | undefined;
    let before: ClientStats | undefined;
    const account: SummaryAccount = run.accountName === undefined ? {} : { name: run.accountName };
    try {
      if (job.mode === 'live') Object.assign(spec, await liveBinding(job, store, input, run.options, deps, log));
      const choice = await directoryForRun(provider, run, log);
      if (choice.accountId !== undefined) spec.options.expectedAccountId = choice.accountId;
      if (choice.host !== undefined) account.host = choice.host;
      if (choice.accountId !== undefined) account.accountId = choice.accountId;
      const directory = choice.directory;
      client = choice.client;
      before = client?.stats();
      result = await provider.withDeadline(stepDeadline, () =>
        runJobStep(spec, { store, input, directory, clock: deps.clock, logger: log }, { deadline: stepDeadline }),
      );
    } catch (error) {
      // The state machine retries the step from its checkpoint, then hands the job to finalize.
      log.error('step failed', {
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
      throw error;
    }
    const after = client?.stats();
    const stepCounts: Record<string, number> = {};
    if (before !== undefined && after !== undefined) {
      stepCounts.ApiCalls = sumCalls(after.calls) - sumCalls(before.calls);
      stepCounts.RateLimited = after.rateLimited - before.rateLimited;
    }
    const waitSeconds = Math.max(0, Math.ceil(result.waitSeconds));
    log.info('step finished', {
      phase: result.phase,
      status: result.status,
      done: result.done,
      waitSeconds,
      rowsTotal: result.progress.rowsTotal,
      rowsDone: result.progress.rowsDone,
      ...stepCounts,
    });
    if (result.done && job.mode === 'dry-run' && result.status === 'completed') {
      await writeDryRunApproval(store, job, deps.clock.now());
    }
    if (result.done) await reportJobEnd(deps, job, result, { stepCounts, account }, log);
    else metrics.publish(job.mode, stepCounts);
    return { ...job, done: result.done, waitSeconds, status: result.status };
  };
}

/** The live job's reviewed plan (or its refusal), decided at its first step and kept in its state. */
async function liveBinding(
  job: JobInput,
  store: ListableObjectStore,
  input: InputSource,
  options: StepOptions,
  deps: StepDeps,
  log: Logger,
): Promise<BoundSpec> {
  const rules: PlanRules = {
    requireReviewedPlan: options.requireReviewedPlan ?? REQUIRE_REVIEWED_PLAN.default,
    planMaxAgeHours: options.planMaxAgeHours ?? PLAN_MAX_AGE_HOURS.default,
    requireSecondApprover: options.requireSecondApprover ?? REQUIRE_SECOND_APPROVER.default,
  };
  const { binding, spec } = await planForLiveJob(job, store, input, rules, deps.clock.now());
  if (binding.kind === 'bound')
    log.info('bound to a reviewed plan', { planKey: binding.planKey, planId: binding.planId });
  else if (binding.kind === 'refused')
    log.warn('no usable reviewed plan: the run is refused', { code: binding.refusal.code });
  else log.warn('no reviewed plan: requireReviewedPlan is off, the run resolves its rows itself');
  return spec;
}

/** The job's metrics, its last log line and the run summary notification. */
async function reportJobEnd(
  deps: StepDeps,
  job: JobInput,
  result: StepResult,
  { stepCounts, account }: { stepCounts: Record<string, number>; account: SummaryAccount },
  log: Logger,
): Promise<void> {
  const metrics = deps.metrics ?? noMetrics;
  const summary = runSummaryFor(job, result);
  if (Object.keys(account).length > 0) summary.account = account;
  const jobCounts: Record<string, number> = { [`Jobs${capitalise(result.status)}`]: 1 };
  for (const outcome of OUTCOMES) jobCounts[outcomeMetricName(outcome)] = summary.counts[outcome];
  metrics.publish(job.mode, { ...stepCounts, ...jobCounts });
  log.info('job finished', {
    status: summary.status,
    counts: summary.counts,
    apiCalls: summary.apiCalls,
    reports: summary.reports,
  });
  if (!(await notifySafely(deps.notify, summary, log))) metrics.publish(job.mode, { NotificationsFailed: 1 });
}

function sumCalls(calls: Record<string, number>): number {
  return Object.values(calls).reduce((total, value) => total + value, 0);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
