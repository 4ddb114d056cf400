import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Separator } from '../../lambda/engine/input/input-types.ts';
import { readReport } from '../engine/engine-harness.ts';
import { runSample } from './report-sample.ts';

const CONTRACT_COLUMNS =
  'line outcome reason id username email user_id user_username user_email user_name user_status user_last_login message'.split(
    ' ',
  );

function records(csv: string, delimiter: Separator): Record<string, string>[] {
  return parse(csv, { columns: true, bom: true, delimiter }) as Record<string, string>[];
}

describe.each([
  { name: 'comma', separator: ',' as Separator },
  { name: 'semicolon', separator: ';' as Separator },
  { name: 'tab', separator: '\t' as Separator },
])('report.csv of a $name input', ({ separator }) => {
  it("starts with a BOM, uses the input's separator and the reviewer's columns", async () => {
    const { csv, harness } = await runSample(separator);
    expect(csv.startsWith(`\uFEFF${CONTRACT_COLUMNS.join(separator)}\r\n`)).toBe(true);
    expect(harness.store.contentTypes.get('reports/job-1/report.csv')).toBe('text/csv; charset=utf-8');
    const rows = records(csv, separator);
    expect(rows).toHaveLength(readReport(harness).rows.length);
    expect(rows[0]).toEqual({
      line: '2',
      outcome: 'would-delete',
      reason: '',
      id: '101',
      username: '',
      email: '',
      user_id: '101',
      user_username: 'françois',
      user_email: 'francois@example.com',
      user_name: 'François Dupont',
      user_status: 'active',
      user_last_login: '2026-11-02T08:15:00Z',
      message: '',
    });
    expect(rows[1]).toMatchObject({ username: 'müller', user_username: 'Müller', user_status: 'suspended' });
    expect(rows[3]).toMatchObject({ user_username: 'semi;colon, comma', user_name: 'Ann "Quote" Lee' });
  });

  it('neutralises every cell a spreadsheet would run as a formula', async () => {
    const rows = records((await runSample(separator)).csv, separator);
    expect(rows[2]).toMatchObject({ user_username: `'=HYPERLINK("http://evil.example")`, user_status: 'locked' });
    expect(rows[6]).toMatchObject({ line: '8', id: "'-5", outcome: 'rejected', reason: 'invalid-id' });
    for (const row of rows) for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('names the candidates of an ambiguous row and the user each identifier of a mismatch found', async () => {
    const { csv, harness } = await runSample(separator);
    const rows = records(csv, separator);
    expect(rows[4]).toMatchObject({ line: '6', outcome: 'rejected', reason: 'ambiguous' });
    expect(rows[4]?.message).toMatch(/candidates: 105, 106$/);
    expect(rows[5]).toMatchObject({ line: '7', outcome: 'rejected', reason: 'identifier-mismatch' });
    expect(rows[5]?.message).toMatch(/id → 101, email → 109$/);
    const report = readReport(harness);
    expect(report.rows[4]).toMatchObject({ line: 6, candidates: [105, 106] });
    expect(report.rows[5]).toMatchObject({ line: 7, matches: { id: [101], email: [109] } });
  });
});

describe('report.json rows', () => {
  it("carry the resolved user's name, status and last login", async () => {
    const report = readReport((await runSample(',')).harness);
    expect(report.rows[0]?.user).toEqual({
      id: 101,
      username: 'françois',
      email: 'francois@example.com',
      name: 'François Dupont',
      status: 1,
      lastLogin: '2026-11-02T08:15:00Z',
    });
    expect(report.rows[9]).toMatchObject({ line: 11, outcome: 'not-found' });
    expect(report.rows[9]).not.toHaveProperty('user');
  });
});
