// Planning a restore (docs/restore.md): a deleted user is planned only when nobody has its username or email now; a
// suspended user only when it is still there without its previous status; lines from another account are refused.
import { describe, expect, it } from 'vitest';
import { readReport, rowAt, runToEnd } from '../engine/engine-harness.ts';
import { ACCOUNT, jsonl, people, recordOf, restoreHarness, snapshotLine } from './restore-harness.ts';

const { users, extras } = people(10);
const records = users.map((user) => recordOf(user, extras.get(user.id)));

describe('planning a restore', () => {
  it('finds a user who has the username or the email now: already-present, naming that user', async () => {
    const takenEmail = { id: 9001, username: 'someone-else', email: 'USER1001@example.com' };
    const takenUsername = { id: 9002, username: 'user1002', email: 'other@example.com' };
    const lookalike = { id: 9003, username: 'user1003x', email: 'user1003@example.com.au' };
    const h = restoreHarness({
      snapshot: jsonl(records.slice(0, 4).map((record) => snapshotLine(record))),
      users: [takenEmail, takenUsername, lookalike],
    });
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 1)).toMatchObject({ outcome: 'already-present', user: { id: 9001 } });
    expect(rowAt(report, 1).message).toMatch(/email exists now \(id 9001\)/);
    expect(rowAt(report, 2)).toMatchObject({ outcome: 'already-present', user: { id: 9002 } });
    expect(rowAt(report, 2).message).toMatch(/username exists now \(id 9002\)/);
    for (const line of [3, 4]) expect(rowAt(report, line).outcome).toBe('would-restore');
    expect(rowAt(report, 3).message).toMatch(/old id 1003 cannot come back/);
    expect(h.directory.callsByMethod.createUser).toBe(0);
  });

  it('re-checks a widened search exactly: a prefix match is not the same user', async () => {
    const h = restoreHarness({
      snapshot: jsonl([snapshotLine(records[0]!)]),
      users: [{ id: 9001, username: 'user1001-new', email: 'user1001@example.com.new' }],
      directory: { widenSearch: true },
    });
    await runToEnd(h);
    expect(rowAt(readReport(h), 1).outcome).toBe('would-restore');
  });

  it('costs a dry run at most 2 calls a line', async () => {
    const many = people(120, 3001);
    const lines = many.users.map((user) => snapshotLine(recordOf(user, many.extras.get(user.id))));
    const h = restoreHarness({ snapshot: jsonl(lines) });
    await runToEnd(h);
    const report = readReport(h);
    expect(report.summary['would-restore']).toBe(120);
    expect(h.directory.callsByMethod.findUsers).toBeLessThanOrEqual(2 * 120);
    // Beyond the lines: the account size for the budget, once.
    expect(report.summary.apiCalls).toBeLessThanOrEqual(2 * 120 + 1);
  });

  it('plans a suspended user back to its previous status; gone → not-found; already there → already-present', async () => {
    const now = users.slice(0, 3).map((user, i) => ({ ...user, status: i === 2 ? 1 : 2 }));
    const suspendLine = (i: number) =>
      snapshotLine({ ...records[i]!, status: 1 }, { action: 'suspend', previousStatus: 1 });
    const h = restoreHarness({
      snapshot: jsonl([suspendLine(0), suspendLine(1), suspendLine(2), suspendLine(5)]),
      users: now,
    });
    h.directory.removeOutOfBand(1002);
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 1)).toMatchObject({ outcome: 'would-restore', user: { id: 1001, status: 2 } });
    expect(rowAt(report, 1).message).toMatch(/previous status back \(2 → 1\)/);
    expect(rowAt(report, 2)).toMatchObject({ outcome: 'not-found' });
    expect(rowAt(report, 2).message).toMatch(/deleted since the snapshot/);
    expect(rowAt(report, 3)).toMatchObject({ outcome: 'already-present', user: { id: 1003 } });
    expect(rowAt(report, 3).message).toMatch(/already has its previous status/);
    expect(rowAt(report, 4).outcome).toBe('not-found');
    // Suspend lines are fetched by id, in one batch; none is searched.
    expect(h.directory.callsByMethod.getUsersByIds).toBe(1);
    expect(h.directory.callsByMethod.findUsers).toBe(0);
  });

  it('rejects the lines taken in another account, and plans the others', async () => {
    const elsewhere = { host: 'other.onelogin.com', accountId: 77 };
    const h = restoreHarness({
      snapshot: jsonl([snapshotLine(records[0]!), snapshotLine(records[1]!, { account: elsewhere })]),
    });
    await runToEnd(h);
    const report = readReport(h);
    expect(report.job.status).toBe('completed');
    expect(rowAt(report, 1).outcome).toBe('would-restore');
    expect(rowAt(report, 2)).toMatchObject({ outcome: 'rejected', reason: 'wrong-account' });
    expect(rowAt(report, 2).message).toMatch(/account 77 on other\.onelogin\.com.*account 4242 on acme\.onelogin\.com/);
  });

  it('refuses the whole run when every line was taken in another account, before any lookup', async () => {
    const h = restoreHarness({
      snapshot: jsonl(records.slice(0, 3).map((record) => snapshotLine(record))),
      account: { host: ACCOUNT.host, accountId: 5 },
    });
    const result = await runToEnd(h);
    expect(result.status).toBe('rejected');
    const report = readReport(h);
    expect(report.error?.code).toBe('wrong-account');
    expect(report.rows.every((row) => row.outcome === 'rejected' && row.reason === 'wrong-account')).toBe(true);
    expect(h.directory.callsByMethod.findUsers + h.directory.callsByMethod.countUsers).toBe(0);
  });

  it('compares hosts when the snapshot or the token gives no account id', async () => {
    const h = restoreHarness({
      snapshot: jsonl([snapshotLine(records[0]!, { account: { host: 'ACME.onelogin.com' } })]),
      account: { host: 'acme.onelogin.com' },
    });
    await runToEnd(h);
    expect(rowAt(readReport(h), 1).outcome).toBe('would-restore');
  });

  it('keeps protected users out of the plan', async () => {
    const h = restoreHarness({ snapshot: jsonl([snapshotLine(records[0]!), snapshotLine(records[1]!)]) });
    h.spec.options.protect = [{ value: 'user1002@example.com' }];
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 1).outcome).toBe('would-restore');
    expect(rowAt(report, 2)).toMatchObject({ outcome: 'rejected', reason: 'protected' });
  });

  it('counts restores against the budget: a dry run over it says so', async () => {
    const h = restoreHarness({
      snapshot: jsonl(records.slice(0, 4).map((record) => snapshotLine(record))),
      users: users.slice(6),
    });
    h.spec.options.maxDeletions = 2;
    await runToEnd(h);
    const report = readReport(h);
    expect(report.summary['would-restore']).toBe(4);
    expect(report.summary.budget?.message).toMatch(/the plan restores 4 users/);
    expect(report.summary.budget?.setting).toBe('maxDeletions 4');
  });
});
