import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { bearer, CLIENT_ID, CLIENT_SECRET, call, fetchToken, makeUser } from './emulator-test-client.ts';

const USERS = [
  makeUser(5, 'cat.one', 'cat@example.com', 'Cat', 'One'),
  makeUser(9, 'dov.two', 'dov@example.com', 'Dov', 'Two'),
];

let emulator: OneLoginEmulator;
let auth: Record<string, string>;
let clock: number;

beforeEach(async () => {
  clock = Date.UTC(2026, 1, 3, 4, 5, 6);
  emulator = await createOneLoginEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    users: USERS,
    now: () => clock,
  });
  auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
  emulator.resetStats();
});
afterEach(async () => {
  await emulator.close();
});

async function fetchUser(id: number): Promise<{ status: number; user: Record<string, unknown> }> {
  const answer = await call(`${emulator.url}/api/2/users/${id}`, { headers: auth });
  return { status: answer.status, user: answer.status === 200 ? (answer.json() as Record<string, unknown>) : {} };
}

describe('emulator test controls', () => {
  it('updateUser changes fields as an administrator would, and updated_at moves', async () => {
    clock += 3_600_000;
    const changed = emulator.updateUser(5, {
      email: 'cat.new@example.com',
      status: 2,
      directory_id: 4201,
      last_login: '2026-02-03T05:00:00.000Z',
    });
    expect(changed?.updated_at).toBe(new Date(clock).toISOString());
    const { user } = await fetchUser(5);
    expect(user).toMatchObject({
      email: 'cat.new@example.com',
      status: 2,
      directory_id: 4201,
      last_login: '2026-02-03T05:00:00.000Z',
      updated_at: new Date(clock).toISOString(),
      created_at: USERS[0]?.created_at,
    });
    const byOldEmail = await call(`${emulator.url}/api/2/users?email=cat@example.com`, { headers: auth });
    expect(byOldEmail.json()).toEqual([]);
    const byNewEmail = await call(`${emulator.url}/api/2/users?email=cat.new@example.com&fields=id`, { headers: auth });
    expect(byNewEmail.json()).toEqual([{ id: 5 }]);
  });

  it('updateUser honours an explicit updated_at, and answers undefined for an unknown id', () => {
    expect(emulator.updateUser(9, { updated_at: '2020-01-01T00:00:00.000Z' })?.updated_at).toBe(
      '2020-01-01T00:00:00.000Z',
    );
    expect(emulator.updateUser(404, { status: 2 })).toBeUndefined();
  });

  it('removeUser takes a user away without an API call or a recorded deletion', async () => {
    expect(emulator.removeUser(9)).toBe(true);
    expect(emulator.removeUser(9)).toBe(false);
    expect((await fetchUser(9)).status).toBe(404);
    const stats = emulator.stats();
    expect(stats.deletions).toEqual([]);
    expect(stats.calls.delete).toBe(0);
  });

  it('recreateUser creates the same person again under a new id', async () => {
    emulator.removeUser(9);
    const again = emulator.recreateUser({ username: 'dov.two', email: 'dov@example.com', firstname: 'Dov', status: 1 });
    expect(again.id).toBe(10);
    expect(again.created_at).toBe(new Date(clock).toISOString());
    const found = await call(`${emulator.url}/api/2/users?username=dov.two&fields=id,status`, { headers: auth });
    expect(found.json()).toEqual([{ id: 10, status: 1 }]);
  });

  it('hands out copies: changing what a control returned does not change the account', async () => {
    const changed = emulator.updateUser(5, { custom_attributes: { team: 'red' }, role_ids: [1] });
    if (changed?.custom_attributes) changed.custom_attributes.team = 'blue';
    changed?.role_ids?.push(2);
    const listed = emulator.users()[0];
    if (listed) listed.email = 'mutated@example.com';
    const { user } = await fetchUser(5);
    expect(user.custom_attributes).toEqual({ team: 'red' });
    expect(user.role_ids).toEqual([1]);
    expect(user.email).toBe('cat@example.com');
  });

  it('makes no calls: stats stay at zero', () => {
    emulator.updateUser(5, { status: 3 });
    emulator.recreateUser({ username: 'x', email: 'x@example.com' });
    emulator.removeUser(9);
    expect(Object.values(emulator.stats().calls).every((count) => count === 0)).toBe(true);
  });
});
