// The resolve step of a restore job (docs/restore.md): each snapshot line is planned (would-restore in a dry run) or
// settled — already-present, not-found, wrong-account, protected, failed. Resumable per slice like resolve-phase.ts: a
// slice's rows and the cursor after them are saved together; a slice interrupted part-way is planned again.
import { refusedAsWhole } from '../account-binding.ts';
import type { Outcome } from '../outcomes.ts';
import type { PhaseResult } from '../phase-result.ts';
import { YIELD_NOW } from '../phase-result.ts';
import type { AccountRef } from '../plan/plan-document.ts';
import type { ProtectRules } from '../protect-rules.ts';
import type { SnapshotLine } from '../snapshot/snapshot-line.ts';
import type { StepContext } from '../step-context.ts';
import type { StoredRow } from '../stored-row.ts';
import { readChunk, readChunks, resetResolution, writeChunk } from '../stored-row.ts';
import { lineElsewhere } from './line-account.ts';
import { concludeRestorePlan } from './restore-budget.ts';
import { planLine } from './restore-line-plan.ts';
import { lookUpSlice } from './restore-lookups.ts';

export async function restorePlanPhase(ctx: StepContext, protect: ProtectRules): Promise<PhaseResult> {
  const cp = ctx.checkpoint;
  const account = cp.account as AccountRef;
  if (cp.resolveCursor.chunk === 0 && cp.resolveCursor.row === 0) {
    const refusal = await everyLineElsewhere(ctx, account);
    if (refusal !== undefined) return refusal;
  }
  if (cp.accountUsers === undefined) {
    cp.accountUsers = await ctx.deps.directory.countUsers();
    await ctx.save();
  }
  const sliceRows = Math.max(ctx.tuning.lookupSliceRows, ctx.deps.directory.idBatchSize);
  while (cp.resolveCursor.chunk < cp.chunkCount) {
    const index = cp.resolveCursor.chunk;
    const rows = await readChunk(ctx.store, ctx.spec.statePrefix, index);
    for (let i = cp.resolveCursor.row; i < rows.length; i += 1) resetResolution(rows[i] as StoredRow);
    for (let start = cp.resolveCursor.row; start < rows.length; start += sliceRows) {
      if (ctx.shouldYield()) return YIELD_NOW;
      await planSlice(ctx, { index, rows }, start, Math.min(rows.length, start + sliceRows), { account, protect });
    }
    if (cp.resolveCursor.chunk === index) {
      cp.resolveCursor = { chunk: index + 1, row: 0 };
      await ctx.save();
    }
  }
  return concludeRestorePlan(ctx);
}

/** Every readable line was taken in another account: the run is refused as a whole, before any lookup. */
async function everyLineElsewhere(ctx: StepContext, account: AccountRef): Promise<PhaseResult | undefined> {
  let lines = 0;
  let example: SnapshotLine | undefined;
  for await (const { rows } of readChunks(ctx.store, ctx.spec.statePrefix, 0, ctx.checkpoint.chunkCount)) {
    for (const row of rows) {
      if (row.snapshot === undefined || row.outcome !== undefined) continue;
      if (!lineElsewhere(row.snapshot.account, account)) return undefined;
      lines += 1;
      example ??= row.snapshot;
    }
  }
  if (example === undefined) return undefined;
  const taken = example.account.accountId === undefined ? '' : ` account ${example.account.accountId} on`;
  const reached = account.accountId === undefined ? '' : ` account ${account.accountId} on`;
  ctx.deps.logger.warn('restore refused: the snapshot is from another account', { lines, host: account.host });
  return refusedAsWhole(
    'wrong-account',
    `the snapshot was taken in${taken} ${example.account.host}; the credentials reach${reached} ${account.host}: nothing was changed`,
  );
}

/** Plans rows[start, end) of a chunk; the chunk, the counts and the cursor after them are saved together. */
async function planSlice(
  ctx: StepContext,
  chunk: { index: number; rows: StoredRow[] },
  start: number,
  end: number,
  rules: { account: AccountRef; protect: ProtectRules },
): Promise<void> {
  const cp = ctx.checkpoint;
  const slice = chunk.rows.slice(start, end).filter((row) => row.snapshot !== undefined && row.outcome === undefined);
  const outstanding = slice.filter((row) => !lineElsewhere((row.snapshot as SnapshotLine).account, rules.account));
  const lookups = await lookUpSlice(
    ctx,
    outstanding.map((row) => row.snapshot as SnapshotLine),
  );
  const counted: Outcome[] = [];
  for (const row of slice) {
    const plan = planLine(row.snapshot as SnapshotLine, { ...rules, lookups, mode: ctx.spec.mode });
    Object.assign(row, plan);
    if ('planned' in plan) cp.planned += 1;
    if (plan.outcome !== undefined) counted.push(plan.outcome);
  }
  await writeChunk(ctx.store, ctx.spec.statePrefix, chunk.index, chunk.rows);
  for (const outcome of counted) ctx.count(outcome);
  cp.resolveCursor = end >= chunk.rows.length ? { chunk: chunk.index + 1, row: 0 } : { chunk: chunk.index, row: end };
  await ctx.save();
  ctx.reportProgress();
}
