// Phase 3 (live only): delete the planned users, exactly once each.
// Before a batch of DELETEs its intent (lines, user ids) is saved in the checkpoint; after it, the rows' outcomes, then the
// checkpoint without the intent. On resume an intent's rows that have no outcome yet are sent again: a 404 there means
// our earlier DELETE went through. A user is never sent a second DELETE once its outcome is saved.
import type { StepContext } from './step-context.ts';
import { DirectoryCallError, WaitRequiredError } from './directory-errors.ts';
import { forEachLimited } from './limited-concurrency.ts';
import { readChunk, writeChunk } from './stored-row.ts';
import type { StoredRow } from './stored-row.ts';
import type { Outcome } from './outcomes.ts';
import { tuning } from './engine-tuning.ts';

const CONFIRMED_MESSAGE = 'confirmed deleted after an interrupted step';

export async function applyPhase(ctx: StepContext): Promise<'complete' | 'yield'> {
  const cp = ctx.checkpoint;
  while (cp.applyChunk < cp.chunkCount) {
    const chunkIndex = cp.applyChunk;
    const rows = await readChunk(ctx.store, ctx.spec.statePrefix, chunkIndex);
    if (cp.intent && cp.intent.chunk === chunkIndex) {
      const lines = new Set(cp.intent.lines);
      const batch = rows.filter((row) => lines.has(row.line));
      const pending = batch.filter((row) => row.outcome === undefined);
      // Rows whose outcome reached the chunk but not the checkpoint's counts.
      for (const row of batch) if (row.outcome !== undefined) ctx.count(row.outcome);
      await deleteBatch(ctx, chunkIndex, rows, pending, true);
    }
    for (;;) {
      const batch = rows.filter((row) => row.planned && row.outcome === undefined).slice(0, tuning.deleteBatch);
      if (batch.length === 0) break;
      if (ctx.shouldYield()) return 'yield';
      cp.intent = { chunk: chunkIndex, lines: batch.map((row) => row.line), userIds: batch.map((row) => (row.user as { id: number }).id) };
      await ctx.save();
      await deleteBatch(ctx, chunkIndex, rows, batch, false);
    }
    cp.applyChunk = chunkIndex + 1;
    await ctx.save();
  }
  cp.phase = 'report';
  ctx.deps.logger.info('deletions applied', { deleted: cp.counts.deleted, alreadyAbsent: cp.counts['already-absent'], failed: cp.counts.failed });
  await ctx.save();
  return 'complete';
}

/**
 * Sends the batch's DELETEs, then saves outcomes (chunk first, then the checkpoint without the intent).
 * A job-level error (wait, unavailable) is rethrown after what did complete is saved; rows it stopped keep no outcome.
 * Any other error leaves the intent in place: the next step re-sends those DELETEs.
 */
async function deleteBatch(ctx: StepContext, chunkIndex: number, rows: StoredRow[], batch: StoredRow[], resumed: boolean): Promise<void> {
  const { directory } = ctx.deps;
  const outcomes = new Map<StoredRow, { outcome: Outcome; reason?: string; message?: string }>();
  let stop: unknown;
  try {
    await forEachLimited(batch, tuning.deleteConcurrency, async (row) => {
      const id = (row.user as { id: number }).id;
      try {
        const result = await directory.deleteUser(id);
        if (result === 'deleted') outcomes.set(row, { outcome: 'deleted' });
        else if (resumed) outcomes.set(row, { outcome: 'deleted', message: CONFIRMED_MESSAGE });
        else outcomes.set(row, { outcome: 'already-absent', message: 'the user was gone at delete time' });
      } catch (error) {
        if (!(error instanceof DirectoryCallError)) throw error;
        outcomes.set(row, { outcome: 'failed', reason: error.reason, message: `delete failed: ${error.message}` });
      }
    });
  } catch (error) {
    // Only a "wait for the rate limit" or "directory unavailable" answer means the DELETE was never accepted;
    // anything else (a crash, a lost answer) must leave the intent so the DELETE's fate is settled on resume.
    if (!(error instanceof WaitRequiredError) && !isUnavailable(error)) throw error;
    stop = error;
  }
  for (const [row, result] of outcomes) Object.assign(row, result);
  await writeChunk(ctx.store, ctx.spec.statePrefix, chunkIndex, rows);
  for (const result of outcomes.values()) ctx.count(result.outcome);
  // A resumed batch's rows still without outcome may have been deleted by the interrupted step: keep them in the intent.
  const uncertain = resumed ? batch.filter((row) => row.outcome === undefined) : [];
  ctx.checkpoint.intent =
    uncertain.length === 0
      ? undefined
      : { chunk: chunkIndex, lines: uncertain.map((row) => row.line), userIds: uncertain.map((row) => (row.user as { id: number }).id) };
  await ctx.save();
  ctx.reportProgress();
  if (stop !== undefined) throw stop;
}

function isUnavailable(error: unknown): boolean {
  return error instanceof Error && error.name === 'DirectoryUnavailableError';
}
