// The engine's entry points: run one step of a job (as far as its limits allow), abort a job, read its status.

import { applyPhase, settleInterruptedDeletes } from './apply-phase.ts';
import type { Checkpoint } from './checkpoint.ts';
import { loadCheckpoint } from './checkpoint.ts';
import { DirectoryCallError, DirectoryUnavailableError, WaitRequiredError } from './directory-errors.ts';
import type { EngineDeps, JobSpec, Phase, PlanSummary, StepLimits, StepResult } from './job.ts';
import { emptyCounts } from './outcomes.ts';
import { writeReports } from './report-writer.ts';
import { resolvePhase } from './resolve-phase.ts';
import { StepContext } from './step-context.ts';
import { validatePhase } from './validate-phase.ts';

export async function runJobStep(spec: JobSpec, deps: EngineDeps, limits: StepLimits = {}): Promise<StepResult> {
  const checkpoint = (await loadCheckpoint(deps.store, spec.statePrefix)) ?? newCheckpoint(spec, deps);
  const ctx = new StepContext(spec, deps, limits, checkpoint);
  const cp = ctx.checkpoint;
  if (cp.phase === 'done') return stepResult(ctx, 0);
  try {
    if (cp.phase === 'validate') {
      await validatePhase(ctx);
      await ctx.save();
      await ctx.writeStatus();
      ctx.reportProgress();
    }
    if (cp.phase === 'resolve') {
      if ((await resolvePhase(ctx)) === 'yield') return await pause(ctx, 0);
      if (limits.stopAfterPlan && phaseOf(cp) === 'apply') return await pause(ctx, 0);
    }
    if (phaseOf(cp) === 'apply') {
      if ((await applyPhase(ctx)) === 'yield') return await pause(ctx, 0);
    }
  } catch (error) {
    if (error instanceof WaitRequiredError) {
      deps.logger.info('rate limit: pausing the job', { waitMs: error.waitMs, phase: cp.phase });
      return await pause(ctx, Math.max(1, Math.ceil(error.waitMs / 1000)));
    }
    // Unavailable: no call can succeed. A call error reaching here served no row (the account count): the job cannot go on.
    const code =
      error instanceof DirectoryUnavailableError
        ? error.code
        : error instanceof DirectoryCallError
          ? error.reason
          : undefined;
    if (code === undefined) throw error;
    const message = (error as Error).message;
    // Nothing changed yet → the job is refused as a whole; otherwise it stopped part-way.
    cp.status = cp.counts.deleted > 0 || cp.intent !== undefined ? 'aborted' : 'rejected';
    cp.error = { code, message };
    cp.unfinished = { reason: code, message: `not processed: ${message}` };
    cp.phase = 'report';
    await settleInterruptedDeletes(ctx);
    deps.logger.error('directory unavailable: stopping the job', { code, status: cp.status });
    await ctx.save();
  }
  await finish(ctx);
  return stepResult(ctx, 0);
}

/**
 * Stops a job that will not run again (an operator stopped it, or its runs keep dying) and writes its report.
 * Rows already settled keep their outcome; every other row ends `failed` with reason `aborted` (and goes to retry.csv).
 * DELETEs that were in flight when it stopped are checked (a listing by id): a user gone is reported deleted.
 */
export async function abortJob(
  spec: JobSpec,
  deps: EngineDeps,
  reason: { code: string; message: string } = { code: 'aborted', message: 'stopped by an operator' },
): Promise<StepResult> {
  const existing = await loadCheckpoint(deps.store, spec.statePrefix);
  const checkpoint = existing ?? newCheckpoint(spec, deps);
  const ctx = new StepContext(spec, deps, {}, checkpoint);
  const cp = ctx.checkpoint;
  if (cp.phase === 'done') return stepResult(ctx, 0);
  if (cp.phase === 'validate') {
    // Validation never finished: no row is known, the report lists none.
    cp.rowsTotal = 0;
    cp.chunkCount = 0;
    cp.counts = emptyCounts();
  }
  await settleInterruptedDeletes(ctx);
  cp.status = 'aborted';
  cp.error = { code: reason.code, message: reason.message };
  cp.unfinished = { reason: 'aborted', message: `the job was stopped: ${reason.message}` };
  cp.phase = 'report';
  deps.logger.warn('job aborted', { code: reason.code });
  await ctx.save();
  await finish(ctx);
  return stepResult(ctx, 0);
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
  await ctx.save();
  await ctx.writeStatus();
  ctx.reportProgress();
  ctx.deps.logger.info('job finished', { status: cp.status, rows: cp.rowsTotal, ...counts });
}

async function pause(ctx: StepContext, waitSeconds: number): Promise<StepResult> {
  await ctx.save();
  await ctx.writeStatus();
  ctx.reportProgress();
  return stepResult(ctx, waitSeconds);
}

/** The phase as saved now (a phase function may have moved it on). */
function phaseOf(cp: Checkpoint): Phase {
  return cp.phase;
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
    apiCalls: { token: 0, get: 0, list: 0, delete: 0 },
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
