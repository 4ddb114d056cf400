// The candidate rule reads rows the way textKey reads them: a look-alike never names another user, even when the
// server's search (which lower-cases like JavaScript does) returns that user.
import { describe, expect, it } from 'vitest';
import { matchesField } from '../../lambda/engine/candidate-rule.ts';
import type { ResolvedUser } from '../../lambda/engine/outcomes.ts';
import { makeHarness, readReport, rowAt, runToEnd } from './engine-harness.ts';

const users: ResolvedUser[] = [
  { id: 1, username: 'kelvin', email: 'kelvin@example.com' },
  { id: 2, username: 'jos\u00e9', email: 'jose@example.com' },
  { id: 3, username: 'strasse', email: 'strasse@example.com' },
  { id: 4, username: '12', email: 'twelve@example.com' },
  { id: 5, username: 'alice', email: 'alice@example.com' },
  ...Array.from({ length: 95 }, (_, i) => ({ id: 100 + i, username: `filler${i}`, email: `filler${i}@example.com` })),
];

const cases: Array<[string, string, string, number?]> = [
  ['username with a NEL at its edge', ',alice\u0085,', 'would-delete', 5],
  ['Kelvin sign for K', ',\u212aelvin,', 'not-found'],
  ['Kelvin sign in an email', ',,\u212aelvin@example.com', 'not-found'],
  ['ß for ss', ',straße,', 'not-found'],
  ['fullwidth digits for a digits username', ',\uff11\uff12,', 'not-found'],
  ['an invisible character inside', ',ali\u200bce,', 'not-found'],
];

describe.each([
  ['lookup', { pageSize: 1 }],
  ['listing', { pageSize: 1000 }],
] as const)('row values against users (%s strategy)', (_strategy, directory) => {
  it.each(cases.map(([name, row, outcome, userId]) => ({ name, row, outcome, userId })))(
    '$name → $outcome',
    async ({ row, outcome, userId }) => {
      const h = makeHarness({ csv: `id,username,email\n${row}\n`, users, directory });
      await runToEnd(h);
      const result = rowAt(readReport(h), 2);
      expect(result.outcome).toBe(outcome);
      if (userId !== undefined) expect(result.user?.id).toBe(userId);
    },
  );
});

it('the NFD form of a precomposed username matches it in an account listing', async () => {
  // Enough id rows that one listing page is cheaper than looking each row up.
  const ids = users.slice(5, 60).map((user) => `${user.id},,`);
  const h = makeHarness({
    csv: `id,username,email\n,JOSE\u0301,\n${ids.join('\n')}\n`,
    users,
    directory: { pageSize: 1000 },
  });
  await runToEnd(h);
  expect(h.directory.callsByMethod.listAllUsers).toBeGreaterThan(0);
  expect(rowAt(readReport(h), 2)).toMatchObject({ outcome: 'would-delete', user: { id: 2 } });
});

describe('matchesField', () => {
  it('compares texts through textKey', () => {
    const kelvin = users[0] as ResolvedUser;
    expect(matchesField(kelvin, { username: 'KELVIN' }, 'username')).toBe(true);
    expect(matchesField(kelvin, { username: '\u212aELVIN' }, 'username')).toBe(false);
  });
});
