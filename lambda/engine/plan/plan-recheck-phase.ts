// Phase 2 of a live run bound to a reviewed plan (docs/plans.md): rows are not resolved again. The plan's users are
// fetched again by id (batched `user_ids` lookups) and compared with what the plan recorded: gone → already-absent,
// changed → rejected / changed-since-plan, unchanged → planned for the apply phase. Every other row keeps the plan's
// outcome. Only the plan's user ids can reach the apply phase: a user re-created with a listed email has a new id.
// Resumable per chunk: a chunk's rows and the cursor after it are saved together.

import { bindAccount, refusedAsWhole } from '../account-binding.ts';
import { DirectoryCallError } from '../directory-errors.ts';
import type { JobOptions } from '../job.ts';
import { guardRefusal } from '../job-guards.ts';
import { forEachLimited } from '../limited-concurrency.ts';
import type { Action, ResolvedUser } from '../outcomes.ts';
import type { PhaseResult } from '../phase-result.ts';
import { YIELD_NOW } from '../phase-result.ts';
import { ProtectRules } from '../protect-rules.ts';
import { concludePlan, protectRulesOf } from '../resolve-phase.ts';
import type { StepContext } from '../step-context.ts';
import type { StoredRow } from '../stored-row.ts';
import { readChunk, resetResolution, writeChunk } from '../stored-row.ts';
import { changesSincePlan, planRefusal } from './plan-check.ts';
import type { PlanDocument, PlannedUser, PlanOtherRow } from './plan-document.ts';
import { plannedUserOf, resolvedUserOf } from './planned-user.ts';

type Fetched = Map<number, ResolvedUser | { failed: { reason: string; message: string } }>;

export async function planRecheckPhase(ctx: StepContext, plan: PlanDocument): Promise<PhaseResult> {
  const refused = await acceptPlan(ctx, plan);
  if (refused) return refused;
  const cp = ctx.checkpoint;
  if (cp.accountUsers === undefined) {
    cp.accountUsers = await ctx.deps.directory.countUsers();
    await ctx.save();
  }
  const action = ctx.spec.action ?? 'delete';
  const lines = planLines(plan, action);
  const protect = protectRulesOf(ctx);
  if (!(protect instanceof ProtectRules)) return protect;
  while (cp.resolveCursor.chunk < cp.chunkCount) {
    if (ctx.shouldYield()) return YIELD_NOW;
    await recheckChunk(ctx, { ...lines, protect, options: ctx.spec.options, action, createdAt: plan.createdAt });
  }
  return concludePlan(ctx);
}

/** The account first (before any other call), then the plan's file, account and age: checked once per job. */
async function acceptPlan(ctx: StepContext, plan: PlanDocument): Promise<PhaseResult | undefined> {
  const cp = ctx.checkpoint;
  const wrongAccount = await bindAccount(ctx);
  if (wrongAccount) return wrongAccount;
  if (cp.planAccepted) return undefined;
  const maxAgeHours = ctx.spec.options.planMaxAgeHours;
  // Fail closed: every caller that binds a run passes the settings' value (docs/plans.md).
  if (maxAgeHours === undefined) return refusedAsWhole('not-approved', 'no maximum plan age was given for this run');
  const refusal = planRefusal(plan, {
    sha256: cp.inputSha256 ?? '',
    account: cp.account ?? { host: 'unknown' },
    now: ctx.deps.clock.now(),
    maxAgeHours,
  });
  if (refusal) {
    ctx.deps.logger.warn('run refused by its plan', { code: refusal.code, planId: plan.planId });
    return refusedAsWhole(refusal.code, refusal.message);
  }
  cp.planAccepted = true;
  await ctx.save();
  return undefined;
}

interface PlanLines {
  planned: Map<number, PlannedUser>;
  others: Map<number, PlanOtherRow>;
}

interface Recheck extends PlanLines {
  protect: ProtectRules;
  options: JobOptions;
  action: Action;
  createdAt: string;
}

/**
 * A suspension is reviewed through the dry run of a deletion (the dry-run folder does not know the action): under
 * deleteOnlySuspended that dry run refuses every active user `not-suspended`, a guard of deletions only, so a
 * suspension bound to it plans those users as the dry run saw them.
 */
function planLines(plan: PlanDocument, action: Action): PlanLines {
  const planned = new Map(plan.users.map((user) => [user.line, user]));
  const others = new Map<number, PlanOtherRow>();
  for (const row of plan.otherRows ?? []) {
    if (action === 'suspend' && row.reason === 'not-suspended' && row.user !== undefined)
      planned.set(row.line, row.user);
    else others.set(row.line, row);
  }
  return { planned, others };
}

async function recheckChunk(ctx: StepContext, recheck: Recheck): Promise<void> {
  const cp = ctx.checkpoint;
  const chunkIndex = cp.resolveCursor.chunk;
  const rows = await readChunk(ctx.store, ctx.spec.statePrefix, chunkIndex);
  const open = rows.filter((row) => row.key !== undefined);
  for (const row of open) resetResolution(row);
  const ids = open.flatMap((row) => {
    const planned = recheck.planned.get(row.line);
    return planned ? [planned.id] : [];
  });
  const fetched = await fetchAgain(ctx, ids);
  for (const row of open) Object.assign(row, settle(row, recheck, fetched));
  await writeChunk(ctx.store, ctx.spec.statePrefix, chunkIndex, rows);
  for (const row of open) {
    if (row.planned) cp.planned += 1;
    else if (row.outcome) ctx.count(row.outcome);
  }
  cp.resolveCursor = { chunk: chunkIndex + 1, row: 0 };
  await ctx.save();
  ctx.reportProgress();
}

/** The planned users as the directory has them now, in batches of its id batch size; a failed batch fails its rows. */
async function fetchAgain(ctx: StepContext, ids: readonly number[]): Promise<Fetched> {
  const { directory } = ctx.deps;
  const fetched: Fetched = new Map();
  const batchSize = Math.max(1, directory.idBatchSize);
  const batches: number[][] = [];
  for (let i = 0; i < ids.length; i += batchSize) batches.push(ids.slice(i, i + batchSize));
  await forEachLimited(batches, ctx.tuning.lookupConcurrency, async (batch) => {
    try {
      for (const user of await directory.getUsersByIds(batch)) fetched.set(user.id, user);
    } catch (error) {
      if (!(error instanceof DirectoryCallError)) throw error;
      const failed = { reason: error.reason, message: `lookup failed: ${error.message}` };
      for (const id of batch) fetched.set(id, { failed });
    }
  });
  return fetched;
}

type Settlement = Pick<StoredRow, 'planned' | 'user' | 'outcome' | 'reason' | 'message'>;

function settle(row: StoredRow, recheck: Recheck, fetched: Fetched): Settlement {
  const planned = recheck.planned.get(row.line);
  if (planned === undefined) return keptOutcome(recheck.others.get(row.line));
  if (row.key?.id !== undefined && row.key.id !== planned.id) {
    return { outcome: 'rejected', reason: 'not-approved', message: 'the plan names another user for this row' };
  }
  const current = fetched.get(planned.id);
  if (current === undefined) {
    return {
      outcome: 'already-absent',
      message: 'the user the plan approved no longer exists; a user re-created since has a new id and is not deleted',
      user: resolvedUserOf(planned),
    };
  }
  if ('failed' in current) return { outcome: 'failed', ...current.failed, user: resolvedUserOf(planned) };
  const changes = changesSincePlan(planned, plannedUserOf(current, row.line), recheck.createdAt);
  if (changes.length > 0) {
    return {
      outcome: 'rejected',
      reason: 'changed-since-plan',
      message: `changed since the plan: ${changes.join('; ')}`,
      user: current,
    };
  }
  const refused = guardRefusal(current, recheck.protect, recheck.options, recheck.action);
  if (refused) return { outcome: 'rejected', reason: refused.reason, message: refused.message, user: current };
  return { planned: true, user: current };
}

/** What a dry run gives a row it does not plan: anything else in a plan file is not the dry run's and approves nothing. */
const KEPT_OUTCOMES = new Set(['not-found', 'rejected', 'failed']);

/** A row the plan did not approve keeps the dry run's outcome; one the plan does not know is never deleted. */
function keptOutcome(other: PlanOtherRow | undefined): Settlement {
  if (other === undefined || !KEPT_OUTCOMES.has(other.outcome)) {
    return { outcome: 'rejected', reason: 'not-approved', message: 'the plan does not approve this row' };
  }
  const kept: Settlement = { outcome: other.outcome as NonNullable<StoredRow['outcome']> };
  if (other.reason !== undefined) kept.reason = other.reason;
  kept.message = `as in the plan: ${other.message ?? other.outcome}`;
  return kept;
}
