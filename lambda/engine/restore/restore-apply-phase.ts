// The apply phase of a live restore until the shared apply phase drives change operations (apply-phase.ts, helper
// "changes"): the same write-ahead rule — the intent naming a batch is saved before any of its changes is sent, and a
// row of an intent found on resume is changed again as `resumed` (its earlier answer may have been lost).
import type { ChangeOperation } from '../change-operation.ts';
import type { DeleteIntent } from '../checkpoint.ts';
import { forEachLimited } from '../limited-concurrency.ts';
import type { PhaseResult } from '../phase-result.ts';
import { NEXT, YIELD_NOW } from '../phase-result.ts';
import type { StepContext } from '../step-context.ts';
import type { RowSettlement, StoredRow } from '../stored-row.ts';
import { applySettlement, readChunk, writeChunk } from '../stored-row.ts';

export async function restoreApplyPhase(ctx: StepContext, operation: ChangeOperation): Promise<PhaseResult> {
  const cp = ctx.checkpoint;
  while (cp.applyChunk < cp.chunkCount) {
    const index = cp.applyChunk;
    const rows = await readChunk(ctx.store, ctx.spec.statePrefix, index);
    const byLine = new Map(rows.map((row) => [row.line, row]));
    if (cp.intent) {
      const resumed = cp.intent.lines.map((line) => byLine.get(line)).filter(isUnsettled);
      await changeBatch(ctx, operation, { index, rows }, resumed, true);
    }
    const queue = rows.filter((row) => row.planned && row.outcome === undefined);
    const size = Math.max(1, ctx.tuning.deleteBatch);
    for (let start = 0; start < queue.length; start += size) {
      if (ctx.shouldYield()) return YIELD_NOW;
      await changeBatch(ctx, operation, { index, rows }, queue.slice(start, start + size), false);
    }
    cp.applyChunk = index + 1;
    await ctx.save();
  }
  ctx.deps.logger.info('restore applied', { restored: cp.counts.restored, failed: cp.counts.failed });
  return NEXT;
}

function isUnsettled(row: StoredRow | undefined): row is StoredRow {
  return row !== undefined && row.outcome === undefined;
}

/**
 * prepare → intent saved → change each row → complete → outcomes saved (the chunk), then the intent cleared. A job-level
 * stop (a rate-limit wait, the directory unavailable) keeps the rows it did not settle in the intent and is rethrown.
 */
async function changeBatch(
  ctx: StepContext,
  operation: ChangeOperation,
  chunk: { index: number; rows: StoredRow[] },
  batch: StoredRow[],
  resumed: boolean,
): Promise<void> {
  const cp = ctx.checkpoint;
  const prepared = await operation.prepare(ctx, batch);
  cp.intent = intentOf(chunk.index, prepared.toChange);
  await ctx.save();
  const changed: RowSettlement[] = [];
  let stop: unknown;
  try {
    await forEachLimited(prepared.toChange, Math.max(1, ctx.tuning.deleteConcurrency), async (row) => {
      changed.push(await operation.change(ctx, row, resumed));
    });
  } catch (error) {
    stop = error;
  }
  const completed = operation.complete ? await operation.complete(ctx, changed) : changed;
  const settled = [...prepared.settled, ...completed];
  const byLine = new Map(chunk.rows.map((row) => [row.line, row]));
  for (const settlement of settled) {
    const row = byLine.get(settlement.line);
    if (row) applySettlement(row, settlement);
  }
  await writeChunk(ctx.store, ctx.spec.statePrefix, chunk.index, chunk.rows);
  for (const settlement of settled) ctx.count(settlement.outcome);
  cp.intent = intentOf(chunk.index, prepared.toChange.filter(isUnsettled));
  await ctx.save();
  ctx.reportProgress();
  if (stop !== undefined) throw stop;
}

function intentOf(chunk: number, rows: readonly StoredRow[]): DeleteIntent | undefined {
  if (rows.length === 0) return undefined;
  return { chunk, lines: rows.map((row) => row.line), userIds: rows.map((row) => row.user?.id ?? 0) };
}

/**
 * Before a restore job stops early: lines whose change was in flight are `failed` / `aborted` — the user may have been
 * created, so the message says how to find out. (The deletion's own settling would read an old id that is gone as
 * "deleted".) The caller saves the checkpoint.
 */
export async function settleInterruptedRestores(ctx: StepContext): Promise<void> {
  const cp = ctx.checkpoint;
  const intent = cp.intent;
  if (!intent) return;
  const rows = await readChunk(ctx.store, ctx.spec.statePrefix, intent.chunk);
  const lines = new Set(intent.lines);
  for (const row of rows) {
    if (!lines.has(row.line) || row.outcome !== undefined) continue;
    applySettlement(row, {
      line: row.line,
      outcome: 'failed',
      reason: 'aborted',
      message:
        'the job stopped while this line was being restored: the user may have been created; restore the line again (a user this run created is then found present) and check its roles',
    });
  }
  await writeChunk(ctx.store, ctx.spec.statePrefix, intent.chunk, rows);
  cp.intent = undefined;
}
