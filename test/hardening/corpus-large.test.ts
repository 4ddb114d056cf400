// The corpus's largest case: a file of 200,000 rows (generated here), dry run through the engine with an in-process
// directory of 50,000 users. Every row is accounted for exactly once, with the counts worked out independently.
import { describe, expect, it } from 'vitest';
import { makeHarness, makeUsers, runToEnd } from '../engine/engine-harness.ts';
import type { RunReport } from './run-invariants.ts';
import { expectRunInvariants } from './run-invariants.ts';

const ROWS = 200_000;
const USERS = 50_000;

function generate(): { csv: string; expected: Record<string, number>; reasons: Record<string, number> } {
  const lines = ['id,username,email'];
  const expected: Record<string, number> = { 'would-delete': 0, 'not-found': 0, rejected: 0 };
  const reasons: Record<string, number> = { 'invalid-id': 0, wildcard: 0, duplicate: 0 };
  let next = 0;
  for (let i = 0; i < ROWS; i += 1) {
    switch (i % 8) {
      case 0:
        lines.push(`,,nobody${i}@example.com`);
        expected['not-found']! += 1;
        break;
      case 1:
        lines.push(`x${i},,`);
        expected.rejected! += 1;
        reasons['invalid-id']! += 1;
        break;
      case 2:
        lines.push(`,user*${i},`);
        expected.rejected! += 1;
        reasons.wildcard! += 1;
        break;
      default: {
        const k = next % USERS;
        next += 1;
        // The same user by id, by username or by email in turn: the first naming plans it, every later one is a duplicate.
        const id = 1001 + k;
        lines.push(i % 3 === 0 ? `${id},,` : i % 3 === 1 ? `,USER${id},` : `,,user${id}@EXAMPLE.com`);
        if (next <= USERS) expected['would-delete']! += 1;
        else {
          expected.rejected! += 1;
          reasons.duplicate! += 1;
        }
      }
    }
  }
  return { csv: `${lines.join('\n')}\n`, expected, reasons };
}

describe('a file of 200,000 rows (dry run, in-process directory)', () => {
  it('every row accounted for exactly once, counts as worked out', async () => {
    const { csv, expected, reasons } = generate();
    const h = makeHarness({ csv, users: makeUsers(USERS) });
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    const report = JSON.parse(h.store.text(`${h.spec.reportPrefix}report.json`) ?? 'null') as RunReport;
    expectRunInvariants({ report, dataRows: ROWS, deletions: [], plan: new Set(), mode: 'dry-run', label: '200k' });
    expect(report.summary).toMatchObject({ rows: ROWS, ...expected, deleted: 0, failed: 0 });
    const byReason: Record<string, number> = {};
    for (const row of report.rows) if (row.reason) byReason[row.reason] = (byReason[row.reason] ?? 0) + 1;
    expect(byReason).toEqual(reasons);
    expect(h.directory.deletedIds).toEqual([]);
  });
});
