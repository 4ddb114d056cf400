import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvField, formulaSafeCell } from '../../lambda/engine/csv-cells.ts';
import { REPORT_CSV_COLUMNS } from '../../lambda/engine/report-writer.ts';
import { makeHarness, makeUsers, readReport, runToEnd } from './engine-harness.ts';

describe('formulaSafeCell', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(formulaSafeCell(input)).toBe(expected);
  });

  it('quotes separators, quotes and line breaks', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('plain')).toBe('plain');
  });
});

describe('report files', () => {
  const users = [
    { id: 7, username: '=HYPERLINK("http://evil")', email: '+evil@example.com' },
    { id: 8, username: 'normal, with comma', email: 'quote"d@example.com' },
    ...makeUsers(50),
  ];

  it('report.csv has the contract columns, neutralised formulas and the same rows as report.json', async () => {
    const csv = 'id,username\n7,\n8,\n"-5",\n,@nobody\n';
    const h = makeHarness({ csv, users });
    await runToEnd(h);
    const report = readReport(h);
    const text = h.store.text('reports/job-1/report.csv') ?? '';
    expect(text.startsWith('\uFEFFline,outcome,reason,')).toBe(true);
    const records = parse(text, { columns: true, bom: true }) as Record<string, string>[];
    // The contract's order (docs/reports.md), written out: the code's own constant must agree with it.
    const contractColumns =
      'line outcome reason id username email user_id user_username user_email user_name user_status user_last_login message';
    expect(Object.keys(records[0] ?? {})).toEqual(contractColumns.split(' '));
    expect([...REPORT_CSV_COLUMNS]).toEqual(contractColumns.split(' '));
    expect(records).toHaveLength(report.rows.length);
    expect(records[0]).toMatchObject({
      line: '2',
      id: '7',
      outcome: 'would-delete',
      user_id: '7',
      user_username: `'=HYPERLINK("http://evil")`,
      user_email: "'+evil@example.com",
    });
    expect(records[1]).toMatchObject({ user_username: 'normal, with comma', user_email: 'quote"d@example.com' });
    expect(records[2]).toMatchObject({ line: '4', id: "'-5", outcome: 'rejected', reason: 'invalid-id' });
    for (const record of records) {
      for (const value of Object.values(record)) expect(value).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('report.json follows the contract shape', async () => {
    const h = makeHarness({ csv: 'email,Extra\nuser1001@example.com,x\n', users });
    await runToEnd(h);
    const report = readReport(h);
    expect(Object.keys(report)).toEqual(['schemaVersion', 'job', 'input', 'account', 'summary', 'rows']);
    // The account the credentials reached, read once by the account guard.
    expect(report.account).toEqual(await h.directory.account());
    expect(report.schemaVersion).toBe(1);
    expect(Object.keys(report.job)).toEqual(['id', 'mode', 'source', 'status', 'startedAt', 'finishedAt']);
    expect(report.input).toMatchObject({
      columns: ['email'],
      ignoredColumns: ['Extra'],
      encoding: 'utf-8',
      separator: ',',
    });
    expect(Object.keys(report.summary)).toEqual([
      'rows',
      'deleted',
      'would-delete',
      'not-found',
      'already-absent',
      'rejected',
      'failed',
      'suspended',
      'would-suspend',
      'already-suspended',
      'restored',
      'would-restore',
      'already-present',
      'apiCalls',
      'apiCallsByKind',
    ]);
    expect(report.rows[0]).toEqual({
      line: 2,
      input: { email: 'user1001@example.com' },
      outcome: 'would-delete',
      user: { id: 1001, username: 'user1001', email: 'user1001@example.com' },
    });
    expect(new Date(report.job.finishedAt).getTime()).toBeGreaterThanOrEqual(new Date(report.job.startedAt).getTime());
  });

  it('a second run of a finished job returns its result and rewrites nothing', async () => {
    const h = makeHarness({ csv: 'id\n1001\n', users });
    const first = await runToEnd(h);
    const before = h.store.text('reports/job-1/report.json');
    const calls = h.directory.callCounts();
    const again = await runToEnd(h);
    expect(again).toEqual(first);
    expect(h.store.text('reports/job-1/report.json')).toBe(before);
    expect(h.directory.callCounts()).toEqual(calls);
  });

  it('logs counts, never the identifiers of the file', async () => {
    const h = makeHarness({
      csv: 'email\nuser1001@example.com\nuser1002@example.com\n',
      users: makeUsers(2_000),
      spec: { mode: 'live' },
    });
    await runToEnd(h);
    const logged = JSON.stringify(h.logs);
    expect(logged).not.toContain('user1001');
    expect(logged).not.toContain('example.com');
    expect(h.logs.some((entry) => entry.message === 'job finished')).toBe(true);
  });
});
