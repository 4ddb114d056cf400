import { describe, expect, it } from 'vitest';
import { makeHarness, makeUsers, readReport, runToEnd } from '../engine/engine-harness.ts';

describe('report.html of a long report', () => {
  it('shows the first rows up to its limit and says how many more report.csv and report.json hold', async () => {
    const users = makeUsers(30);
    const h = makeHarness({
      csv: `id\n${users.map((user) => user.id).join('\n')}\n`,
      users,
      tuning: { chunkRows: 7, htmlReportRows: 10 },
    });
    await runToEnd(h);
    expect(readReport(h).rows).toHaveLength(30);
    const html = h.store.text('reports/job-1/report.html') ?? '';
    expect(html.match(/<tr class="outcome-/g)).toHaveLength(10);
    expect(html).toContain('<td>1010</td>');
    expect(html).not.toContain('<td>1011</td>');
    expect(html).toContain('20 more rows are not shown here');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('names no omitted rows when all fit', async () => {
    const h = makeHarness({ csv: 'id\n1001\n1002\n', users: makeUsers(5) });
    await runToEnd(h);
    const html = h.store.text('reports/job-1/report.html') ?? '';
    expect(html.match(/<tr class="outcome-/g)).toHaveLength(2);
    expect(html).not.toContain('id="omitted"');
  });
});
