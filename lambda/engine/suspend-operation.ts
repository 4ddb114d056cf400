// The change a live suspension makes to each planned user (docs/undo.md): its snapshot line (with its previous status)
// stored, then PUT status 2 and a sign-out of every session. Suspending again is harmless, so a resumed row is simply
// sent again.
import type { ChangeOperation, PreparedBatch } from './change-operation.ts';
import { DirectoryCallError } from './directory-errors.ts';
import { ALREADY_SUSPENDED_MESSAGE, SUSPENDED_STATUS } from './job-guards.ts';
import { prepareWithSnapshot } from './snapshot/snapshot-prepare.ts';
import type { StepContext } from './step-context.ts';
import type { RowSettlement } from './stored-row.ts';
import { plannedUserId } from './stored-row.ts';
import { usersNow } from './users-now.ts';

export const suspendOperation: ChangeOperation = {
  prepare(ctx, batch): Promise<PreparedBatch> {
    return prepareWithSnapshot(ctx, batch, 'suspend', (row, current) =>
      current.record.status === SUSPENDED_STATUS
        ? { line: row.line, outcome: 'already-suspended', message: ALREADY_SUSPENDED_MESSAGE }
        : undefined,
    );
  },

  async change(ctx, row): Promise<RowSettlement> {
    const id = plannedUserId(row);
    try {
      if ((await ctx.deps.directory.setUserStatus(id, SUSPENDED_STATUS)) === 'absent')
        return { line: row.line, outcome: 'already-absent', message: 'the user was gone at suspend time' };
    } catch (error) {
      if (!(error instanceof DirectoryCallError)) throw error;
      return { line: row.line, outcome: 'failed', reason: error.reason, message: `suspend failed: ${error.message}` };
    }
    return { line: row.line, outcome: 'suspended', ...(await signOut(ctx, id)) };
  },

  /** A user whose status is 2 now was suspended by the PUT in flight; any other was not changed. */
  async settleInterrupted(ctx, rows): Promise<RowSettlement[]> {
    const now = await usersNow(ctx, rows.map(plannedUserId), 'suspensions');
    if (now === undefined) {
      return rows.map((row) => ({
        line: row.line,
        outcome: 'failed',
        reason: 'aborted',
        message: 'the job stopped while this user was being suspended; it may be suspended',
      }));
    }
    return rows
      .filter((row) => now.get(plannedUserId(row))?.status === SUSPENDED_STATUS)
      .map((row) => ({
        line: row.line,
        outcome: 'suspended',
        message: 'confirmed suspended after the job was stopped',
      }));
  },
};

/** The sign-out after a suspension: its failure leaves the user suspended, and says so. */
async function signOut(ctx: StepContext, id: number): Promise<{ message?: string }> {
  try {
    await ctx.deps.directory.logOutUser(id);
    return {};
  } catch (error) {
    if (!(error instanceof DirectoryCallError)) throw error;
    return {
      message: `suspended, but signing the user out failed (${error.message}): open sessions may last until they expire`,
    };
  }
}
