// The end-of-run summary printed on stdout: status, counts per outcome (with reasons), API calls and where the reports are.
import type { Action, JobStatus, Mode, OutcomeCounts } from '../engine/outcomes.ts';
import { OUTCOMES } from '../engine/outcomes.ts';
import type { ApiCallCounts } from '../engine/ports.ts';
import { runTitle } from './action-words.ts';

export interface SummaryInput {
  mode: Mode;
  /** Absent or 'delete': the summary reads as it always has. */
  action?: Action;
  status: JobStatus;
  source: string;
  host: string;
  counts: OutcomeCounts;
  rows: number;
  /** Reason code → rows, per outcome (from report.json), when known. */
  reasons?: Partial<Record<string, Record<string, number>>>;
  apiCalls: ApiCallCounts;
  error?: { code: string; message: string };
  reportFiles: string[];
}

const STATUS_WORDS: Record<JobStatus, string> = {
  completed: 'completed',
  rejected: 'refused, nothing was changed',
  aborted: 'aborted part-way',
  running: 'stopped before the end',
};

export function formatSummary(input: SummaryInput): string {
  const lines: string[] = [];
  lines.push(
    `${runTitle(input.mode, input.action)} of ${input.source} on ${input.host}: ${STATUS_WORDS[input.status]}`,
  );
  if (input.error) lines.push(`  ${input.error.message} [${input.error.code}]`);
  const label = (text: string) => `  ${text.padEnd(16)}`;
  lines.push(`${label('rows')}${String(input.rows).padStart(7)}`);
  for (const outcome of OUTCOMES) {
    const count = input.counts[outcome];
    if (count === 0) continue;
    const reasons = input.reasons?.[outcome];
    const detail = reasons && Object.keys(reasons).length > 0 ? `   (${formatReasons(reasons)})` : '';
    lines.push(`${label(outcome)}${String(count).padStart(7)}${detail}`);
  }
  const totalCalls = Object.values(input.apiCalls).reduce((sum, value) => sum + value, 0);
  const callDetail = Object.entries(input.apiCalls)
    .filter(([, value]) => value > 0)
    .map(([kind, value]) => `${kind} ${value}`)
    .join(', ');
  lines.push(`${label('API calls')}${String(totalCalls).padStart(7)}${callDetail ? `   (${callDetail})` : ''}`);
  if (input.reportFiles.length > 0) {
    lines.push('Report:');
    for (const file of input.reportFiles) lines.push(`  ${file}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatReasons(reasons: Record<string, number>): string {
  return Object.entries(reasons)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
}

/** Reason counts per outcome from the rows of a report.json. */
export function reasonsByOutcome(
  rows: ReadonlyArray<{ outcome?: unknown; reason?: unknown }>,
): Record<string, Record<string, number>> {
  const result: Record<string, Record<string, number>> = {};
  for (const row of rows) {
    if (typeof row.outcome !== 'string' || typeof row.reason !== 'string') continue;
    const byReason = result[row.outcome] ?? {};
    result[row.outcome] = byReason;
    byReason[row.reason] = (byReason[row.reason] ?? 0) + 1;
  }
  return result;
}
