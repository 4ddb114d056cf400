// What a restore plan asks the directory for one slice of lines (docs/restore.md, "Costs"): for a deleted user, whether
// a user with its username or email exists now (a dry run asks both, a live run one, and lets the create's conflict
// answer the other); for a suspended user, the user as it is now (batched by id).
import { DirectoryCallError } from '../directory-errors.ts';
import { sameText } from '../identifier-text.ts';
import { forEachLimited } from '../limited-concurrency.ts';
import type { Mode, ResolvedUser } from '../outcomes.ts';
import type { SnapshotLine } from '../snapshot/snapshot-line.ts';
import type { StepContext } from '../step-context.ts';

export type LookupFailure = { failed: { reason: string; message: string } };
type Field = 'email' | 'username';

export interface SliceLookups {
  /** A user that has the deleted user's username or email now, undefined when none; a failure when a lookup failed. */
  present(snapshot: SnapshotLine): { field: Field; user: ResolvedUser } | undefined | LookupFailure;
  /** The suspended user as it is now, undefined when gone; a failure when its lookup failed. */
  current(snapshot: SnapshotLine): ResolvedUser | undefined | LookupFailure;
}

/** Which identifiers of a deleted user are searched: both in a dry run; in a live run the email, else the username. */
export function searchedFields(snapshot: SnapshotLine, mode: Mode): Field[] {
  const fields = (['email', 'username'] as const).filter((field) => textOf(snapshot, field) !== undefined);
  return mode === 'live' ? fields.slice(0, 1) : fields;
}

function textOf(snapshot: SnapshotLine, field: Field): string | undefined {
  const value = snapshot.user[field];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

type Job = { kind: 'ids'; ids: number[] } | { kind: 'value'; field: Field; value: string };

export async function lookUpSlice(ctx: StepContext, snapshots: readonly SnapshotLine[]): Promise<SliceLookups> {
  const { directory } = ctx.deps;
  const searches = new Map<string, Job & { kind: 'value' }>();
  const ids: number[] = [];
  for (const snapshot of snapshots) {
    if (snapshot.action === 'suspend') ids.push(snapshot.user.id);
    else
      for (const field of searchedFields(snapshot, ctx.spec.mode)) {
        const value = textOf(snapshot, field) as string;
        searches.set(searchKey(field, value), { kind: 'value', field, value });
      }
  }
  const size = Math.max(1, directory.idBatchSize);
  const jobs: Job[] = [...searches.values()];
  for (let i = 0; i < ids.length; i += size) jobs.push({ kind: 'ids', ids: ids.slice(i, i + size) });
  const found = new Map<string, ResolvedUser[] | LookupFailure>();
  const byId = new Map<number, ResolvedUser | LookupFailure>();
  await forEachLimited(jobs, ctx.tuning.lookupConcurrency, async (job) => {
    try {
      if (job.kind === 'value')
        found.set(searchKey(job.field, job.value), await directory.findUsers(job.field, job.value));
      else for (const user of await directory.getUsersByIds(job.ids)) byId.set(user.id, user);
    } catch (error) {
      if (!(error instanceof DirectoryCallError)) throw error;
      const failure = { failed: { reason: error.reason, message: `lookup failed: ${error.message}` } };
      if (job.kind === 'value') found.set(searchKey(job.field, job.value), failure);
      else for (const id of job.ids) byId.set(id, failure);
    }
  });
  return {
    present: (snapshot) => presentIn(found, snapshot, ctx.spec.mode),
    current: (snapshot) => byId.get(snapshot.user.id),
  };
}

function searchKey(field: Field, value: string): string {
  return `${field}\u0000${value}`;
}

/** The search may widen the match (wildcards, prefixes): only an exact, case-insensitive match counts. */
function presentIn(
  found: ReadonlyMap<string, ResolvedUser[] | LookupFailure>,
  snapshot: SnapshotLine,
  mode: Mode,
): { field: Field; user: ResolvedUser } | undefined | LookupFailure {
  for (const field of searchedFields(snapshot, mode)) {
    const value = textOf(snapshot, field) as string;
    const candidates = found.get(searchKey(field, value)) ?? [];
    if (!Array.isArray(candidates)) return candidates;
    const user = candidates.find((candidate) => sameText(candidate[field], value));
    if (user) return { field, user };
  }
  return undefined;
}
