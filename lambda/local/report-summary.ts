// A few human lines about a finished run, read from its report.json (docs/reports.md): status, counts per outcome, API calls.
import { OUTCOMES } from '../engine/outcomes.ts';
import type { ReportDocument } from '../engine/report-document.ts';

export interface ReportDigest {
  status: string;
  mode: string;
  rows: number;
  counts: Record<string, number>;
  apiCalls: number;
  error?: string;
}

export function digestReport(reportJson: string): ReportDigest {
  const report = JSON.parse(reportJson) as ReportDocument;
  const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, report.summary[outcome]]));
  const digest: ReportDigest = {
    status: report.job.status,
    mode: report.job.mode,
    rows: report.summary.rows,
    counts,
    apiCalls: report.summary.apiCalls,
  };
  if (report.error) digest.error = `${report.error.code}: ${report.error.message}`;
  return digest;
}

export function formatDigest(digest: ReportDigest): string[] {
  const counts = Object.entries(digest.counts)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  const lines = [
    `${digest.mode === 'dry-run' ? 'dry' : digest.mode} run ${digest.status}: ${digest.rows} rows${counts === '' ? '' : ` — ${counts}`}; API calls: ${digest.apiCalls}`,
  ];
  if (digest.error) lines.push(`error: ${digest.error}`);
  return lines;
}
