// The guards of every run (docs/outcomes.md): protect rules (with fields, refused values, unmatched values warned
// about), directory-managed users, and the honest ending of a run refused as a whole.
import { describe, expect, it } from 'vitest';
import type { ResolvedUser } from '../../lambda/engine/outcomes.ts';
import { makeHarness, readReport, rowAt, runToEnd } from './engine-harness.ts';

const users: ResolvedUser[] = [
  { id: 1, username: 'alice', email: 'alice@example.com' },
  { id: 2, username: '42', email: 'bob@example.com' },
  { id: 3, username: 'carol', email: 'carol@example.com', directory_id: 7001 },
  { id: 4, username: 'dave', email: 'dave@example.com', directory_id: null },
  ...Array.from({ length: 96 }, (_, i) => ({ id: 100 + i, username: `filler${i}`, email: `filler${i}@example.com` })),
];

const strategies = [
  ['lookup', { pageSize: 1 }],
  ['listing', { pageSize: 1000 }],
] as const;

describe.each(strategies)('protect rules (%s strategy)', (_strategy, directory) => {
  it('"0001" protects user 1 (leading zeros are the same id) and says which value protected it', async () => {
    const h = makeHarness({ csv: 'id\n1\n', users, directory, spec: { options: { protect: ['0001'] } } });
    await runToEnd(h);
    const row = rowAt(readReport(h), 2);
    expect(row).toMatchObject({ outcome: 'rejected', reason: 'protected', user: { id: 1 } });
    expect(row.message).toContain('"0001"');
  });

  it('a field from a CSV protect file protects only that identifier', async () => {
    const csv = 'id,username,email\n1,,\n2,,\n';
    // "42" as a username protects user 2 (username 42), not the user with id 42 (none); "1" as a username protects nobody.
    const protect = [
      { value: '1', field: 'username' as const },
      { value: '42', field: 'username' as const },
    ];
    const h = makeHarness({ csv, users, directory, spec: { options: { protect } } });
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 2).outcome).toBe('would-delete');
    expect(rowAt(report, 3)).toMatchObject({ outcome: 'rejected', reason: 'protected' });
    expect(report.warnings).toEqual([expect.stringContaining('"1" matches no user')]);
  });

  it('a protect value that matches no user is a warning in the report; matched ones are not', async () => {
    const protect = ['alice@example.com', 'alcie@example.com', '99999', 'carol'];
    const h = makeHarness({ csv: 'id\n100\n', users, directory, spec: { options: { protect } } });
    await runToEnd(h);
    const report = readReport(h);
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings?.[0]).toContain('"alcie@example.com" matches no user');
    expect(report.warnings?.[1]).toContain('"99999" matches no user');
    expect(h.logs.some((log) => log.level === 'warn' && log.message.includes('alcie@example.com'))).toBe(true);
  });

  it('the unmatched-value lookups are counted in apiCalls: one id batch, one search per text value', async () => {
    const base = makeHarness({ csv: 'id\n100\n', users, directory });
    await runToEnd(base);
    const protect = ['alice', '5', '6', 'nobody@example.com'];
    const h = makeHarness({ csv: 'id\n100\n', users, directory, spec: { options: { protect } } });
    await runToEnd(h);
    // ids 5 and 6: one user_ids batch; then username searches for "5", "6" (digits may be usernames), "alice";
    // "nobody@example.com": an email search and a username search.
    expect(h.directory.callsByMethod.getUsersByIds - base.directory.callsByMethod.getUsersByIds).toBe(1);
    expect(h.directory.callsByMethod.findUsers - base.directory.callsByMethod.findUsers).toBe(5);
    expect(readReport(h).summary.apiCalls - readReport(base).summary.apiCalls).toBe(6);
  });
});

describe('protect values that cannot be identifiers', () => {
  it.each([
    ['a wildcard', '*@example.com'],
    ['a separator', 'alice,bob'],
    ['an invalid email', 'a@@example.com'],
  ])('%s refuses the run as a whole before any call; every row rejected invalid-protect', async (_name, value) => {
    const h = makeHarness({
      csv: 'id\n1\n100\n',
      users,
      spec: { mode: 'live', options: { protect: ['alice', value] } },
    });
    const result = await runToEnd(h);
    expect(result).toMatchObject({ status: 'rejected', error: { code: 'invalid-protect' } });
    expect(result.error?.message).toContain(JSON.stringify(value));
    expect(Object.values(h.directory.callsByMethod).reduce((a, b) => a + b, 0)).toBe(0);
    const report = readReport(h);
    expect(report.job.status).toBe('rejected');
    expect(report.rows.map((row) => [row.outcome, row.reason])).toEqual([
      ['rejected', 'invalid-protect'],
      ['rejected', 'invalid-protect'],
    ]);
    expect(h.store.text(`${h.spec.reportPrefix}retry.csv`)).toBeUndefined();
  });
});

describe.each(strategies)('directory-managed users (%s strategy)', (_strategy, directory) => {
  it('a user with directory_id set is rejected directory-managed, naming the directory and the flag', async () => {
    const h = makeHarness({ csv: 'id\n3\n4\n', users, directory, spec: { mode: 'live' } });
    await runToEnd(h);
    const report = readReport(h);
    const row = rowAt(report, 2);
    expect(row).toMatchObject({ outcome: 'rejected', reason: 'directory-managed', user: { id: 3 } });
    expect(row.message).toContain('7001');
    expect(row.message).toContain('--allow-directory-users');
    expect(rowAt(report, 3).outcome).toBe('deleted');
    expect(h.directory.deletedIds).toEqual([4]);
  });

  it('allowDirectoryUsers lets a directory user be deleted', async () => {
    const h = makeHarness({
      csv: 'id\n3\n',
      users,
      directory,
      spec: { mode: 'live', options: { allowDirectoryUsers: true } },
    });
    await runToEnd(h);
    expect(rowAt(readReport(h), 2).outcome).toBe('deleted');
    expect(h.directory.deletedIds).toEqual([3]);
  });

  it('protection wins over the directory rule', async () => {
    const h = makeHarness({
      csv: 'email\ncarol@example.com\n',
      users,
      directory,
      spec: { options: { protect: ['3'] } },
    });
    await runToEnd(h);
    expect(rowAt(readReport(h), 2).reason).toBe('protected');
  });
});

describe('a DELETE whose answer was lost', () => {
  it('is deleted (the message says so) when the retry is answered 404; a first-attempt 404 stays already-absent', async () => {
    const h = makeHarness({
      csv: 'id\n1\n100\n101\n',
      users,
      spec: { mode: 'live' },
      tuning: { deleteConcurrency: 1 },
    });
    const send = h.directory.deleteUser.bind(h.directory);
    // User 100: the first attempt deleted it but its answer was lost; the client's retry then got a 404.
    h.directory.deleteUser = async (id) => {
      const result = await send(id);
      return id === 100 && result === 'deleted' ? 'absent-after-retry' : result;
    };
    h.directory.afterDelete = (id) => {
      if (id === 1) h.directory.removeOutOfBand(101);
    };
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 2).outcome).toBe('deleted');
    const lost = rowAt(report, 3);
    expect(lost.outcome).toBe('deleted');
    expect(lost.message).toMatch(/answer to the first DELETE was lost/);
    expect(rowAt(report, 4).outcome).toBe('already-absent');
  });
});
