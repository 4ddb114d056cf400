// report.html (docs/reports.md): one self-contained page with the job, the summary as a chart, and the rows, filterable by
// outcome and searchable. Every value from the input or the directory is escaped; the only script is the page's own.
import type { BudgetVerdict } from './checkpoint.ts';
import type { RowOutcome } from './outcomes.ts';
import { outcomesShown } from './outcomes.ts';
import { rowMessage } from './report-csv.ts';
import type { ReportHead } from './report-document.ts';
import { REPORT_CSP, REPORT_SCRIPT, REPORT_STYLE } from './report-html-assets.ts';
import { userStatusLabel } from './user-status.ts';

/** A browser stays usable with this many table rows; past it the page says that report.csv has them all. Tests lower it. */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ESCAPES[char] as string);
}

export function reportHtmlStart(head: ReportHead): string {
  const title = `Report ${head.job.id}`;
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CSP)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${REPORT_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    jobSection(head),
    summarySection(head),
    rowsStart(head),
  ].join('\n');
}

function jobSection(head: ReportHead): string {
  const { job } = head;
  const entries: Array<[string, string]> = [
    ['Mode', job.mode],
    ['Action', job.action ?? 'delete'],
    ['Source', job.source],
    ['Started', job.startedAt],
    ['Finished', job.finishedAt],
  ];
  if (head.snapshot) entries.push(['Snapshot', `${head.snapshot.key} (${head.snapshot.lines} users as they were)`]);
  if (head.input) entries.push(['Input', `${head.input.encoding}, separator ${separatorName(head.input.separator)}`]);
  const items = entries.map(([term, value]) => `<dt>${term}</dt><dd>${escapeHtml(value)}</dd>`).join('');
  const status = `<dt>Status</dt><dd class="status-${escapeHtml(job.status)}">${escapeHtml(job.status)}</dd>`;
  const error = head.error
    ? `<p class="error" id="error"><strong>${escapeHtml(head.error.code)}</strong>: ${escapeHtml(head.error.message)}</p>`
    : '';
  const allWarnings = [...(head.input?.warnings ?? []), ...(head.warnings ?? [])];
  if (head.summary.budget) allWarnings.push(budgetWarning(head.summary.budget));
  const warnings = allWarnings.length
    ? `<ul class="warnings">${allWarnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('')}</ul>`
    : '';
  const notices = head.notices?.length
    ? `<ul class="notices" id="notices">${head.notices.map((notice) => `<li>${escapeHtml(notice)}</li>`).join('')}</ul>`
    : '';
  return `<section id="job"><h2>Job</h2><dl class="job">${status}${items}</dl>${error}${warnings}${notices}</section>`;
}

function budgetWarning(budget: BudgetVerdict): string {
  return `over the deletion budget: ${budget.message}; a live run is refused unless ${budget.setting} allows it`;
}

function separatorName(separator: string): string {
  return separator === '\t' ? 'tab' : separator === ';' ? 'semicolon' : 'comma';
}

const BAR_HEIGHT = 22;
const LABEL_WIDTH = 130;
const BAR_SPACE = 380;

function summarySection(head: ReportHead): string {
  const { summary } = head;
  const shown = outcomesShown(head.job.action ?? 'delete', summary);
  const largest = Math.max(1, ...shown.map((outcome) => summary[outcome]));
  const bars = shown
    .map((outcome, index) => {
      const y = index * (BAR_HEIGHT + 6);
      const width = Math.round((summary[outcome] / largest) * BAR_SPACE);
      return [
        `<g class="bar" data-outcome="${outcome}">`,
        `<text x="0" y="${y + 16}">${outcome}</text>`,
        `<rect class="bar-${outcome}" x="${LABEL_WIDTH}" y="${y}" width="${width}" height="${BAR_HEIGHT}"></rect>`,
        `<text x="${LABEL_WIDTH + width + 6}" y="${y + 16}">${summary[outcome]}</text>`,
        '</g>',
      ].join('');
    })
    .join('');
  const height = shown.length * (BAR_HEIGHT + 6);
  const total = LABEL_WIDTH + BAR_SPACE + 70;
  return [
    '<section id="summary"><h2>Summary</h2>',
    `<p>${summary.rows} rows; ${summary.apiCalls} OneLogin API calls.</p>`,
    `<svg class="chart" role="img" aria-label="Rows by outcome" viewBox="0 0 ${total} ${height}" width="${total}" height="${height}">${bars}</svg>`,
    '</section>',
  ].join('\n');
}

const COLUMNS = [
  'Line',
  'Outcome',
  'Reason',
  'Row id',
  'Row username',
  'Row email',
  'User',
  'Name',
  'Status',
  'Last login',
  'Message',
];

function rowsStart(head: ReportHead): string {
  const boxes = outcomesShown(head.job.action ?? 'delete', head.summary)
    .map((outcome) => `<label><input type="checkbox" name="outcome" value="${outcome}" checked>${outcome}</label>`)
    .join('');
  return [
    '<section id="rows-section"><h2>Rows</h2>',
    `<div class="controls"><fieldset><legend>Outcomes</legend>${boxes}</fieldset>`,
    '<label>Search <input type="search" id="search" autocomplete="off" placeholder="line, name, email, reason…"></label>',
    '<span class="shown" id="shown" aria-live="polite"></span></div>',
    '<table id="rows">',
    `<thead><tr>${COLUMNS.map((column) => `<th scope="col">${column}</th>`).join('')}</tr></thead>`,
    '<tbody>',
  ].join('\n');
}

export function reportHtmlRow(row: RowOutcome): string {
  const { user } = row;
  const userCell = user
    ? [String(user.id), user.username ?? '', user.email ?? ''].filter((part) => part !== '').join(' · ')
    : '';
  const cells = [
    String(row.line),
    row.outcome,
    row.reason ?? '',
    row.input.id ?? '',
    row.input.username ?? '',
    row.input.email ?? '',
    userCell,
    user?.name ?? '',
    userStatusLabel(user?.status),
    user?.lastLogin ?? '',
    rowMessage(row),
  ].map((value, index) =>
    index === 1 ? `<td class="outcome">${escapeHtml(value)}</td>` : `<td>${escapeHtml(value)}</td>`,
  );
  const outcome = escapeHtml(row.outcome);
  return `<tr class="outcome-${outcome}" data-outcome="${outcome}">${cells.join('')}</tr>\n`;
}

/** Closes the page; `omitted` rows past the row limit are named, so that none is silently missing. */
export function reportHtmlEnd(omitted: number): string {
  const note =
    omitted > 0
      ? `<p class="note" id="omitted">${omitted} more rows are not shown here; report.csv and report.json list every row.</p>`
      : '';
  return ['</tbody></table>', note, '</section>', `<script>${REPORT_SCRIPT}</script>`, '</body></html>', ''].join('\n');
}
