// The notification sent when a job ends (SNS): one shape for the handlers that write it, the notifier that publishes
// it and the tests and local tools that read it. Counts and where the reports are; never rows, identifiers or secrets.
import type { Action, JobStatus, Mode, OutcomeCounts } from '../engine/outcomes.ts';

export interface RunSummaryMessage {
  jobId: string;
  mode: Mode;
  /** Set for a run that suspends or restores instead of deleting. */
  action?: Action;
  /** s3://bucket/key of the input. */
  source: string;
  status: JobStatus;
  /** Set when the job was rejected or aborted. */
  error?: { code: string; message: string };
  rows: number;
  counts: OutcomeCounts;
  apiCalls: number;
  /** s3:// URIs of the report files (and of the report folder). */
  reports: { folder: string; json?: string; csv?: string; html?: string; retry?: string; snapshot?: string };
  /** Which OneLogin account: the account folder (several accounts), the host and the secret's account_id. */
  account?: SummaryAccount;
}

export interface SummaryAccount {
  name?: string;
  host?: string;
  accountId?: number;
}

/** One line for an e-mail subject: ASCII only and at most 100 characters (SNS limits). */
export function summarySubject(message: RunSummaryMessage): string {
  const name = message.source.split('/').pop() ?? '';
  const what =
    message.action === undefined || message.action === 'delete' ? message.mode : `${message.mode} ${message.action}`;
  const where = message.account?.name === undefined ? '' : ` [${message.account.name}]`;
  const subject = `onelogin-bulk-delete${where} ${what} ${message.status}: ${name}`;
  return subject.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}
