// The engine's entry points: run one step of a job (as far as its limits allow), abort a job, read its status.
// The runner alone moves a job between phases and sets its status: phases return what happened (phase-result.ts).

import { bindAccount } from './account-binding.ts';
import { applyPhase, settleInterruptedChanges } from './apply-phase.ts';
import type { Checkpoint } from './checkpoint.ts';
import { loadCheckpoint } from './checkpoint.ts';
import { DirectoryCallError, DirectoryUnavailableError, WaitRequiredError } from './directory-errors.ts';
import type { EngineDeps, JobError, JobSpec, Phase, PlanSummary, StepLimits, StepResult } from './job.ts';
import type { Mode } from './outcomes.ts';
import { emptyCounts } from './outcomes.ts';
import type { JobEnd, PhaseResult } from './phase-result.ts';
import { planRecheckPhase } from './plan/plan-recheck-phase.ts';
import { emptyApiCalls } from './ports.ts';
import { ProtectRules } from './protect-rules.ts';
import { writeReports } from './report-writer.ts';
import { protectRulesOf, resolvePhase } from './resolve-phase.ts';
import { restorePlanPhase } from './restore/restore-plan-phase.ts';
import { StepContext } from './step-context.ts';
import { validatePhase } from './validate-phase.ts';

type WorkPhase = 'validate' | 'resolve' | 'apply';

const PHASES: Record<WorkPhase, (ctx: StepContext) => Promise<PhaseResult>> = {
  validate: validatePhase,
  resolve: resolveOrRecheck,
  apply: applyPhase,
};

/**
 * Protect values that cannot be identifiers refuse the run before any call; then the account is read before any other
 * call (and a wrong one refuses the run); then rows are resolved, or, for a live run bound to a reviewed plan, the
 * plan's users are fetched again and compared instead.
 */
async function resolveOrRecheck(ctx: StepContext): Promise<PhaseResult> {
  const protect = protectRulesOf(ctx);
  if (!(protect instanceof ProtectRules)) return protect;
  // A restore's input is a snapshot: its own plan (restore/restore-plan-phase.ts), never a deletion plan's recheck.
  if (ctx.spec.action === 'restore') return (await bindAccount(ctx)) ?? restorePlanPhase(ctx, protect);
  const plan = ctx.spec.plan;
  if (plan !== undefined && ctx.spec.mode === 'live') return planRecheckPhase(ctx, plan);
  const wrongAccount = await bindAccount(ctx);
  return wrongAccount ?? resolvePhase(ctx);
}

/** Which phase follows which: a dry run changes nothing, so its plan goes straight to the report. */
const FOLLOWS: Record<WorkPhase, Record<Mode, Phase>> = {
  validate: { 'dry-run': 'resolve', live: 'resolve' },
  resolve: { 'dry-run': 'report', live: 'apply' },
  apply: { 'dry-run': 'report', live: 'report' },
};

function isWorkPhase(phase: Phase): phase is WorkPhase {
  return phase === 'validate' || phase === 'resolve' || phase === 'apply';
}

export async function runJobStep(spec: JobSpec, deps: EngineDeps, limits: StepLimits = {}): Promise<StepResult> {
  const ctx = await openJob(spec, deps, limits);
  const stopHeartbeat = ctx.startStatusHeartbeat();
  try {
    return await runPhases(ctx, spec, limits);
  } finally {
    await stopHeartbeat();
  }
}

async function runPhases(ctx: StepContext, spec: JobSpec, limits: StepLimits): Promise<StepResult> {
  const cp = ctx.checkpoint;
  while (isWorkPhase(cp.phase)) {
    const phase = cp.phase;
    const result = await runPhase(ctx, phase);
    if (result.kind === 'yield') return await pause(ctx, result.waitSeconds);
    if (result.kind === 'end') {
      await endJob(ctx, result);
      break;
    }
    cp.phase = FOLLOWS[phase][spec.mode];
    // After validation, so that the refused report lists every row.
    const refused = phase === 'validate' ? callerRefusal(spec) : undefined;
    if (refused !== undefined) {
      await endJob(ctx, refused);
      break;
    }
    await saveAndPublish(ctx);
    // The CLI shows the plan and asks before a live run deletes anything.
    if (limits.stopAfterPlan && cp.phase === 'apply' && phase === 'resolve') return await pause(ctx, 0);
  }
  if (cp.phase === 'report') await finish(ctx);
  return stepResult(ctx, 0);
}

/** The caller's whole-run refusal (JobSpec.refusal), once the rows are known: every unsettled row ends rejected. */
function callerRefusal(spec: JobSpec): JobEnd | undefined {
  if (spec.refusal === undefined) return undefined;
  const { code, message } = spec.refusal;
  return {
    kind: 'end',
    status: 'rejected',
    error: { code, message },
    unfinished: { reason: code, message },
  };
}

/**
 * Stops a job that will not run again (an operator stopped it, or its runs keep dying) and writes its report.
 * Rows already settled keep their outcome; every other row ends `failed` with reason `aborted` (and goes to retry.csv).
 * DELETEs that were in flight when it stopped are checked (a listing by id): a user gone is reported deleted.
 */
export async function abortJob(
  spec: JobSpec,
  deps: EngineDeps,
  reason: JobError = { code: 'aborted', message: 'stopped by an operator' },
): Promise<StepResult> {
  const ctx = await openJob(spec, deps, {});
  if (ctx.checkpoint.phase === 'done') return stepResult(ctx, 0);
  deps.logger.warn('job aborted', { code: reason.code });
  await endJob(ctx, {
    kind: 'end',
    status: 'aborted',
    error: { code: reason.code, message: reason.message },
    unfinished: { reason: 'aborted', message: `the job was stopped: ${reason.message}` },
  });
  await finish(ctx);
  return stepResult(ctx, 0);
}

async function openJob(spec: JobSpec, deps: EngineDeps, limits: StepLimits): Promise<StepContext> {
  const checkpoint = (await loadCheckpoint(deps.store, spec.statePrefix)) ?? newCheckpoint(spec, deps);
  return new StepContext(spec, deps, limits, checkpoint);
}

/** Runs one phase; a job-level error from the directory becomes what it means for the job. */
async function runPhase(ctx: StepContext, phase: WorkPhase): Promise<PhaseResult> {
  try {
    return await PHASES[phase](ctx);
  } catch (error) {
    const result = jobLevelResult(ctx, error);
    if (result === undefined) throw error;
    return result;
  }
}

function jobLevelResult(ctx: StepContext, error: unknown): PhaseResult | undefined {
  const cp = ctx.checkpoint;
  if (error instanceof WaitRequiredError) {
    ctx.deps.logger.info('rate limit: pausing the job', { waitMs: error.waitMs, phase: cp.phase });
    return { kind: 'yield', waitSeconds: Math.max(1, Math.ceil(error.waitMs / 1000)) };
  }
  // Unavailable: no call can succeed. A call error reaching here served no row (the account count): the job cannot go on.
  const code =
    error instanceof DirectoryUnavailableError
      ? error.code
      : error instanceof DirectoryCallError
        ? error.reason
        : undefined;
  if (code === undefined) return undefined;
  const message = (error as Error).message;
  // Nothing changed yet → the job is refused as a whole; otherwise it stopped part-way.
  const changed = cp.counts.deleted + cp.counts.suspended + cp.counts.restored;
  const status = changed > 0 || cp.intent !== undefined ? 'aborted' : 'rejected';
  ctx.deps.logger.error('directory unavailable: stopping the job', { code, status });
  return {
    kind: 'end',
    status,
    error: { code, message },
    unfinished: { reason: code, message: `not processed: ${message}` },
  };
}

/**
 * The job ends before its last phase (input refused, plan over budget, directory unavailable, aborted): DELETEs in
 * flight are settled, and the report follows.
 */
async function endJob(ctx: StepContext, end: JobEnd): Promise<void> {
  const cp = ctx.checkpoint;
  if (cp.phase === 'validate') {
    // Validation never finished: no row is known, the report lists none.
    cp.rowsTotal = 0;
    cp.chunkCount = 0;
    cp.counts = emptyCounts();
  }
  await settleInterruptedChanges(ctx);
  cp.status = end.status;
  cp.error = end.error;
  if (end.unfinished) cp.unfinished = end.unfinished;
  cp.phase = 'report';
  await ctx.save();
}

/** The job's state as its last checkpoint tells it, or undefined when the job never ran. */
export async function readJobStatus(spec: JobSpec, deps: EngineDeps): Promise<StepResult | undefined> {
  const checkpoint = await loadCheckpoint(deps.store, spec.statePrefix);
  if (!checkpoint) return undefined;
  return stepResult(new StepContext(spec, deps, {}, checkpoint), 0);
}

async function finish(ctx: StepContext): Promise<void> {
  const cp = ctx.checkpoint;
  if (cp.status === 'running') cp.status = 'completed';
  cp.finishedAt ??= new Date(ctx.deps.clock.now()).toISOString();
  const { keys, counts } = await writeReports(ctx);
  cp.reports = keys;
  cp.counts = counts;
  cp.phase = 'done';
  await saveAndPublish(ctx);
  ctx.deps.logger.info('job finished', { status: cp.status, rows: cp.rowsTotal, ...counts });
}

async function pause(ctx: StepContext, waitSeconds: number): Promise<StepResult> {
  await saveAndPublish(ctx, waitSeconds);
  return stepResult(ctx, waitSeconds);
}

/** The checkpoint, then status.json and the progress callback: what a reader sees never runs ahead of the saved state. */
async function saveAndPublish(ctx: StepContext, waitSeconds = 0): Promise<void> {
  await ctx.save();
  await ctx.writeStatus(waitSeconds);
  ctx.reportProgress();
}

function newCheckpoint(spec: JobSpec, deps: EngineDeps): Checkpoint {
  return {
    schemaVersion: 1,
    jobId: spec.id,
    mode: spec.mode,
    phase: 'validate',
    status: 'running',
    startedAt: new Date(deps.clock.now()).toISOString(),
    rowsTotal: 0,
    chunkCount: 0,
    resolveCursor: { chunk: 0, row: 0 },
    planned: 0,
    applyChunk: 0,
    counts: emptyCounts(),
    apiCalls: emptyApiCalls(),
  };
}

function stepResult(ctx: StepContext, waitSeconds: number): StepResult {
  const cp = ctx.checkpoint;
  const result: StepResult = {
    done: cp.phase === 'done',
    waitSeconds,
    phase: cp.phase,
    status: cp.status,
    progress: ctx.progress(),
  };
  if (cp.planMade) result.plan = planSummary(cp);
  if (cp.reports) result.reports = cp.reports;
  if (cp.error) result.error = cp.error;
  return result;
}

function planSummary(cp: Checkpoint): PlanSummary {
  return {
    rows: cp.rowsTotal,
    toDelete: cp.overBudget ? 0 : cp.planned,
    counts: { ...cp.counts },
    accountUsers: cp.accountUsers ?? 0,
  };
}
