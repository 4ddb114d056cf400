// What a dry run and a live run of the demo sample must produce, wherever the pipeline runs: on real AWS
// (run-integ.ts), on the local pipeline (integ-scenario.test.ts) and as Node 24 bundles (test/node24).
// Plain node:assert, so that it also runs outside vitest.
import assert from 'node:assert/strict';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import type { DemoSample } from '../../lambda/local/demo-sample.ts';

/** The users the sample's would-delete rows resolve to, in id order. */
export function plannedDeletions(sample: DemoSample): number[] {
  return sample.expected.flatMap((row) => (row.userId === undefined ? [] : [row.userId])).sort((a, b) => a - b);
}

function rowsOf(report: ReportDocument): Array<{ line: number; outcome: string; reason?: string; userId?: number }> {
  return report.rows.map((row) => ({
    line: row.line,
    outcome: row.outcome,
    ...(row.reason === undefined ? {} : { reason: row.reason }),
    ...(row.outcome === 'would-delete' || row.outcome === 'deleted' ? { userId: row.user?.id } : {}),
  }));
}

export function assertDryRunReport(report: ReportDocument, sample: DemoSample, source: string): void {
  assert.equal(report.job.mode, 'dry-run');
  assert.equal(report.job.status, 'completed');
  assert.equal(report.job.source, source);
  assert.deepEqual(
    rowsOf(report),
    sample.expected.map((row) => ({
      line: row.line,
      outcome: row.dryRun,
      ...(row.reason === undefined ? {} : { reason: row.reason }),
      ...(row.dryRun === 'would-delete' ? { userId: row.userId } : {}),
    })),
  );
  assert.equal(report.summary.rows, sample.expected.length);
  assert.equal(report.summary['would-delete'], plannedDeletions(sample).length);
  assert.equal(report.summary.deleted, 0);
  assert.equal(report.summary.apiCallsByKind.delete ?? 0, 0, 'a dry run sends no DELETE');
}

export function assertLiveReport(report: ReportDocument, sample: DemoSample, source: string): void {
  assert.equal(report.job.mode, 'live');
  assert.equal(report.job.status, 'completed');
  assert.equal(report.job.source, source);
  assert.deepEqual(
    rowsOf(report).map(({ line, outcome, userId }) => ({ line, outcome, userId })),
    sample.expected.map((row) => ({
      line: row.line,
      outcome: row.dryRun === 'would-delete' ? 'deleted' : row.dryRun,
      userId: row.dryRun === 'would-delete' ? row.userId : undefined,
    })),
  );
  assert.equal(report.summary.deleted, plannedDeletions(sample).length);
  assert.equal(report.summary.failed, 0);
}

/** Every planned user deleted exactly once, and no one else. */
export function assertDeletedExactly(deletedIds: readonly number[], sample: DemoSample): void {
  assert.deepEqual(
    [...deletedIds].sort((a, b) => a - b),
    plannedDeletions(sample),
  );
}
