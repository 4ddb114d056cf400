// The prepare step of a change that keeps a snapshot (deletion, suspension): the batch's users are read again — their
// state at change time, which the guards check — and the lines of the users to change are stored before any change is
// sent (docs/undo.md). A part that cannot be stored throws: nothing of the batch is changed.
import type { PreparedBatch } from '../change-operation.ts';
import type { DirectoryCallError } from '../directory-errors.ts';
import type { StepContext } from '../step-context.ts';
import type { RowSettlement, StoredRow } from '../stored-row.ts';
import { plannedUserId } from '../stored-row.ts';
import type { SnapshotLine } from './snapshot-line.ts';
import { SNAPSHOT_SCHEMA_VERSION } from './snapshot-line.ts';
import { writeSnapshotPart } from './snapshot-parts.ts';
import type { SnapshotRecord } from './snapshot-reads.ts';
import { readSnapshotRecords } from './snapshot-reads.ts';

/** What the operation says of a user as it is now: settled without a change, or to be changed (undefined). */
export type ChangeGuard = (row: StoredRow, current: SnapshotRecord) => RowSettlement | undefined;

export async function prepareWithSnapshot(
  ctx: StepContext,
  batch: readonly StoredRow[],
  action: SnapshotLine['action'],
  guard: ChangeGuard,
): Promise<PreparedBatch> {
  const reads = await readSnapshotRecords(ctx, batch.map(plannedUserId));
  // Nothing read before a rate-limit wait: the step ends here, the batch is prepared again after the wait.
  if (reads.wait && reads.records.size === 0 && reads.failed.size === 0) throw reads.wait;
  const prepared: PreparedBatch = { settled: [], toChange: [] };
  if (reads.wait) prepared.stop = reads.wait;
  const lines: SnapshotLine[] = [];
  const account = ctx.checkpoint.account ?? (await ctx.deps.directory.account());
  const at = new Date(ctx.deps.clock.now()).toISOString();
  for (const row of batch) {
    const id = plannedUserId(row);
    if (reads.unread.has(id)) continue;
    const failure = reads.failed.get(id);
    if (failure !== undefined) {
      prepared.settled.push(readFailed(row, failure, action));
      continue;
    }
    const current = reads.records.get(id);
    if (current === undefined) {
      prepared.settled.push({
        line: row.line,
        outcome: 'already-absent',
        message: `the user was gone at ${action} time`,
      });
      continue;
    }
    const settled = guard(row, current);
    if (settled !== undefined) {
      prepared.settled.push(settled);
      continue;
    }
    prepared.toChange.push(row);
    lines.push(lineOf(ctx, row, current, action, account, at));
  }
  if (lines.length > 0) await storeLines(ctx, lines);
  return prepared;
}

function readFailed(row: StoredRow, error: DirectoryCallError, action: SnapshotLine['action']): RowSettlement {
  return {
    line: row.line,
    outcome: 'failed',
    reason: error.reason,
    message: `the user could not be read for its snapshot, so it was not ${action === 'delete' ? 'deleted' : 'suspended'}: ${error.message}`,
  };
}

function lineOf(
  ctx: StepContext,
  row: StoredRow,
  current: SnapshotRecord,
  action: SnapshotLine['action'],
  account: SnapshotLine['account'],
  at: string,
): SnapshotLine {
  const status = current.record.status;
  const line: SnapshotLine = {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    jobId: ctx.spec.id,
    at,
    action,
    line: row.line,
    account,
    user: current.record,
    roles: current.roles,
    previousStatus: typeof status === 'number' ? status : null,
  };
  if (current.missingFields.length > 0) line.missingFields = current.missingFields;
  return line;
}

/** The part takes the checkpoint's next number; the counter is saved with the batch's intent. */
async function storeLines(ctx: StepContext, lines: readonly SnapshotLine[]): Promise<void> {
  const cp = ctx.checkpoint;
  const seq = cp.snapshotParts ?? 0;
  await writeSnapshotPart(ctx.store, ctx.spec.statePrefix, seq, lines);
  cp.snapshotParts = seq + 1;
}
