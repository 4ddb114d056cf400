// An upload under an unknown account folder: a refused report in the run's own reports folder, and no execution.
import type { Clock } from '../engine/ports.ts';
import { accountRouteFor } from './account-routing.ts';
import type { JobInput } from './handler-contract.ts';
import type { OnUploadDeps } from './handler-types.ts';
import { s3Uri } from './job-naming.ts';
import { writeRefusedReport } from './refused-upload.ts';

/** True when the job was refused (its report written); the caller then starts nothing. */
export async function refusedForAccount(deps: OnUploadDeps, job: JobInput, clock: Clock): Promise<boolean> {
  const route = accountRouteFor(job.key, deps.accounts);
  if (route.kind !== 'unknown') return false;
  const source = s3Uri(job.bucket, job.key);
  const refused = {
    jobId: job.jobId,
    mode: job.mode,
    reportPrefix: job.reportPrefix,
    error: { code: route.code, message: route.message },
  };
  await writeRefusedReport(deps.storeFor(job.bucket), refused, source, clock);
  deps.logger.warn('upload refused: unknown account', {
    code: route.code,
    source,
    reportPrefix: job.reportPrefix,
  });
  return true;
}
