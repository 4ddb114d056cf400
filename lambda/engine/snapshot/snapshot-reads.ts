// What a snapshot line holds of a user: the batched lookup's record, read again one by one where it lacks what a
// restore needs (docs/undo.md). 'basic' never reads again and names what is missing. Once a batched lookup has shown
// that the account's listing lacks those fields, a full snapshot reads each user with its own GET only (which also tells
// a user gone): 2 calls per deleted user, not 2 + a listing. A read that fails after its retries fails only its own rows
// (nothing of theirs is changed); a rate-limit wait ends the reads with what was read, each read user a step's progress.
import { DirectoryCallError, WaitRequiredError } from '../directory-errors.ts';
import { forEachLimited } from '../limited-concurrency.ts';
import type { UserRecord } from '../ports.ts';
import type { StepContext } from '../step-context.ts';
import { isJsonObject as isObject } from './snapshot-line.ts';

/** Fields a full snapshot must hold for a restore to bring them back; a listing may leave them out. */
const RESTORE_FIELDS = ['custom_attributes', 'role_ids'] as const;

export interface SnapshotRecord {
  record: UserRecord;
  roles: number[];
  missingFields: string[];
}

export interface SnapshotReads {
  /** Users read in full, by id; an id that is in none of the maps and not `unread` is gone. */
  records: Map<number, SnapshotRecord>;
  /** Users whose read failed after its retries. */
  failed: Map<number, DirectoryCallError>;
  /** Users not read before a rate-limit wait (`wait`): the next step reads them. */
  unread: Set<number>;
  wait?: WaitRequiredError;
}

/** The records of the batch's users, complete unless the snapshot is 'basic'. */
export async function readSnapshotRecords(ctx: StepContext, ids: readonly number[]): Promise<SnapshotReads> {
  const reads: SnapshotReads = { records: new Map(), failed: new Map(), unread: new Set() };
  const full = (ctx.spec.options.snapshot ?? 'full') === 'full';
  const cp = ctx.checkpoint;
  const listed: Array<UserRecord | number> =
    full && cp.listingLacksSnapshotFields === true ? [...ids] : await listRecords(ctx, ids, reads);
  if (full && listed.some((entry) => typeof entry !== 'number' && lacksSnapshotFields(entry)))
    cp.listingLacksSnapshotFields = true;
  // A few reads in flight at once (the directory paces them): a slow answer does not hold up the batch.
  await forEachLimited(listed, Math.max(1, ctx.tuning.lookupConcurrency), async (entry) => {
    const id = typeof entry === 'number' ? entry : entry.id;
    if (reads.wait) {
      reads.unread.add(id);
      return;
    }
    try {
      const completed = full ? await completeRecord(ctx, entry) : (entry as UserRecord);
      if (completed !== null) reads.records.set(id, describe(completed));
    } catch (error) {
      settleReadError(error, [id], reads);
    }
  });
  return reads;
}

function lacksSnapshotFields(record: UserRecord): boolean {
  return !isObject(record.custom_attributes) || !Array.isArray(record.role_ids);
}

/** The batched lookup (one call per id batch); a batch that fails fails its users. */
async function listRecords(ctx: StepContext, ids: readonly number[], reads: SnapshotReads): Promise<UserRecord[]> {
  const { directory } = ctx.deps;
  const size = Math.max(1, directory.idBatchSize);
  const listed: UserRecord[] = [];
  for (let start = 0; start < ids.length; start += size) {
    const slice = ids.slice(start, start + size);
    if (reads.wait) {
      for (const id of slice) reads.unread.add(id);
      continue;
    }
    try {
      listed.push(...(await directory.getUserRecords(slice)));
    } catch (error) {
      settleReadError(error, slice, reads);
    }
  }
  return listed;
}

function settleReadError(error: unknown, ids: readonly number[], reads: SnapshotReads): void {
  if (error instanceof WaitRequiredError) {
    reads.wait = error;
    for (const id of ids) reads.unread.add(id);
  } else if (error instanceof DirectoryCallError) {
    for (const id of ids) reads.failed.set(id, error);
  } else throw error;
}

/**
 * GET /api/2/users/:id for a user known by id only or whose record lacks custom_attributes, then the user's roles when
 * role_ids are still missing. null: the user is gone.
 */
async function completeRecord(ctx: StepContext, entry: UserRecord | number): Promise<UserRecord | null> {
  const { directory } = ctx.deps;
  const id = typeof entry === 'number' ? entry : entry.id;
  const complete: UserRecord | null =
    typeof entry === 'number' || !isObject(entry.custom_attributes) ? await directory.getUserRecord(id) : entry;
  if (complete === null || Array.isArray(complete.role_ids)) return complete;
  const roles = await directory.getUserRoleIds(id);
  return roles === null ? null : { ...complete, role_ids: roles };
}

function describe(record: UserRecord): SnapshotRecord {
  const missingFields: string[] = RESTORE_FIELDS.filter((field) =>
    field === 'role_ids' ? !Array.isArray(record.role_ids) : !isObject(record[field]),
  );
  const roles = Array.isArray(record.role_ids)
    ? record.role_ids.filter((id): id is number => Number.isSafeInteger(id) && (id as number) > 0)
    : [];
  return { record, roles, missingFields };
}
