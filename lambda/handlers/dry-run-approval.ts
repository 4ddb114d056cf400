// approval.json: written beside a dry run's report once it has completed. It marks the dry run as finished and
// records who uploaded it, so that a live upload can be bound to it (and, under requireSecondApprover, refused when
// the same principal uploads both).
import type { ObjectStore } from '../engine/ports.ts';
import { putJson, readJson } from '../engine/store-json.ts';
import type { JobInput } from './handler-contract.ts';

export const APPROVAL_FILE = 'approval.json';

export interface DryRunApproval {
  kind: 'dry-run-approval';
  jobId: string;
  key: string;
  versionId?: string;
  /** The S3 event's userIdentity.principalId of the dry-run upload, when the event carried one. */
  principalId?: string;
  completedAt: string;
}

export async function writeDryRunApproval(store: ObjectStore, job: JobInput, now: number): Promise<void> {
  const approval: DryRunApproval = {
    kind: 'dry-run-approval',
    jobId: job.jobId,
    key: job.key,
    ...(job.versionId === undefined ? {} : { versionId: job.versionId }),
    ...(job.principalId === undefined ? {} : { principalId: job.principalId }),
    completedAt: new Date(now).toISOString(),
  };
  await putJson(store, `${job.reportPrefix}${APPROVAL_FILE}`, approval);
}

export async function readDryRunApproval(store: ObjectStore, folder: string): Promise<DryRunApproval | undefined> {
  const approval = await readJson<DryRunApproval>(store, `${folder}${APPROVAL_FILE}`);
  return approval?.kind === 'dry-run-approval' ? approval : undefined;
}
