// What the command prints when the job has ended (or was not confirmed), and the exit status that goes with it.
import { readdir, readFile, rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { OneLoginUserDirectory } from '../adapters/onelogin-user-directory.ts';
import type { ReportDocument } from '../engine/report-document.ts';
import { EXIT, exitStatusFor } from './exit-status.ts';
import type { EndedRun } from './interruptible-run.ts';
import type { CliOptions } from './parse-args.ts';
import { formatSummary, reasonsByOutcome } from './summary.ts';

const REPORT_FILE_NAMES = ['report.json', 'report.csv', 'report.html', 'retry.csv'];

export interface OutcomeContext {
  options: Pick<CliOptions, 'mode' | 'file' | 'reportDir'>;
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
    if (reportFolder.created) await rmdir(reportFolder.dir).catch(() => undefined);
    out(
      `Nothing was deleted: the plan (${outcome.plan.toDelete} users to delete from ${host}) was not confirmed.\n` +
        `Run with --dry-run for a report of what would be deleted.\n`,
    );
    return EXIT.refused;
  }
  const result = outcome.result;
  const report = await readReport(reportFolder.dir);
  out(
    formatSummary({
      mode: options.mode,
      status: result.status,
      source: options.file,
      host,
      counts: result.progress.counts,
      rows: report?.summary.rows ?? result.progress.rowsTotal,
      ...(report ? { reasons: reasonsByOutcome(report.rows) } : {}),
      apiCalls: context.directory.callCounts(),
      ...(result.error ? { error: result.error } : {}),
      reportFiles: await listReportFiles(reportFolder.dir),
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
  return exitStatusFor(result.status, result.progress.counts);
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
