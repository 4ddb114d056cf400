import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { bearer, CLIENT_ID, CLIENT_SECRET, call, fetchToken, makeUser } from './emulator-test-client.ts';

const USERS = [
  makeUser(100, 'ann.taken', 'Ann.Taken@Example.com', 'Ann', 'Taken'),
  makeUser(200, 'bea.other', 'bea@example.com', 'Bea', 'Other'),
];

let emulator: OneLoginEmulator;
let auth: Record<string, string>;

async function start(overrides: Partial<EmulatorOptions> = {}): Promise<void> {
  emulator = await createOneLoginEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    users: USERS,
    ...overrides,
  });
  auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
}

function send(method: 'POST' | 'PUT', path: string, body: unknown) {
  return call(`${emulator.url}${path}`, {
    method,
    headers: { ...auth, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

afterEach(async () => {
  await emulator.close();
});

describe('POST /api/2/users', () => {
  beforeEach(async () => {
    await start({ now: () => Date.UTC(2026, 5, 1, 12, 0, 0) });
  });

  it('creates a user under a new id and answers 201 with the full record', async () => {
    const answer = await send('POST', '/api/2/users', {
      username: 'cleo.new',
      email: 'cleo@example.com',
      firstname: 'Cleo',
      lastname: 'New',
      department: 'Sales',
      custom_attributes: { employee_id: 'E7654321' },
    });
    expect(answer.status).toBe(201);
    const user = answer.json() as Record<string, unknown>;
    expect(user).toMatchObject({
      id: 201,
      username: 'cleo.new',
      email: 'cleo@example.com',
      department: 'Sales',
      status: 7,
      state: 1,
      directory_id: null,
      last_login: null,
      custom_attributes: { employee_id: 'E7654321' },
      created_at: '2026-06-01T12:00:00.000Z',
      updated_at: '2026-06-01T12:00:00.000Z',
    });
    const fetched = await call(`${emulator.url}/api/2/users/201`, { headers: auth });
    expect(fetched.json()).toEqual(user);
    expect(emulator.stats().calls.create).toBe(1);
  });

  it('honours a status given on create (a restored suspended user), and no role_ids (roles are assigned apart)', async () => {
    const answer = await send('POST', '/api/2/users', { username: 'dora.back', status: 2, role_ids: [301] });
    expect(answer.status).toBe(201);
    expect(answer.json()).toMatchObject({ username: 'dora.back', status: 2, role_ids: [] });
  });

  it('gives status 1 with a password, and never stores or echoes the password', async () => {
    const answer = await send('POST', '/api/2/users', {
      username: 'dan.pw',
      email: 'dan@example.com',
      password: 'S3cret-pass!',
      password_confirmation: 'S3cret-pass!',
    });
    expect(answer.status).toBe(201);
    expect((answer.json() as { status: number }).status).toBe(1);
    expect(answer.text).not.toContain('S3cret-pass!');
    expect(JSON.stringify(emulator.users())).not.toContain('S3cret-pass!');
  });

  it('never reuses the id of a deleted user', async () => {
    expect((await call(`${emulator.url}/api/2/users/200`, { method: 'DELETE', headers: auth })).status).toBe(204);
    const answer = await send('POST', '/api/2/users', { username: 'eve.next', email: 'eve@example.com' });
    expect((answer.json() as { id: number }).id).toBe(201);
  });

  it('refuses a taken username or email (case-insensitively) with 422 UnprocessableEntityError', async () => {
    const email = await send('POST', '/api/2/users', { username: 'fresh', email: 'ann.taken@example.COM' });
    expect(email.status).toBe(422);
    expect(email.json()).toEqual({
      message: 'Validation failed: Email has already been taken',
      name: 'UnprocessableEntityError',
      statusCode: 422,
    });
    const both = await send('POST', '/api/2/users', { username: 'BEA.OTHER', email: 'ann.taken@example.com' });
    expect((both.json() as { message: string }).message).toBe(
      'Validation failed: Email has already been taken, Username has already been taken',
    );
    expect(emulator.users()).toHaveLength(2);
  });

  it('refuses a user with neither username nor email (422), and a bad body or field type (400)', async () => {
    expect((await send('POST', '/api/2/users', { firstname: 'Nobody' })).status).toBe(422);
    for (const body of ['not json', [1, 2], { username: 'x', status: 6 }, { username: 'x', directory_id: 'ad' }]) {
      const answer = await send('POST', '/api/2/users', body);
      expect(answer.status).toBe(400);
      expect((answer.json() as { error: string }).error).toBe('BadRequestError');
    }
    expect(emulator.users()).toHaveLength(2);
  });
});

describe('PUT /api/2/users/:id', () => {
  let clock = Date.UTC(2026, 5, 1);
  beforeEach(async () => {
    clock = Date.UTC(2026, 5, 1);
    await start({ now: () => clock });
  });

  it('updates the given fields (status included), answers 200 with the full record and moves updated_at', async () => {
    clock += 60_000;
    const answer = await send('PUT', '/api/2/users/100', { status: 2, title: 'Former' });
    expect(answer.status).toBe(200);
    const user = answer.json() as Record<string, unknown>;
    expect(user).toMatchObject({ id: 100, status: 2, title: 'Former', username: 'ann.taken' });
    expect(user.updated_at).toBe(new Date(clock).toISOString());
    expect(user.created_at).toBe(USERS[0]?.created_at);
    expect(emulator.stats().calls.update).toBe(1);
  });

  it('moves updated_at even when the clock has not', async () => {
    const first = (await send('PUT', '/api/2/users/200', { status: 2 })).json() as { updated_at: string };
    const second = (await send('PUT', '/api/2/users/200', { status: 1 })).json() as { updated_at: string };
    expect(second.updated_at > first.updated_at).toBe(true);
  });

  it('keeps activated_at when an active user is suspended', async () => {
    const answer = (await send('PUT', '/api/2/users/100', { status: 2 })).json() as { activated_at: string };
    expect(answer.activated_at).toBe(USERS[0]?.created_at);
  });

  it('lets a user keep their own email but not take another user’s', async () => {
    expect((await send('PUT', '/api/2/users/100', { email: 'ann.taken@example.com' })).status).toBe(200);
    const taken = await send('PUT', '/api/2/users/100', { email: 'BEA@example.com' });
    expect(taken.status).toBe(422);
    expect(emulator.users().find((user) => user.id === 100)?.email).toBe('ann.taken@example.com');
  });

  it('answers 404 NotFoundError for an unknown id and 400 for a non-integer id', async () => {
    const missing = await send('PUT', '/api/2/users/999', { status: 2 });
    expect(missing.status).toBe(404);
    expect((missing.json() as { name: string }).name).toBe('NotFoundError');
    expect((await send('PUT', '/api/2/users/abc', { status: 2 })).status).toBe(400);
  });

  it('is subject to the rate limit like every other call', async () => {
    emulator.setRateLimit({ limit: 1, windowSeconds: 3600 });
    expect((await send('PUT', '/api/2/users/100', { status: 2 })).status).toBe(200);
    const limited = await send('POST', '/api/2/users', { username: 'late', email: 'late@example.com' });
    expect(limited.status).toBe(429);
    expect(emulator.stats().rateLimited).toBe(1);
    expect(emulator.users()).toHaveLength(2);
  });
});
