// A second Ctrl-C: the report is written now, from the last saved state, while the stopped run may still wait for an
// answer on the wire. The run loses the store (its writes stall), DELETEs in flight get one short check, then the
// report says which users may be deleted.
import type { EngineDeps, JobError, JobSpec, StepResult } from '../engine/job.ts';
import { abortJob } from '../engine/job-runner.ts';
import type { ResolvedUser } from '../engine/outcomes.ts';
import type { UserDirectory } from '../engine/ports.ts';
import type { HandOverStore } from './hand-over-store.ts';

/** How long the check of the DELETEs in flight may take: the whole report must be written within about 2 s. */
const CHECK_BUDGET_MS = 1000;

export async function writeHurriedReport(
  spec: JobSpec,
  deps: EngineDeps,
  store: HandOverStore,
  reason: JobError,
): Promise<StepResult> {
  const ownStore = await store.handOver();
  const { onProgress: _progress, ...rest } = deps;
  return abortJob(spec, { ...rest, store: ownStore, directory: timeBoxed(deps.directory, CHECK_BUDGET_MS) }, reason);
}

/** The directory, but a listing by id that takes longer than `budgetMs` fails (the engine then reports "may be deleted"). */
function timeBoxed(directory: UserDirectory, budgetMs: number): UserDirectory {
  return {
    account: () => directory.account(),
    countUsers: () => directory.countUsers(),
    findUsers: (field, value) => directory.findUsers(field, value),
    listAllUsers: (startCursor) => directory.listAllUsers(startCursor),
    deleteUser: (id) => directory.deleteUser(id),
    getUserRecords: (ids) => directory.getUserRecords(ids),
    getUserRecord: (id) => directory.getUserRecord(id),
    getUserRoleIds: (id) => directory.getUserRoleIds(id),
    setUserStatus: (id, status) => directory.setUserStatus(id, status),
    logOutUser: (id) => directory.logOutUser(id),
    createUser: (fields) => directory.createUser(fields),
    addRoleUsers: (roleId, userIds) => directory.addRoleUsers(roleId, userIds),
    callCounts: () => directory.callCounts(),
    idBatchSize: directory.idBatchSize,
    pageSize: directory.pageSize,
    getUsersByIds: (ids) => withinBudget(directory.getUsersByIds(ids), budgetMs),
  };
}

function withinBudget(work: Promise<ResolvedUser[]>, budgetMs: number): Promise<ResolvedUser[]> {
  work.catch(() => undefined);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no time left to check the deletions in flight')), budgetMs);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
