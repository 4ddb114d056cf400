import { describe, expect, it } from 'vitest';
import { valueHash } from '../../lambda/engine/text-hash.ts';
import { StringColumn } from '../../lambda/engine/typed-columns.ts';
import { UserIndex, WantedKeys } from '../../lambda/engine/user-index.ts';
import { makeHarness, readReport, rowAt, runToEnd } from './engine-harness.ts';

/** Two different emails with the same short hash (found by search: the 30-bit hash collides after ~2^15 values). */
function collidingEmails(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i += 1) {
    const email = `person${i}@example.com`;
    const hash = valueHash(email);
    const earlier = seen.get(hash);
    if (earlier !== undefined) return [earlier, email];
    seen.set(hash, email);
  }
}

describe('StringColumn', () => {
  it('keeps nulls, empty strings and non-ASCII text', () => {
    const column = new StringColumn();
    const values = [
      'plain',
      null,
      '',
      'Zoë.Ünïcødé@exämple.com',
      '名前',
      ...Array.from({ length: 5_000 }, (_, i) => `v${i}`),
    ];
    for (const value of values) column.push(value);
    expect(values.map((_, i) => column.get(i))).toEqual(values);
  });
});

describe('UserIndex', () => {
  it('finds users by id, email and username hash; keeps a user listed twice once', () => {
    const index = new UserIndex();
    index.add({ id: 5, username: 'Eve', email: 'eve@example.com' });
    index.add({ id: 3, username: 'carl', email: null });
    index.add({ id: 5, username: 'Eve', email: 'eve@example.com' });
    index.seal();
    expect(index.size).toBe(2);
    expect(index.candidates({ id: 5 })).toEqual([{ id: 5, username: 'Eve', email: 'eve@example.com' }]);
    expect(index.candidates({ id: 4 })).toEqual([]);
    expect(index.candidates({ email: 'EVE@example.com' }).map((u) => u.id)).toEqual([5]);
    expect(index.candidates({ username: 'CARL' }).map((u) => u.id)).toEqual([3]);
    expect([...index.users()].map((u) => u.id)).toEqual([3, 5]);
    index.markPlanned(5, 17);
    expect(index.plannedLine(5)).toBe(17);
    expect(index.plannedLine(3)).toBeUndefined();
  });

  it("keeps the directory guard's input exactly: none, null, a real id, and -1 (a value of an odd shape)", () => {
    const index = new UserIndex();
    index.add({ id: 1, username: 'a', email: null });
    index.add({ id: 2, username: 'b', email: null, directory_id: null, status: null });
    index.add({ id: 3, username: 'c', email: null, directory_id: 77, status: 1 });
    index.add({ id: 4, username: 'd', email: null, directory_id: -1, status: -1 });
    index.seal();
    const kept = (id: number) => index.candidates({ id })[0];
    expect(kept(1)?.directory_id).toBeUndefined();
    expect(kept(2)).toMatchObject({ directory_id: null, status: null });
    expect(kept(3)).toMatchObject({ directory_id: 77, status: 1 });
    expect(kept(4)).toMatchObject({ directory_id: -1, status: -1 });
  });

  it('WantedKeys counts distinct primary values only', () => {
    const wanted = new WantedKeys();
    wanted.add({ id: 1, email: 'a@example.com' });
    wanted.add({ id: 1 });
    wanted.add({ email: 'A@example.com' });
    wanted.add({ email: 'a@example.com', username: 'x' });
    wanted.add({ username: 'x' });
    expect(wanted.seal()).toEqual({ distinctIds: 1, distinctEmails: 1, distinctUsernames: 1 });
    expect(wanted.wants({ id: 1, username: null, email: null })).toBe(true);
    expect(wanted.wants({ id: 2, username: 'X', email: 'b@example.com' })).toBe(true);
    expect(wanted.wants({ id: 2, username: 'y', email: 'b@example.com' })).toBe(false);
  });

  it('a hash collision never makes a user match another email (exact re-check), in a full run', async () => {
    const [wantedEmail, otherEmail] = collidingEmails();
    expect(valueHash(wantedEmail)).toBe(valueHash(otherEmail));
    const users = [
      { id: 1, username: 'other', email: otherEmail },
      ...Array.from({ length: 20 }, (_, i) => ({ id: 100 + i, username: `u${i}`, email: `u${i}@example.com` })),
    ];
    const csv = `email\n${wantedEmail}\n${otherEmail}\n${users
      .slice(1, 6)
      .map((u) => u.email)
      .join('\n')}\n`;
    const h = makeHarness({ csv, users, directory: { pageSize: 1000 } });
    await runToEnd(h);
    expect(h.directory.callsByMethod.listAllUsers).toBe(1);
    const report = readReport(h);
    expect(rowAt(report, 2).outcome).toBe('not-found');
    expect(rowAt(report, 3)).toMatchObject({ outcome: 'would-delete', user: { id: 1 } });
  });
});
