// The invariants every hardening scenario ends with: nobody outside the plan deleted, nobody deleted twice, every input
// row exactly one outcome, summary counts = per-row counts, a report always written.
import { expect } from 'vitest';
import type { RowOutcome } from '../../lambda/engine/outcomes.ts';
import { OUTCOMES } from '../../lambda/engine/outcomes.ts';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';

export type ReportRow = RowOutcome;
export type RunReport = ReportDocument;

export interface RunEvidence {
  /** report.json as written; undefined when none was written (always a failure). */
  report: RunReport | undefined;
  /** Data rows of the input; undefined when the file is refused as a whole (then the report lists no row). */
  dataRows: number | undefined;
  /** Successful DELETEs the OneLogin emulator saw during this run (stats().deletions). */
  deletions: ReadonlyArray<{ id: number }>;
  /** Users the file names unambiguously (worked out by the test, not by the product): the only ones that may go. */
  plan: ReadonlySet<number>;
  mode: 'dry-run' | 'live';
  label?: string;
}

export function expectRunInvariants(evidence: RunEvidence): RunReport {
  const label = evidence.label ?? 'run';
  const report = evidence.report;
  expect(report, `${label}: a report is written`).toBeDefined();
  if (!report) throw new Error('unreachable');

  const deletedIds = evidence.deletions.map((deletion) => deletion.id);
  expect(deletedIds.length, `${label}: nobody deleted twice`).toBe(new Set(deletedIds).size);
  expect(
    deletedIds.filter((id) => !evidence.plan.has(id)),
    `${label}: nobody outside the plan deleted`,
  ).toEqual([]);
  if (evidence.mode === 'dry-run') expect(deletedIds, `${label}: a dry run deletes nobody`).toEqual([]);

  const lines = report.rows.map((row) => row.line);
  expect(new Set(lines).size, `${label}: one outcome per line`).toBe(lines.length);
  expect(lines, `${label}: rows in file order`).toEqual([...lines].sort((a, b) => a - b));
  if (evidence.dataRows === undefined) {
    expect(report.job.status, `${label}: a refused file is reported rejected`).toBe('rejected');
    expect(report.rows, `${label}: a refused file lists no row`).toEqual([]);
  } else {
    expect(report.rows.length, `${label}: every data row accounted for`).toBe(evidence.dataRows);
  }
  const known = new Set<string>(OUTCOMES);
  expect(
    report.rows.filter((row) => !known.has(row.outcome)).map((row) => row.line),
    `${label}: rows with an unknown outcome`,
  ).toEqual([]);
  expect(report.summary.rows, `${label}: summary.rows`).toBe(report.rows.length);
  for (const outcome of OUTCOMES) {
    expect(report.summary[outcome], `${label}: summary.${outcome}`).toBe(
      report.rows.filter((row) => row.outcome === outcome).length,
    );
  }

  // Every deletion the server saw is explained by a row that named that user and did not end "not deleted".
  const explaining = new Set<number>();
  for (const row of report.rows) {
    if (row.user && (row.outcome === 'deleted' || row.outcome === 'already-absent' || row.outcome === 'failed'))
      explaining.add(row.user.id);
  }
  expect(
    deletedIds.filter((id) => !explaining.has(id)),
    `${label}: deletions no row reports`,
  ).toEqual([]);
  const deletedSet = new Set(deletedIds);
  expect(
    report.rows
      .filter((row) => row.outcome === 'deleted' && !deletedSet.has(row.user?.id ?? -1))
      .map((row) => row.line),
    `${label}: rows reported deleted whose user the server never deleted`,
  ).toEqual([]);
  if (evidence.mode === 'dry-run') {
    expect(
      report.rows.filter((row) => row.outcome === 'deleted' || row.outcome === 'already-absent'),
      `${label}: dry run changes nothing`,
    ).toEqual([]);
  }
  return report;
}
