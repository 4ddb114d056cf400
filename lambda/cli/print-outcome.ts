// What the command prints when the job has ended (or was not confirmed), and the exit status that goes with it.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { OneLoginUserDirectory } from '../adapters/onelogin-user-directory.ts';
import type { ReportDocument } from '../engine/report-document.ts';
import { wordsFor } from './action-words.ts';
import { inputWarningLines } from './console-messages.ts';
import { EXIT, exitStatusFor } from './exit-status.ts';
import type { EndedRun } from './interruptible-run.ts';
import { planNextSteps, undoNextSteps } from './next-command.ts';
import { nextStepLines } from './next-step.ts';
import type { CliOptions } from './parse-args.ts';
import { formatSummary, reasonsByOutcome } from './summary.ts';

const REPORT_FILE_NAMES = ['report.json', 'report.csv', 'report.html', 'retry.csv', 'plan.json', 'snapshot.jsonl'];

export interface OutcomeContext {
  options: Pick<
    CliOptions,
    'mode' | 'file' | 'reportDir' | 'host' | 'expectedAccountId' | 'maxDeletions' | 'maxPercent'
  > &
    Partial<Pick<CliOptions, 'action' | 'onlySuspended' | 'snapshot' | 'profile' | 'profilesFile'>>;
  /** Where the command runs: the next command names the plan relative to it. */
  cwd?: string;
  host: string;
  reportFolder: { dir: string; created: boolean };
  directory: Pick<OneLoginUserDirectory, 'callCounts'>;
}

export async function printOutcome(
  outcome: EndedRun,
  context: OutcomeContext,
  out: (text: string) => void,
): Promise<number> {
  const { options, host, reportFolder } = context;
  if (outcome.kind === 'declined') {
    // The folder stays, with the plan in it: what was reviewed and declined is kept, never removed.
    const words = wordsFor(options.action);
    out(
      `Nothing was ${words.done}: the plan (${outcome.plan.toDelete} users to ${words.verb} ${words.where} ${host}) was not confirmed.\n` +
        `Report folder: ${reportFolder.dir}\n` +
        `Run with --dry-run for a report of what would be ${words.done}.\n`,
    );
    return EXIT.refused;
  }
  const result = outcome.result;
  const report = await readReport(reportFolder.dir);
  const reportFiles = await listReportFiles(reportFolder.dir);
  for (const line of inputWarningLines(report?.input?.warnings)) out(`${line}\n`);
  for (const notice of report?.notices ?? []) out(`Note: ${notice}\n`);
  out(
    formatSummary({
      mode: options.mode,
      ...(options.action !== undefined ? { action: options.action } : {}),
      status: result.status,
      source: options.file,
      host,
      counts: result.progress.counts,
      rows: report?.summary.rows ?? result.progress.rowsTotal,
      ...(report ? { reasons: reasonsByOutcome(report.rows) } : {}),
      apiCalls: context.directory.callCounts(),
      ...(result.error ? { error: result.error } : {}),
      reportFiles,
    }),
  );
  if (options.reportDir === undefined) out(`Report folder: ${reportFolder.dir}\n`);
  const budget = report?.summary.budget;
  if (budget && options.mode === 'dry-run' && result.status === 'completed') {
    // Exit 2 lets a script gate the live run on the dry run's exit status.
    out(
      `A live run would be refused: ${budget.message}.\n` +
        `It would need ${budget.setting} (or fewer rows); the report lists every would-delete row.\n`,
    );
    return EXIT.refused;
  }
  const planPath = path.join(reportFolder.dir, 'plan.json');
  if (options.mode === 'dry-run' && reportFiles.includes(planPath)) {
    out(planNextSteps(options, planPath, context.cwd ?? process.cwd()));
  }
  const snapshotPath = path.join(reportFolder.dir, 'snapshot.jsonl');
  if (options.mode === 'live' && options.action !== 'restore' && reportFiles.includes(snapshotPath)) {
    out(undoNextSteps(options, snapshotPath, context.cwd ?? process.cwd()));
  }
  for (const line of nextSteps(outcome.result, context, report, reportFiles)) out(`${line}\n`);
  return exitStatusFor(result.status, result.progress.counts);
}

function nextSteps(
  result: EndedRun['result'],
  { options }: OutcomeContext,
  report: ReportDocument | undefined,
  reportFiles: readonly string[],
): string[] {
  const retryFile = reportFiles.find((file) => path.basename(file) === 'retry.csv');
  return nextStepLines({
    mode: options.mode,
    ...(options.action !== undefined ? { action: options.action } : {}),
    status: result.status,
    counts: result.progress.counts,
    ...(result.error ? { error: result.error } : {}),
    host: options.host,
    ...(retryFile ? { retryFile } : {}),
    planned: report ? (reasonsByOutcome(report.rows).rejected?.['over-budget'] ?? 0) : 0,
    accountUsers: result.plan?.accountUsers ?? 0,
    budget: {
      maxPercent: options.maxPercent,
      ...(options.maxDeletions !== undefined ? { maxDeletions: options.maxDeletions } : {}),
    },
  });
}

async function listReportFiles(dir: string): Promise<string[]> {
  const present = new Set(await readdir(dir).catch(() => [] as string[]));
  return REPORT_FILE_NAMES.filter((name) => present.has(name)).map((name) => path.join(dir, name));
}

async function readReport(dir: string): Promise<ReportDocument | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as ReportDocument;
  } catch {
    return undefined;
  }
}
