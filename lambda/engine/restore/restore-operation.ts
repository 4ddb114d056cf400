// The change a live restore makes to each planned snapshot line (docs/restore.md), driven by the apply phase like any
// ChangeOperation: a deleted user is created again (a new id), then its roles are assigned again, one call per role for
// the whole batch; a suspended user gets its previous status back. Nothing is snapshotted first: a restore only adds
// back what a snapshot kept, and a restored user is itself a new user, not a change to keep.
import type { ChangeOperation, PreparedBatch } from '../change-operation.ts';
import { DirectoryCallError } from '../directory-errors.ts';
import type { SnapshotLine } from '../snapshot/snapshot-line.ts';
import type { StepContext } from '../step-context.ts';
import type { RowSettlement, StoredRow } from '../stored-row.ts';
import { createFieldsOf } from './create-fields.ts';
import { earlierAttemptUser } from './earlier-attempt.ts';
import { userOfRecord } from './record-user.ts';
import { assignRoles, type PendingRoles } from './role-assignment.ts';

const INTERRUPTED_MESSAGE =
  'the job stopped while this line was being restored: the user may have been created; restore the line again (a user this run created is then found present) and check its roles';

/** Roles still to assign, by line, for each step: filled by change, used (and emptied) by complete. */
const pendingByStep = new WeakMap<StepContext, PendingRoles>();

function pendingOf(ctx: StepContext): PendingRoles {
  let pending = pendingByStep.get(ctx);
  if (pending === undefined) {
    pending = new Map();
    pendingByStep.set(ctx, pending);
  }
  return pending;
}

export const restoreOperation: ChangeOperation = {
  async prepare(_ctx, batch): Promise<PreparedBatch> {
    return { settled: [], toChange: [...batch] };
  },

  async change(ctx, row, resumed): Promise<RowSettlement> {
    const snapshot = row.snapshot as SnapshotLine;
    try {
      if (snapshot.action === 'suspend') return await giveStatusBack(ctx, row, snapshot);
      return await createAgain(ctx, row, snapshot, resumed);
    } catch (error) {
      if (!(error instanceof DirectoryCallError)) throw error;
      return { line: row.line, outcome: 'failed', reason: error.reason, message: `restore failed: ${error.message}` };
    }
  },

  /** A line in flight when the job stopped may have created its user: the message says how to find out. */
  async settleInterrupted(_ctx, rows): Promise<RowSettlement[]> {
    return rows.map((row) => ({ line: row.line, outcome: 'failed', reason: 'aborted', message: INTERRUPTED_MESSAGE }));
  },

  async complete(ctx, settled): Promise<RowSettlement[]> {
    const pending = pendingOf(ctx);
    try {
      return await assignRoles(ctx, settled, pending);
    } finally {
      for (const settlement of settled) pending.delete(settlement.line);
    }
  },
};

async function giveStatusBack(ctx: StepContext, row: StoredRow, snapshot: SnapshotLine): Promise<RowSettlement> {
  const previous = snapshot.previousStatus as number;
  const result = await ctx.deps.directory.setUserStatus(snapshot.user.id, previous);
  if (result === 'absent')
    return { line: row.line, outcome: 'not-found', message: 'the user was deleted since the snapshot' };
  const user = { ...(row.user ?? userOfRecord(snapshot.user)), status: previous };
  return { line: row.line, outcome: 'restored', message: `its previous status (${previous}) is back`, user };
}

/**
 * POST /api/2/users with what the snapshot kept. A conflict is a user who has the username or email now
 * (already-present) — unless an earlier attempt of this run may have created it and lost the answer: then the user
 * found with every identifier of the line is that attempt's.
 */
async function createAgain(
  ctx: StepContext,
  row: StoredRow,
  snapshot: SnapshotLine,
  resumed: boolean,
): Promise<RowSettlement> {
  const oldId = snapshot.user.id;
  const result = await ctx.deps.directory.createUser(createFieldsOf(snapshot.user, snapshot.previousStatus));
  if ('created' in result) {
    const user = userOfRecord(result.created);
    pendingOf(ctx).set(row.line, { userId: user.id, roles: snapshot.roles, oldId });
    return { line: row.line, outcome: 'restored', message: `created again: old id ${oldId} → new id ${user.id}`, user };
  }
  const earlier = resumed ? await earlierAttemptUser(ctx, snapshot) : undefined;
  if (earlier !== undefined) {
    pendingOf(ctx).set(row.line, { userId: earlier.id, roles: snapshot.roles, oldId });
    const message = `created by an earlier attempt of this run: old id ${oldId} → new id ${earlier.id}`;
    return { line: row.line, outcome: 'restored', message, user: earlier };
  }
  const message = `a user with this username or email exists now (OneLogin: ${result.conflict.slice(0, 120)}): nothing was created`;
  return { line: row.line, outcome: 'already-present', message };
}
