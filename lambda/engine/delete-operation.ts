// The change a live deletion makes to each planned user: its snapshot line stored, then one DELETE. Resumed, a 404 means our earlier DELETE went
// through (its answer was lost), so the user is reported deleted, never already-absent.
import type { ChangeOperation, PreparedBatch } from './change-operation.ts';
import { DirectoryCallError } from './directory-errors.ts';
import { notSuspendedRefusal } from './job-guards.ts';
import { prepareWithSnapshot } from './snapshot/snapshot-prepare.ts';
import type { RowSettlement } from './stored-row.ts';
import { plannedUserId } from './stored-row.ts';
import { usersNow } from './users-now.ts';

const CONFIRMED_MESSAGE = 'confirmed deleted after an interrupted step';
const CONFIRMED_BY_CHECK = 'confirmed deleted after the job was stopped';
const LOST_ANSWER_MESSAGE =
  'deleted: the answer to the first DELETE was lost, and its retry found the user gone (404), so the first one went through';

export const deleteOperation: ChangeOperation = {
  /** The users as they are now, snapshotted; with --only-suspended, one not suspended now is never deleted. */
  prepare(ctx, batch): Promise<PreparedBatch> {
    return prepareWithSnapshot(ctx, batch, 'delete', (row, current) => {
      if (ctx.spec.options.onlySuspended !== true) return undefined;
      const refusal = notSuspendedRefusal(current.record.status);
      return (
        refusal && { line: row.line, outcome: 'rejected', ...refusal, message: `${refusal.message} at delete time` }
      );
    });
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
    const present = await usersNow(ctx, rows.map(plannedUserId), 'deletions');
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
