// A few human lines about a finished run, read from its report.json (design §5): status, counts per outcome, API calls.
import { OUTCOMES } from '../engine/outcomes.ts';

export interface ReportDigest {
  status: string;
  mode: string;
  rows: number;
  counts: Record<string, number>;
  apiCalls: string;
  error?: string;
}

export function digestReport(reportJson: string): ReportDigest {
  const report = JSON.parse(reportJson) as {
    job?: { status?: string; mode?: string };
    error?: { code?: string; message?: string } | string;
    summary?: Record<string, unknown>;
  };
  const summary = report.summary ?? {};
  const counts: Record<string, number> = {};
  for (const outcome of OUTCOMES) {
    const value = summary[outcome];
    if (typeof value === 'number') counts[outcome] = value;
  }
  const apiCalls = summary.apiCalls;
  const digest: ReportDigest = {
    status: report.job?.status ?? 'unknown',
    mode: report.job?.mode ?? 'unknown',
    rows: typeof summary.rows === 'number' ? summary.rows : 0,
    counts,
    apiCalls: typeof apiCalls === 'object' && apiCalls !== null ? JSON.stringify(apiCalls) : String(apiCalls ?? 'unknown'),
  };
  if (typeof report.error === 'string') digest.error = report.error;
  else if (report.error) digest.error = [report.error.code, report.error.message].filter(Boolean).join(': ');
  return digest;
}

export function formatDigest(digest: ReportDigest): string[] {
  const counts = Object.entries(digest.counts)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${outcome} ${count}`)
    .join(', ');
  const lines = [`${digest.mode === 'dry-run' ? 'dry' : digest.mode} run ${digest.status}: ${digest.rows} rows${counts === '' ? '' : ` — ${counts}`}; API calls: ${digest.apiCalls}`];
  if (digest.error) lines.push(`error: ${digest.error}`);
  return lines;
}
