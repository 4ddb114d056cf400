// plan.json of a dry run (docs/plans.md): streamed from the chunks like report.json, so a large plan is never one
// string in memory. Its users are the would-delete (would-suspend) rows; every other row is kept with its outcome in otherRows.

import { finalRows } from '../final-rows.ts';
import type { JobOptions } from '../job.ts';
import type { RowOutcome } from '../outcomes.ts';
import { WOULD_OUTCOME } from '../outcomes.ts';
import type { StepContext } from '../step-context.ts';
import type { PlanDocument, PlanOtherRow } from './plan-document.ts';
import { PLAN_SCHEMA_VERSION, planIdFor } from './plan-document.ts';
import { plannedUserOf } from './planned-user.ts';

export function planKey(reportPrefix: string): string {
  return `${reportPrefix}plan.json`;
}

/** Writes plan.json; returns its planId. */
export async function writePlan(ctx: StepContext, key: string): Promise<string> {
  const head = planHead(ctx);
  const json = JSON.stringify(head);
  const planned = WOULD_OUTCOME[ctx.spec.action ?? 'delete'];
  async function* body(): AsyncGenerator<string> {
    yield `${json.slice(0, -1)},"users":[`;
    yield* listed(ctx, (row) => (row.outcome === planned && row.user ? plannedUserOf(row.user, row.line) : null));
    yield '\n],"otherRows":[';
    yield* listed(ctx, (row) => (row.outcome === planned ? null : otherRowOf(row)));
    yield '\n]}\n';
  }
  await ctx.store.put(key, body(), 'application/json');
  return head.planId;
}

function planHead(ctx: StepContext): Omit<PlanDocument, 'users' | 'otherRows'> {
  const cp = ctx.checkpoint;
  const createdAt = cp.finishedAt ?? new Date(ctx.deps.clock.now()).toISOString();
  const account = cp.account ?? { host: 'unknown' };
  const sha256 = cp.inputSha256 ?? '';
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    kind: 'plan',
    planId: planIdFor(sha256, account, createdAt),
    createdAt,
    jobId: ctx.spec.id,
    input: { name: ctx.deps.input.name, sha256, rows: cp.rowsTotal },
    account,
    settings: planSettings(ctx.spec.options),
  };
}

/** The options that shaped the plan, for the reviewer; the live run's own bounds (plan age) are not part of it. */
function planSettings(options: JobOptions): Record<string, unknown> {
  const { planMaxAgeHours: _age, ...shaping } = options;
  return { maxDeletions: null, ...shaping };
}

function otherRowOf(row: RowOutcome): PlanOtherRow {
  const other: PlanOtherRow = { line: row.line, outcome: row.outcome };
  if (row.reason !== undefined) other.reason = row.reason;
  if (row.message !== undefined) other.message = row.message;
  if (row.reason === 'not-suspended' && row.user !== undefined) other.user = plannedUserOf(row.user, row.line);
  return other;
}

async function* listed<T>(ctx: StepContext, pick: (row: RowOutcome) => T | null): AsyncGenerator<string> {
  let first = true;
  for await (const rows of finalRows(ctx)) {
    const items = rows.map(pick).filter((item): item is T => item !== null);
    if (items.length === 0) continue;
    yield (first ? '\n' : ',\n') + items.map((item) => JSON.stringify(item)).join(',\n');
    first = false;
  }
}
