// The client's snapshot, suspension and restore calls over real HTTP against the emulator.
import { afterEach, describe, expect, test } from 'vitest';
import type { EmulatorOptions, EmulatorUser, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import type { OneLoginClientOptions } from '../../lambda/onelogin/client-types.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import { OneLoginError } from '../../lambda/onelogin/onelogin-errors.ts';
import { makeUser } from '../emulator/emulator-test-client.ts';
import { createVirtualClock } from './virtual-clock.ts';

const credentials = { clientId: 'rec-client-id', clientSecret: 'rec-client-secret-1f2e3d' };
const ROLES = [
  { id: 301, name: 'Finance' },
  { id: 302, name: 'Sales' },
];
const ADA: EmulatorUser = {
  ...makeUser(11, 'ada', 'ada@example.com', 'Ada', 'Lovelace'),
  department: 'Finance',
  custom_attributes: { employee_id: 'E1' },
  role_ids: [301],
};
const BOB = makeUser(12, 'bob', 'bob@example.com', 'Bob', 'Builder');

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function start(
  options: Partial<EmulatorOptions> = {},
  clientOptions: Partial<OneLoginClientOptions> = {},
): Promise<{ emulator: OneLoginEmulator; client: OneLoginClient }> {
  const emulator = await createOneLoginEmulator({ ...credentials, users: [ADA, BOB], roles: ROLES, ...options });
  opened.push(emulator);
  const client = new OneLoginClient({
    apiUrl: emulator.url,
    credentials,
    retryBaseMs: 1,
    retryCapMs: 5,
    ...clientOptions,
  });
  opened.push(client);
  return { emulator, client };
}

async function failure(promise: Promise<unknown>): Promise<OneLoginError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OneLoginError);
  return error as OneLoginError;
}

describe('full user records', () => {
  test('a user_ids listing returns the records as sent, every asked field kept; custom_attributes and role_ids when the listing carries them', async () => {
    const { client } = await start({ listIncludesCustomAttributes: true });
    const records = await client.getUserRecords([12, 11, 999]);
    expect(records.map((record) => record.id)).toEqual([11, 12]);
    expect(records[0]).toMatchObject({
      id: 11,
      department: 'Finance',
      title: null,
      custom_attributes: { employee_id: 'E1' },
      role_ids: [301],
      created_at: ADA.created_at,
    });
    expect(client.callCounts()).toMatchObject({ list: 1, get: 0 });
  });

  test('a listing that leaves custom_attributes and role_ids out gives records without them (never invented)', async () => {
    const { client } = await start();
    const [record] = await client.getUserRecords([11]);
    expect(record).toMatchObject({ id: 11, department: 'Finance' });
    expect(record).not.toHaveProperty('custom_attributes');
    expect(record).not.toHaveProperty('role_ids');
  });

  test('more ids than one page holds are asked for a hundred at a time', async () => {
    const users = Array.from({ length: 150 }, (_, index) => makeUser(1000 + index, `u${index}`, `u${index}@x.test`));
    const { client } = await start({ users });
    const records = await client.getUserRecords(users.map((user) => user.id));
    expect(records).toHaveLength(150);
    expect(client.callCounts().list).toBe(2);
  });

  test('GET /api/2/users/:id gives the full record, and null once the user is gone', async () => {
    const { emulator, client } = await start();
    expect(await client.getUserRecord(11)).toMatchObject({
      id: 11,
      custom_attributes: { employee_id: 'E1' },
      role_ids: [301],
      company: null,
    });
    emulator.removeUser(11);
    expect(await client.getUserRecord(11)).toBeNull();
    expect(client.callCounts().get).toBe(2);
  });

  test("a user's role ids through GET /api/1/users/:id/roles (a roles call); null for a user that is gone", async () => {
    const { client } = await start();
    expect(await client.getUserRoleIds(11)).toEqual([301]);
    expect(await client.getUserRoleIds(12)).toEqual([]);
    expect(await client.getUserRoleIds(77)).toBeNull();
    expect(client.callCounts()).toMatchObject({ roles: 3, get: 0 });
  });
});

describe('status and logout', () => {
  test('PUT status suspends the user and moves updated_at; an unknown user is absent', async () => {
    const { emulator, client } = await start();
    expect(await client.setUserStatus(12, 2)).toBe('updated');
    const bob = emulator.users().find((user) => user.id === 12);
    expect(bob?.status).toBe(2);
    expect(bob?.updated_at).not.toBe(BOB.updated_at);
    expect(await client.setUserStatus(77, 2)).toBe('absent');
    expect(client.callCounts()).toMatchObject({ update: 2 });
  });

  test('PUT logout ends the sessions of an existing user; an unknown user is absent', async () => {
    const { emulator, client } = await start();
    expect(await client.logOutUser(11)).toBe('done');
    expect(await client.logOutUser(77)).toBe('absent');
    expect(emulator.stats().logouts.map((logout) => logout.id)).toEqual([11]);
    expect(client.callCounts()).toMatchObject({ update: 2 });
  });

  test('a refused status is an error, never "updated"', async () => {
    const { client } = await start();
    const error = await failure(client.setUserStatus(12, 6));
    expect(error.reason).toBe('http-400');
  });
});

describe('create', () => {
  test('POST /api/2/users creates the user with the given fields, custom attributes and status included', async () => {
    const { emulator, client } = await start();
    const answer = await client.createUser({
      username: 'cleo',
      email: 'cleo@example.com',
      firstname: 'Cleo',
      status: 2,
      custom_attributes: { employee_id: 'E9' },
    });
    expect('created' in answer).toBe(true);
    const created = 'created' in answer ? answer.created : undefined;
    expect(created).toMatchObject({ username: 'cleo', status: 2, custom_attributes: { employee_id: 'E9' } });
    expect(created?.id).toBeGreaterThan(12);
    expect(emulator.users().find((user) => user.id === created?.id)?.email).toBe('cleo@example.com');
    expect(client.callCounts().create).toBe(1);
  });

  test('a taken username or email is a conflict with OneLogin’s message, and nothing is created', async () => {
    const { emulator, client } = await start();
    expect(await client.createUser({ username: 'other', email: 'ADA@example.com' })).toEqual({
      conflict: expect.stringMatching(/Email has already been taken/),
    });
    expect(await client.createUser({ username: 'bob', email: 'new@example.com' })).toEqual({
      conflict: expect.stringMatching(/Username has already been taken/),
    });
    expect(emulator.users()).toHaveLength(2);
  });

  test('a 422 for another reason is an error, not a conflict', async () => {
    const { client } = await start();
    const error = await failure(client.createUser({ firstname: 'Nobody' }));
    expect(error.reason).toBe('http-422');
    expect(error.message).toMatch(/Email or username is required/);
  });

  test('a create whose answer is lost (5xx) is not sent again: answer-lost', async () => {
    const { emulator, client } = await start({ faults: { seed: 1, error5xxRate: 1 } });
    const error = await failure(client.createUser({ username: 'dee', email: 'dee@example.com' }));
    expect(error.reason).toBe('answer-lost');
    expect(error.message).toMatch(/not sent again/);
    expect(client.callCounts().create).toBe(1);
    expect(emulator.stats().faultsInjected.error5xx).toBe(1);
  });

  test('a status change whose answer is lost is sent again (PUT is idempotent)', async () => {
    const { emulator, client } = await start({ faults: { seed: 8, resetRate: 0.5 } }, { maxAttempts: 12 });
    expect(await client.setUserStatus(12, 2)).toBe('updated');
    expect(emulator.users().find((user) => user.id === 12)?.status).toBe(2);
    expect(emulator.stats().faultsInjected.reset).toBeGreaterThan(0);
    expect(client.callCounts().update).toBeGreaterThan(1);
  });
});

describe('role users', () => {
  test('POST /api/2/roles/:id/users gives the role to the users, a hundred ids per call', async () => {
    const users = Array.from({ length: 250 }, (_, index) => makeUser(1000 + index, `u${index}`, `u${index}@x.test`));
    const { emulator, client } = await start({ users });
    await client.addRoleUsers(
      302,
      users.map((user) => user.id),
    );
    expect(emulator.users().every((user) => user.role_ids?.includes(302))).toBe(true);
    expect(client.callCounts().roles).toBe(3);
  });

  test('an unknown role is an error (the document’s 404), and an unknown user id the 422', async () => {
    const { client } = await start();
    expect((await failure(client.addRoleUsers(999, [11]))).reason).toBe('http-404');
    expect((await failure(client.addRoleUsers(301, [11, 77]))).reason).toBe('http-422');
  });

  test('a role assignment whose answer is lost is sent again (it is idempotent)', async () => {
    const { emulator, client } = await start({ faults: { seed: 8, error5xxRate: 0.5 } }, { maxAttempts: 12 });
    await client.addRoleUsers(302, [11, 12]);
    expect(emulator.users().map((user) => user.role_ids)).toEqual([[301, 302], [302]]);
    expect(emulator.stats().faultsInjected.error5xx).toBeGreaterThan(0);
    expect(client.callCounts().roles).toBeGreaterThan(1);
  });
});

describe('pacing', () => {
  test('the new calls are paced by the same rate limit: a 429 is waited out, then the call succeeds', async () => {
    const clock = createVirtualClock();
    const { emulator, client } = await start(
      { now: clock.now, rateLimit: { limit: 4, windowSeconds: 60 } },
      { now: clock.now, sleep: clock.sleep, rateShare: 1 },
    );
    const started = clock.now();
    await client.getUserRecord(11); // learns the window
    for (let i = 0; i < 3; i += 1) await fetch(`${emulator.url}/api/2/users`);
    expect(await client.setUserStatus(12, 2)).toBe('updated');
    expect(await client.createUser({ username: 'eve', email: 'eve@example.com' })).toHaveProperty('created');
    // The window was used up by someone else: the calls went out only in the next window, after waiting, not refused.
    expect(clock.now() - started).toBeGreaterThanOrEqual(60_000 - 7_000);
    expect(client.stats().rateLimited).toBe(emulator.stats().rateLimited);
    expect(emulator.users().find((user) => user.id === 12)?.status).toBe(2);
  });
});
