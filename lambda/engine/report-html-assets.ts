// The one inline style and the one inline script of report.html, with the hashes its Content-Security-Policy allows.
// Constant text: the hashes are computed once, when the module loads, from exactly the text the page embeds.
import { createHash } from 'node:crypto';

export const REPORT_STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1b1f24; }
body { margin: 0 auto; padding: 1.5rem; max-width: 80rem; line-height: 1.4; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
dl.job { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0; }
dl.job dt { font-weight: 600; }
dl.job dd { margin: 0; overflow-wrap: anywhere; }
.status-rejected, .status-aborted { color: #a40e26; font-weight: 600; }
.error { border-left: 4px solid #a40e26; background: #fff0f0; padding: 0.5rem 0.75rem; }
.warnings li { color: #7a4d00; }
.notices li { color: #1f3d7a; }
svg.chart { width: 100%; max-width: 40rem; height: auto; }
svg.chart text { font-size: 13px; fill: #1b1f24; }
.bar-deleted { fill: #1f7a3f; } .bar-would-delete { fill: #2f6fbe; } .bar-not-found { fill: #7d8590; }
.bar-already-absent { fill: #9a6700; } .bar-rejected { fill: #cf6a00; } .bar-failed { fill: #a40e26; }
.bar-suspended { fill: #1f7a3f; } .bar-would-suspend { fill: #2f6fbe; } .bar-already-suspended { fill: #9a6700; }
.controls { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin: 0.5rem 0; }
.controls label { display: inline-flex; gap: 0.3rem; align-items: center; }
.controls input[type="search"] { min-width: 16rem; padding: 0.3rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.875rem; }
th, td { border: 1px solid #d0d7de; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
thead th { background: #f3f5f7; position: sticky; top: 0; }
tr.outcome-failed td.outcome { color: #a40e26; font-weight: 600; }
tr.outcome-rejected td.outcome { color: #cf6a00; font-weight: 600; }
tr.outcome-deleted td.outcome { color: #1f7a3f; font-weight: 600; }
.shown { color: #57606a; }
.note { color: #57606a; font-style: italic; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .controls { display: none; }
  thead { display: table-header-group; }
  thead th { position: static; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('rows');
  var search = document.getElementById('search');
  var shown = document.getElementById('shown');
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name="outcome"]'));
  if (!table || !search || !shown) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
  function apply() {
    var wanted = {};
    boxes.forEach(function (box) { wanted[box.value] = box.checked; });
    var needle = search.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row, index) {
      var visible = wanted[row.getAttribute('data-outcome')] !== false && (needle === '' || texts[index].indexOf(needle) !== -1);
      row.hidden = !visible;
      if (visible) count += 1;
    });
    shown.textContent = count + ' of ' + rows.length + ' rows shown';
  }
  boxes.forEach(function (box) { box.addEventListener('change', apply); });
  search.addEventListener('input', apply);
  apply();
})();
`;

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Nothing but the page's own style and script: no other script, style, image, font, frame, form or connection. */
export const REPORT_CSP = [
  "default-src 'none'",
  `style-src ${sha256Source(REPORT_STYLE)}`,
  `script-src ${sha256Source(REPORT_SCRIPT)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
