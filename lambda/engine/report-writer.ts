// Phase 4: report.json, report.csv and (when rows failed) retry.csv, streamed from the chunks so a million-row report
// is never one string in memory. The summary is counted from the same per-row outcomes the files list.

import { csvLine, formulaSafeCell } from './csv-cells.ts';
import type { JobEnding } from './final-row.ts';
import { finalRow } from './final-row.ts';
import type { IdentifierColumn } from './input/input-types.ts';
import type { ReportKeys } from './job.ts';
import type { OutcomeCounts, RowOutcome } from './outcomes.ts';
import { emptyCounts } from './outcomes.ts';
import type { StepContext } from './step-context.ts';
import { API_CALL_KINDS } from './step-context.ts';
import { readChunks } from './stored-row.ts';

export const REPORT_CSV_COLUMNS = [
  'line',
  'id',
  'username',
  'email',
  'outcome',
  'reason',
  'message',
  'user_id',
  'user_username',
  'user_email',
] as const;

export function jobEnding(ctx: StepContext): JobEnding {
  const cp = ctx.checkpoint;
  const ending: JobEnding = { mode: ctx.spec.mode, overBudget: cp.overBudget === true };
  if (cp.overBudget && cp.error) ending.budgetMessage = cp.error.message;
  if (cp.unfinished) ending.unfinished = cp.unfinished;
  return ending;
}

async function* finalRows(ctx: StepContext): AsyncGenerator<RowOutcome[]> {
  const ending = jobEnding(ctx);
  for await (const { rows } of readChunks(ctx.store, ctx.spec.statePrefix, 0, ctx.checkpoint.chunkCount)) {
    yield rows.map((row) => finalRow(row, ending));
  }
}

/**
 * Writes report.csv (counting outcomes on the way), then report.json (its summary needs the counts before the rows),
 * then retry.csv when rows failed: two or three passes over the chunks, one chunk in memory at a time.
 */
export async function writeReports(ctx: StepContext): Promise<{ keys: ReportKeys; counts: OutcomeCounts }> {
  const cp = ctx.checkpoint;
  const { store } = ctx;
  const prefix = ctx.spec.reportPrefix;
  const keys: ReportKeys = { json: `${prefix}report.json`, csv: `${prefix}report.csv` };

  const counts = emptyCounts();
  async function* csvBody(): AsyncGenerator<string> {
    yield csvLine(REPORT_CSV_COLUMNS);
    for await (const rows of finalRows(ctx)) {
      for (const row of rows) counts[row.outcome] += 1;
      yield rows.map((row) => csvLine(reportCsvCells(row).map(formulaSafeCell))).join('');
    }
  }
  await store.put(keys.csv, csvBody(), 'text/csv; charset=utf-8');

  const apiCallsByKind = ctx.apiCalls();
  const apiCalls = API_CALL_KINDS.reduce((sum, kind) => sum + apiCallsByKind[kind], 0);
  const head = {
    schemaVersion: 1,
    job: {
      id: ctx.spec.id,
      mode: ctx.spec.mode,
      source: ctx.spec.source,
      status: cp.status,
      startedAt: cp.startedAt,
      finishedAt: cp.finishedAt ?? new Date(ctx.deps.clock.now()).toISOString(),
    },
    ...(cp.error ? { error: cp.error } : {}),
    ...(cp.header ? { input: cp.header } : {}),
    summary: { rows: cp.rowsTotal, ...counts, apiCalls, apiCallsByKind },
  };
  const json = JSON.stringify(head);
  async function* jsonBody(): AsyncGenerator<string> {
    yield `${json.slice(0, -1)},"rows":[`;
    let first = true;
    for await (const rows of finalRows(ctx)) {
      if (rows.length === 0) continue;
      yield (first ? '\n' : ',\n') + rows.map((row) => JSON.stringify(row)).join(',\n');
      first = false;
    }
    yield '\n]}\n';
  }
  await store.put(keys.json, jsonBody(), 'application/json');

  if (counts.failed > 0) {
    keys.retry = `${prefix}retry.csv`;
    const columns: IdentifierColumn[] = cp.header?.columns.length ? cp.header.columns : ['id', 'username', 'email'];
    async function* retryBody(): AsyncGenerator<string> {
      yield csvLine(columns);
      for await (const rows of finalRows(ctx)) {
        const failed = rows.filter((row) => row.outcome === 'failed');
        if (failed.length > 0)
          yield failed.map((row) => csvLine(columns.map((column) => row.input[column] ?? ''))).join('');
      }
    }
    await store.put(keys.retry, retryBody(), 'text/csv; charset=utf-8');
  } else {
    await store.delete(`${prefix}retry.csv`);
  }
  return { keys, counts };
}

function reportCsvCells(row: RowOutcome): string[] {
  return [
    String(row.line),
    row.input.id ?? '',
    row.input.username ?? '',
    row.input.email ?? '',
    row.outcome,
    row.reason ?? '',
    row.message ?? '',
    row.user ? String(row.user.id) : '',
    row.user?.username ?? '',
    row.user?.email ?? '',
  ];
}
