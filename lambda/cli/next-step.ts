// The last lines after a run that did not get everything done: the command that picks it up, or the setting that
// would allow it. (The dry run's "next step with --plan" line is the plan's own.)
import type { JobError } from '../engine/job.ts';
import type { Action, JobStatus, Mode, OutcomeCounts } from '../engine/outcomes.ts';
import type { OneLoginHost } from '../onelogin/client-types.ts';

export interface NextStepInput {
  mode: Mode;
  /** Absent: delete. */
  action?: Action;
  status: JobStatus;
  counts: OutcomeCounts;
  error?: JobError;
  host: OneLoginHost;
  /** The retry.csv the run wrote, when it wrote one. */
  retryFile?: string;
  /** Rows the plan would delete (report.json's over-budget rows) and the account's size, for a refused budget. */
  planned: number;
  accountUsers: number;
  budget: { maxDeletions?: number; maxPercent: number };
}

export function nextStepLines(input: NextStepInput): string[] {
  if (input.error?.code === 'over-budget') return budgetLines(input);
  if (input.retryFile === undefined) return [];
  const why = input.status === 'aborted' ? 'The run stopped part-way' : 'Some rows failed';
  return [
    `${why}: the rows that did not finish are in retry.csv. To pick them up, run:`,
    `  onelogin-bulk-delete ${inputFlags(input.action, shellQuote(input.retryFile))} ${input.mode === 'live' ? '--live' : '--dry-run'} ${hostFlag(input.host)}`,
  ];
}

function budgetLines(input: NextStepInput): string[] {
  const { planned, accountUsers, budget } = input;
  const settings: string[] = [];
  if (budget.maxDeletions !== undefined && planned > budget.maxDeletions) settings.push(`--max-deletions ${planned}`);
  if (budget.maxPercent < 100 && planned * 100 > budget.maxPercent * accountUsers) {
    const percent = accountUsers > 0 ? Math.min(100, Math.ceil((planned * 100) / accountUsers)) : 100;
    settings.push(`--max-percent ${percent}`);
  }
  const verb = input.mode === 'live' ? 'was refused' : 'would be refused';
  if (settings.length === 0) return [`A live run ${verb}: ${input.error?.message ?? 'over the deletion budget'}.`];
  return [
    `A live run ${verb}: ${input.error?.message ?? 'over the deletion budget'}.`,
    `If these ${planned} deletions are meant, ${settings.join(' and ')} would allow them (check the report first).`,
  ];
}

function inputFlags(action: Action | undefined, file: string): string {
  if (action === 'restore') return `--restore ${file}`;
  return action === 'suspend' ? `--file ${file} --suspend` : `--file ${file}`;
}

function hostFlag(host: OneLoginHost): string {
  if (host.subdomain !== undefined) return `--subdomain ${host.subdomain}`;
  if (host.region !== undefined) return `--region ${host.region}`;
  return `--api-url ${shellQuote(host.apiUrl ?? '')}`;
}

/** A path or URL as one shell word; plain ones stay as they are, so the line reads easily. */
export function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
