// `npm run local -- reports`: one line per job, newest first: time, kind (dry-run, live, suspend, restore), file,
// status, counts, the local copy's path.

import { formatCounts } from '../cli/progress-display.ts';
import type { ReportDocument } from '../engine/report-document.ts';
import { INPUT_FOLDERS } from '../handlers/upload-kinds.ts';
import { reportCopyPath, shownPath } from './report-copies.ts';

export interface ListedJob {
  key: string;
  report: ReportDocument;
}

export function jobLines(jobs: readonly ListedJob[]): string[] {
  if (jobs.length === 0) return ['no reports yet: upload a file with `npm run local -- upload users.csv`'];
  return [...jobs]
    .sort((a, b) => timeOf(b.report).localeCompare(timeOf(a.report)))
    .map(({ key, report }) => {
      const when = timeOf(report).replace('T', ' ').slice(0, 19);
      const file = report.job.source.split('/').pop() ?? report.job.source;
      const copy = shownPath(reportCopyPath(key).replace(/report\.json$/, ''));
      return `${when}  ${kindOf(key, report).padEnd(7)}  ${file}  ${report.job.status}  ${formatCounts(report.summary)}  ${copy}`;
    });
}

/** The input folder the run came from (`reports/<folder>/…`), which names suspend and restore runs; else the mode. */
function kindOf(key: string, report: ReportDocument): string {
  const folder = key.split('/')[1] ?? '';
  return folder in INPUT_FOLDERS ? folder : report.job.mode;
}

function timeOf(report: ReportDocument): string {
  return report.job.finishedAt || report.job.startedAt || '';
}

/** The exit status of the command that waited for a report: as the CLI's (0 ok, 1 rows failed, 2 refused, 3 aborted). */
export function exitStatusOfReport(report: Pick<ReportDocument, 'job' | 'summary'>): number {
  if (report.job.status === 'rejected') return 2;
  if (report.job.status === 'aborted') return 3;
  return report.summary.failed > 0 ? 1 : 0;
}
