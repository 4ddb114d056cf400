// Phase 4: report.csv, report.json, report.html and (when rows failed) retry.csv, streamed from the chunks so a
// million-row report is never one string in memory. The summary is counted from the same per-row outcomes the files list.

import type { CsvSeparator } from './csv-cells.ts';
import { csvLine, UTF8_BOM } from './csv-cells.ts';
import { finalRows } from './final-rows.ts';
import type { IdentifierColumn } from './input/input-types.ts';
import type { ReportKeys } from './job.ts';
import type { OutcomeCounts } from './outcomes.ts';
import { emptyCounts } from './outcomes.ts';
import { planKey, writePlan } from './plan/plan-writer.ts';
import { reportCsvHeader, reportCsvLine } from './report-csv.ts';
import type { ReportHead } from './report-document.ts';
import { reportHtmlEnd, reportHtmlRow, reportHtmlStart } from './report-html.ts';
import { RESTORE_NOTICES } from './restore/restore-notices.ts';
import { retryLinesKey, writeRetryLines } from './restore/retry-lines.ts';
import { CHANGED_OUTCOMES, joinSnapshot, snapshotKey } from './snapshot/snapshot-parts.ts';
import type { StepContext } from './step-context.ts';
import { API_CALL_KINDS } from './step-context.ts';

export { REPORT_CSV_COLUMNS } from './report-csv.ts';

/**
 * Writes report.csv (counting outcomes on the way), then report.json and report.html (their summaries need the counts
 * before the rows), then retry.csv when rows failed: one pass over the chunks per file, one chunk in memory at a time.
 */
export async function writeReports(ctx: StepContext): Promise<{ keys: ReportKeys; counts: OutcomeCounts }> {
  const prefix = ctx.spec.reportPrefix;
  const keys: ReportKeys = { json: `${prefix}report.json`, csv: `${prefix}report.csv`, html: `${prefix}report.html` };
  const changed = new Set<number>();
  const counts = await writeReportCsv(ctx, keys.csv, changed);
  const snapshot = await writeSnapshot(ctx, changed);
  if (snapshot) keys.snapshot = snapshot.key;
  const head = reportHead(ctx, counts, snapshot);
  await writeReportJson(ctx, keys.json, head);
  await writeReportHtml(ctx, keys.html, head);
  // A dry run is what the administrator reviews: its plan.json is what a live run can be bound to.
  if (ctx.spec.mode === 'dry-run' && ctx.checkpoint.planMade) {
    keys.plan = planKey(prefix);
    await writePlan(ctx, keys.plan);
  }
  if (counts.failed > 0 && ctx.spec.action === 'restore') {
    // A restore is retried from a snapshot: the failed lines as read (restore/retry-lines.ts).
    keys.retry = retryLinesKey(prefix);
    await writeRetryLines(ctx, keys.retry);
  } else if (counts.failed > 0) {
    keys.retry = `${prefix}retry.csv`;
    await writeRetryCsv(ctx, keys.retry);
  } else {
    await ctx.store.delete(`${prefix}retry.csv`);
  }
  return { keys, counts };
}

/** A spreadsheet opens report.csv the way it opened the input: same separator; UTF-8 with a BOM for Excel. */
function reportSeparator(ctx: StepContext): CsvSeparator {
  return ctx.checkpoint.header?.separator ?? ',';
}

/** Counts the outcomes, and collects the lines of users the run changed (or may have) into `changed`. */
async function writeReportCsv(ctx: StepContext, key: string, changed: Set<number>): Promise<OutcomeCounts> {
  const separator = reportSeparator(ctx);
  const counts = emptyCounts();
  const snapshotted = (ctx.checkpoint.snapshotParts ?? 0) > 0;
  async function* body(): AsyncGenerator<string> {
    yield UTF8_BOM + reportCsvHeader(separator);
    for await (const rows of finalRows(ctx)) {
      for (const row of rows) {
        counts[row.outcome] += 1;
        if (snapshotted && CHANGED_OUTCOMES.has(row.outcome)) changed.add(row.line);
      }
      yield rows.map((row) => reportCsvLine(row, separator)).join('');
    }
  }
  await ctx.store.put(key, body(), 'text/csv; charset=utf-8');
  return counts;
}

/** snapshot.jsonl from the parts stored before each change, when the run stored any (every ending: completed, aborted). */
async function writeSnapshot(ctx: StepContext, changed: ReadonlySet<number>): Promise<ReportHead['snapshot']> {
  const parts = ctx.checkpoint.snapshotParts ?? 0;
  if (parts === 0) return undefined;
  const key = snapshotKey(ctx.spec.snapshotPrefix ?? ctx.spec.reportPrefix);
  const lines = await joinSnapshot(ctx.store, ctx.spec.statePrefix, parts, key, changed);
  return { key, lines };
}

function reportHead(ctx: StepContext, counts: OutcomeCounts, snapshot: ReportHead['snapshot']): ReportHead {
  const cp = ctx.checkpoint;
  const apiCallsByKind = ctx.apiCalls();
  const apiCalls = API_CALL_KINDS.reduce((sum, kind) => sum + apiCallsByKind[kind], 0);
  return {
    schemaVersion: 1,
    job: {
      id: ctx.spec.id,
      mode: ctx.spec.mode,
      ...(ctx.spec.action !== undefined && ctx.spec.action !== 'delete' ? { action: ctx.spec.action } : {}),
      source: ctx.spec.source,
      status: cp.status,
      startedAt: cp.startedAt,
      finishedAt: cp.finishedAt ?? new Date(ctx.deps.clock.now()).toISOString(),
    },
    ...(cp.error ? { error: cp.error } : {}),
    ...(cp.header ? { input: { ...cp.header, ...(cp.inputSha256 ? { sha256: cp.inputSha256 } : {}) } } : {}),
    ...(ctx.spec.mode === 'live' && ctx.spec.plan
      ? { plan: { planId: ctx.spec.plan.planId, createdAt: ctx.spec.plan.createdAt } }
      : {}),
    ...(snapshot ? { snapshot } : {}),
    ...(cp.warnings?.length ? { warnings: [...cp.warnings] } : {}),
    ...(ctx.spec.action === 'restore' ? { notices: [...RESTORE_NOTICES] } : {}),
    ...reportAccount(ctx),
    summary: {
      rows: cp.rowsTotal,
      ...counts,
      apiCalls,
      apiCallsByKind,
      ...(cp.budget ? { budget: { ...cp.budget } } : {}),
    },
  };
}

function reportAccount(ctx: StepContext): Pick<ReportHead, 'account'> {
  const name = ctx.spec.accountName;
  const reached = ctx.checkpoint.account;
  if (reached === undefined) return name === undefined ? {} : { account: { host: 'unknown', name } };
  return { account: { ...reached, ...(name === undefined ? {} : { name }) } };
}

async function writeReportJson(ctx: StepContext, key: string, head: ReportHead): Promise<void> {
  const json = JSON.stringify(head);
  async function* body(): AsyncGenerator<string> {
    yield `${json.slice(0, -1)},"rows":[`;
    let first = true;
    for await (const rows of finalRows(ctx)) {
      if (rows.length === 0) continue;
      yield (first ? '\n' : ',\n') + rows.map((row) => JSON.stringify(row)).join(',\n');
      first = false;
    }
    yield '\n]}\n';
  }
  await ctx.store.put(key, body(), 'application/json');
}

async function writeReportHtml(ctx: StepContext, key: string, head: ReportHead): Promise<void> {
  async function* body(): AsyncGenerator<string> {
    yield reportHtmlStart(head);
    const limit = ctx.tuning.htmlReportRows;
    let written = 0;
    for await (const rows of finalRows(ctx)) {
      const shown = rows.slice(0, limit - written);
      written += shown.length;
      if (shown.length > 0) yield shown.map(reportHtmlRow).join('');
      // The rest is only counted: the summary has the number of rows, so the later chunks need not be read.
      if (written >= limit) break;
    }
    yield reportHtmlEnd(Math.max(0, head.summary.rows - written));
  }
  await ctx.store.put(key, body(), 'text/html; charset=utf-8');
}

async function writeRetryCsv(ctx: StepContext, key: string): Promise<void> {
  const header = ctx.checkpoint.header;
  const columns: IdentifierColumn[] = header?.columns.length ? header.columns : ['id', 'username', 'email'];
  async function* body(): AsyncGenerator<string> {
    yield csvLine(columns);
    for await (const rows of finalRows(ctx)) {
      const failed = rows.filter((row) => row.outcome === 'failed');
      if (failed.length > 0)
        yield failed.map((row) => csvLine(columns.map((column) => row.input[column] ?? ''))).join('');
    }
  }
  await ctx.store.put(key, body(), 'text/csv; charset=utf-8');
}
