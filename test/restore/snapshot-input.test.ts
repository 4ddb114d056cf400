// Reading a snapshot (docs/restore.md): every non-empty line is one row with exactly one outcome; a bad line never
// stops the others; a file that is no snapshot is refused as a whole before any call.
import { describe, expect, it } from 'vitest';
import { readReport, rowAt, runToEnd } from '../engine/engine-harness.ts';
import { jsonl, people, recordOf, restoreHarness, snapshotLine } from './restore-harness.ts';

const { users, extras } = people(6);
const records = users.map((user) => recordOf(user, extras.get(user.id)));

describe('reading a snapshot', () => {
  it('gives each malformed line its own rejection, naming the problem, and plans the good ones', async () => {
    const good = snapshotLine(records[0]!);
    const text = jsonl([
      good,
      '{"schemaVersion": 1, "action": "delete"',
      JSON.stringify({ ...snapshotLine(records[1]!), schemaVersion: 2 }),
      JSON.stringify({ ...snapshotLine(records[2]!), action: 'rename' }),
      JSON.stringify({ ...snapshotLine(records[3]!), user: { id: -4, username: 'x' } }),
      JSON.stringify({ ...snapshotLine(records[4]!), user: { id: 7 } }),
      JSON.stringify({ ...snapshotLine(records[5]!), roles: ['admin'] }),
      '',
      '[1, 2, 3]',
      JSON.stringify(snapshotLine(records[5]!, { action: 'suspend', previousStatus: null })),
      JSON.stringify({ ...snapshotLine(records[5]!), previousStatus: 'active' }),
    ]);
    const h = restoreHarness({ snapshot: text });
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    const report = readReport(h);
    expect(report.rows.map((row) => row.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10, 11]);
    expect(rowAt(report, 1).outcome).toBe('would-restore');
    const problems: [number, RegExp][] = [
      [2, /invalid JSON/],
      [3, /unknown schemaVersion 2/],
      [4, /action must be/],
      [5, /user\.id must be a positive integer/],
      [6, /neither a username nor an email/],
      [7, /roles must be an array/],
      [9, /not a JSON object/],
      [10, /suspend line without previousStatus/],
      [11, /previousStatus must be a number or null/],
    ];
    for (const [line, message] of problems) {
      const row = rowAt(report, line);
      expect(row.outcome, `line ${line}`).toBe('rejected');
      expect(row.reason, `line ${line}`).toBe('malformed-row');
      expect(row.message, `line ${line}`).toMatch(message);
    }
    expect(rowAt(report, 3).input).toEqual({ id: '1002', username: 'user1002', email: 'user1002@example.com' });
  });

  it('rejects a second line for the same user (old id, or the same username) as a duplicate', async () => {
    const first = snapshotLine(records[0]!);
    const sameUsername = snapshotLine({ ...records[1]!, username: 'USER1001' });
    const h = restoreHarness({ snapshot: jsonl([first, first, sameUsername]) });
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 1).outcome).toBe('would-restore');
    for (const line of [2, 3]) {
      expect(rowAt(report, line).reason).toBe('duplicate');
      expect(rowAt(report, line).message).toMatch(/line 1/);
    }
  });

  it.each([
    ['a CSV of users', 'id,username,email\n1001,user1001,user1001@example.com\n', /looks like a CSV/],
    ['a pretty-printed JSON document', '{\n  "schemaVersion": 1\n}\n', /first line \(line 1\) is not a JSON object/],
    ['a PDF', '%PDF-1.7 binary', /PDF document/],
    ['bytes that are not text', '\u0000\u0001\u0002abc\u0000\u0000', /NUL bytes/],
  ])('refuses %s as a whole, before any call', async (_what, text, message) => {
    const h = restoreHarness({ snapshot: text });
    const result = await runToEnd(h);
    expect(result.status).toBe('rejected');
    const report = readReport(h);
    expect(report.error?.code).toBe('not-snapshot');
    expect(report.error?.message).toMatch(message);
    expect(report.error?.message).toMatch(/snapshot\.jsonl/);
    expect(h.directory.callsByMethod.account + h.directory.callsByMethod.findUsers).toBe(0);
  });

  it('refuses an empty file', async () => {
    const h = restoreHarness({ snapshot: '\n \n' });
    await runToEnd(h);
    expect(readReport(h).error?.code).toBe('empty-file');
  });

  it('reads a large snapshot in chunks, every line with one outcome', async () => {
    const many = people(2500, 5001);
    const lines = many.users.map((user) => snapshotLine(recordOf(user, many.extras.get(user.id))));
    const h = restoreHarness({ snapshot: jsonl(lines) });
    await runToEnd(h);
    const report = readReport(h);
    expect(report.summary['would-restore']).toBe(2500);
    expect(h.store.keys().filter((key) => key.includes('/chunks/')).length).toBeGreaterThanOrEqual(3);
  });
});
