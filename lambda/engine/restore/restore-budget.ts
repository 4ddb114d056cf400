// The end of a restore plan: the budget (maxDeletions / maxPercent count restores too, docs/restore.md) accepts it, or a
// live restore is refused as a whole before its first change.
import { budgetRefusal } from '../job-guards.ts';
import type { PhaseResult } from '../phase-result.ts';
import { NEXT } from '../phase-result.ts';
import type { StepContext } from '../step-context.ts';

export function concludeRestorePlan(ctx: StepContext): PhaseResult {
  const cp = ctx.checkpoint;
  cp.planMade = true;
  const refusal = budgetRefusal(cp.planned, cp.accountUsers ?? 0, ctx.spec.options, ctx.spec.action);
  ctx.deps.logger.info('restore plan made', { planned: cp.planned, ...cp.counts });
  if (!refusal) return NEXT;
  // The same limits hold a restore: a mistaken restore is as large a change.
  const { message } = refusal;
  cp.budget = { wouldRefuse: true, reason: refusal.code, message, setting: refusal.setting };
  ctx.deps.logger.warn('restore plan over the budget', { planned: cp.planned, mode: ctx.spec.mode });
  if (ctx.spec.mode === 'dry-run') return NEXT;
  cp.overBudget = true;
  return { kind: 'end', status: 'rejected', error: { code: refusal.code, message } };
}
