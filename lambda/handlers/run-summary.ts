// The notification sent when a job ends: counts and where the reports are; never rows, identifiers or secrets.
import type { ReportKeys, StepResult } from '../engine/job.ts';
import type { JobStatus, Mode, OutcomeCounts } from '../engine/outcomes.ts';
import type { JobInput } from './handler-contract.ts';
import { s3Uri } from './job-naming.ts';

export interface RunSummaryMessage {
  jobId: string;
  mode: Mode;
  /** s3://bucket/key of the input. */
  source: string;
  status: JobStatus;
  /** Set when the job was rejected or aborted. */
  error?: { code: string; message: string };
  rows: number;
  counts: OutcomeCounts;
  apiCalls: number;
  /** s3:// URIs of the report files (and of the report folder). */
  reports: { folder: string; json?: string; csv?: string; html?: string; retry?: string };
}

export function runSummaryFor(job: JobInput, result: StepResult): RunSummaryMessage {
  const message: RunSummaryMessage = {
    jobId: job.jobId,
    mode: job.mode,
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
  return uris;
}

/** One line for an e-mail subject: ASCII only and at most 100 characters (SNS limits). */
export function summarySubject(message: RunSummaryMessage): string {
  const name = message.source.split('/').pop() ?? '';
  const subject = `onelogin-bulk-delete ${message.mode} ${message.status}: ${name}`;
  return subject.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}
