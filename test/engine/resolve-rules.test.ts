import { describe, expect, it } from 'vitest';
import type { ResolvedUser } from '../../lambda/engine/outcomes.ts';
import { makeHarness, readReport, rowAt, runToEnd } from './engine-harness.ts';

const users: ResolvedUser[] = [
  { id: 1, username: 'alice', email: 'alice@example.com' },
  { id: 2, username: 'bob', email: 'shared@example.com' },
  { id: 3, username: 'carol', email: 'shared@example.com' },
  { id: 4, username: 'dave', email: 'Dave@Example.com' },
  { id: 5, username: 'erin', email: null },
  { id: 6, username: 'frank', email: 'frank@example.com' },
  { id: 7, username: 'grace', email: 'grace@example.com' },
  { id: 8, username: 'heidi', email: 'heidi@example.com' },
  ...Array.from({ length: 92 }, (_, i) => ({ id: 100 + i, username: `filler${i}`, email: `filler${i}@example.com` })),
];

interface Case {
  name: string;
  row: string;
  outcome: string;
  reason?: string;
  userId?: number;
  protect?: string[];
}

// Each case is one data row (line 2) after the header `id,username,email`.
const cases: Case[] = [
  { name: 'id alone', row: '1,,', outcome: 'would-delete', userId: 1 },
  { name: 'email alone, case differs', row: ',,DAVE@example.COM', outcome: 'would-delete', userId: 4 },
  { name: 'username alone', row: ',Erin,', outcome: 'would-delete', userId: 5 },
  { name: 'all three agree', row: '1,ALICE,alice@example.com', outcome: 'would-delete', userId: 1 },
  { name: 'unknown id', row: '999,,', outcome: 'not-found' },
  { name: 'unknown email', row: ',,nobody@example.com', outcome: 'not-found' },
  { name: 'unknown username', row: ',nobody,', outcome: 'not-found' },
  { name: 'email shared by two users', row: ',,shared@example.com', outcome: 'rejected', reason: 'ambiguous' },
  { name: 'shared email narrowed by username', row: ',carol,shared@example.com', outcome: 'would-delete', userId: 3 },
  {
    name: 'id and email of different users',
    row: '1,,frank@example.com',
    outcome: 'rejected',
    reason: 'identifier-mismatch',
  },
  {
    name: 'email and username of different users',
    row: ',frank,grace@example.com',
    outcome: 'rejected',
    reason: 'identifier-mismatch',
  },
  {
    name: 'id with a username the user lacks',
    row: '5,,erin@example.com',
    outcome: 'rejected',
    reason: 'identifier-mismatch',
  },
  { name: 'protected by id', row: '6,,', outcome: 'rejected', reason: 'protected', protect: ['6'] },
  { name: 'protected by username', row: '6,,', outcome: 'rejected', reason: 'protected', protect: ['FRANK'] },
  {
    name: 'protected by email',
    row: ',grace,',
    outcome: 'rejected',
    reason: 'protected',
    protect: [' Grace@Example.com '],
  },
  { name: 'protection of another user', row: '6,,', outcome: 'would-delete', userId: 6, protect: ['7', 'grace'] },
  { name: 'wildcard from validation', row: ',,*@example.com', outcome: 'rejected', reason: 'wildcard' },
  { name: 'invalid id from validation', row: 'abc,,', outcome: 'rejected', reason: 'invalid-id' },
];

describe.each(['lookup', 'listing'] as const)('resolution rules (%s strategy)', (strategy) => {
  // A page size of 1000 makes one listing call cheaper than any lookup; a page size of 1 makes listing the dearest.
  const directory = strategy === 'listing' ? { pageSize: 1000 } : { pageSize: 1 };
  it.each(cases)('$name → $outcome $reason', async (c) => {
    const h = makeHarness({
      csv: `id,username,email\n${c.row}\n`,
      users,
      directory,
      spec: { options: { protect: c.protect ?? [] } },
    });
    await runToEnd(h);
    const row = rowAt(readReport(h), 2);
    expect(row.outcome).toBe(c.outcome);
    expect(row.reason).toBe(c.reason);
    if (c.userId !== undefined) expect(row.user?.id).toBe(c.userId);
    expect(h.directory.size).toBe(users.length);
  });

  it('a second row naming the same user by another identifier is a duplicate naming the earlier line', async () => {
    const csv = 'id,username,email\n1,,\n,,bob@nowhere.test\n,alice,\n,,ALICE@example.com\n';
    const h = makeHarness({ csv, users, directory });
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 2).outcome).toBe('would-delete');
    expect(rowAt(report, 3).outcome).toBe('not-found');
    for (const line of [4, 5]) {
      const row = rowAt(report, line);
      expect(row.outcome).toBe('rejected');
      expect(row.reason).toBe('duplicate');
      expect(row.message).toContain('line 2');
    }
  });

  it('re-checks candidates when the server widens a search', async () => {
    const widened = [...users, { id: 50, username: 'alice2', email: 'alice@example.com.evil' }];
    const h = makeHarness({
      csv: 'email\nalice@example.com\n',
      users: widened,
      directory: { ...directory, widenSearch: true },
    });
    await runToEnd(h);
    expect(rowAt(readReport(h), 2)).toMatchObject({ outcome: 'would-delete', user: { id: 1 } });
  });
});
