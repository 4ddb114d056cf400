// What a snapshot line holds of a user: the batched lookup's record, read again one by one where it lacks what a
// restore needs (docs/undo.md). 'basic' never reads again and names what is missing.
import type { UserRecord } from '../ports.ts';
import type { StepContext } from '../step-context.ts';

/** Fields a full snapshot must hold for a restore to bring them back; a listing may leave them out. */
const RESTORE_FIELDS = ['custom_attributes', 'role_ids'] as const;

export interface SnapshotRecord {
  record: UserRecord;
  roles: number[];
  missingFields: string[];
}

/** The records of the batch's users by id (gone users are absent), complete unless the snapshot is 'basic'. */
export async function readSnapshotRecords(
  ctx: StepContext,
  ids: readonly number[],
): Promise<Map<number, SnapshotRecord>> {
  const { directory } = ctx.deps;
  const found = new Map<number, SnapshotRecord>();
  const size = Math.max(1, directory.idBatchSize);
  for (let start = 0; start < ids.length; start += size) {
    for (const record of await directory.getUserRecords(ids.slice(start, start + size))) {
      found.set(record.id, { record, roles: [], missingFields: [] });
    }
  }
  const full = (ctx.spec.options.snapshot ?? 'full') === 'full';
  for (const [id, entry] of found) {
    const completed = full ? await completeRecord(ctx, entry.record) : entry.record;
    if (completed === null) found.delete(id);
    else found.set(id, describe(completed));
  }
  return found;
}

/** GET /api/2/users/:id when custom_attributes are missing, then the user's roles when role_ids still are. */
async function completeRecord(ctx: StepContext, record: UserRecord): Promise<UserRecord | null> {
  const { directory } = ctx.deps;
  let complete: UserRecord | null = record;
  if (!isObject(record.custom_attributes)) complete = await directory.getUserRecord(record.id);
  if (complete === null || Array.isArray(complete.role_ids)) return complete;
  const roles = await directory.getUserRoleIds(record.id);
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
