// The change a live deletion makes to each planned user: one DELETE. Resumed, a 404 means our earlier DELETE went
// through (its answer was lost), so the user is reported deleted, never already-absent.
import type { ChangeOperation, PreparedBatch } from './change-operation.ts';
import { DirectoryCallError } from './directory-errors.ts';
import type { StepContext } from './step-context.ts';
import type { RowSettlement } from './stored-row.ts';
import { plannedUserId } from './stored-row.ts';

const CONFIRMED_MESSAGE = 'confirmed deleted after an interrupted step';
const CONFIRMED_BY_CHECK = 'confirmed deleted after the job was stopped';
const LOST_ANSWER_MESSAGE =
  'deleted: the answer to the first DELETE was lost, and its retry found the user gone (404), so the first one went through';

export const deleteOperation: ChangeOperation = {
  async prepare(_ctx, batch): Promise<PreparedBatch> {
    return { settled: [], toChange: [...batch] };
  },

  async change(ctx, row, resumed): Promise<RowSettlement> {
    try {
      const result = await ctx.deps.directory.deleteUser(plannedUserId(row));
      if (result === 'deleted') return { line: row.line, outcome: 'deleted' };
      if (result === 'absent-after-retry') return { line: row.line, outcome: 'deleted', message: LOST_ANSWER_MESSAGE };
      if (resumed) return { line: row.line, outcome: 'deleted', message: CONFIRMED_MESSAGE };
      return { line: row.line, outcome: 'already-absent', message: 'the user was gone at delete time' };
    } catch (error) {
      if (!(error instanceof DirectoryCallError)) throw error;
      return { line: row.line, outcome: 'failed', reason: error.reason, message: `delete failed: ${error.message}` };
    }
  },

  /** A listing by id tells which users are gone: those DELETEs went through. */
  async settleInterrupted(ctx, rows): Promise<RowSettlement[]> {
    const present = await stillPresent(ctx, rows.map(plannedUserId));
    if (present === undefined) {
      return rows.map((row) => ({
        line: row.line,
        outcome: 'failed',
        reason: 'aborted',
        message: 'the job stopped while this user was being deleted; it may be deleted',
      }));
    }
    return rows
      .filter((row) => !present.has(plannedUserId(row)))
      .map((row) => ({ line: row.line, outcome: 'deleted', message: CONFIRMED_BY_CHECK }));
  },
};

/** Which of the users are still in the account (a listing by id), or undefined when the directory cannot tell. */
async function stillPresent(ctx: StepContext, ids: readonly number[]): Promise<Set<number> | undefined> {
  const present = new Set<number>();
  const size = Math.max(1, ctx.deps.directory.idBatchSize);
  try {
    for (let i = 0; i < ids.length; i += size) {
      for (const user of await ctx.deps.directory.getUsersByIds(ids.slice(i, i + size))) present.add(user.id);
    }
  } catch (error) {
    ctx.deps.logger.warn('could not check deletions in flight when the job stopped', { error: (error as Error).name });
    return undefined;
  }
  return present;
}
