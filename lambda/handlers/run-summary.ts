// Builds the run summary (lambda/shared/run-summary-message.ts) of a finished or aborted job.
import type { ReportKeys, StepResult } from '../engine/job.ts';
import type { RunSummaryMessage } from '../shared/run-summary-message.ts';
import type { JobInput } from './handler-contract.ts';
import { s3Uri } from './job-naming.ts';

export function runSummaryFor(job: JobInput, result: StepResult): RunSummaryMessage {
  const message: RunSummaryMessage = {
    jobId: job.jobId,
    mode: job.mode,
    ...(job.action === undefined || job.action === 'delete' ? {} : { action: job.action }),
    source: s3Uri(job.bucket, job.key),
    status: result.status,
    rows: result.progress.rowsTotal,
    counts: { ...result.progress.counts },
    apiCalls: result.progress.apiCalls,
    reports: reportUris(job, result.reports),
  };
  if (result.error !== undefined) message.error = { code: result.error.code, message: result.error.message };
  return message;
}

function reportUris(job: JobInput, keys: ReportKeys | undefined): RunSummaryMessage['reports'] {
  const uris: RunSummaryMessage['reports'] = { folder: s3Uri(job.bucket, job.reportPrefix) };
  if (keys === undefined) return uris;
  uris.json = s3Uri(job.bucket, keys.json);
  uris.csv = s3Uri(job.bucket, keys.csv);
  uris.html = s3Uri(job.bucket, keys.html);
  if (keys.retry !== undefined) uris.retry = s3Uri(job.bucket, keys.retry);
  if (keys.snapshot !== undefined) uris.snapshot = s3Uri(job.bucket, keys.snapshot);
  return uris;
}
