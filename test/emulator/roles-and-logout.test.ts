import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorUser, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { bearer, CLIENT_ID, CLIENT_SECRET, call, fetchToken, header, makeUser } from './emulator-test-client.ts';

const ROLES = [
  { id: 7, name: 'Default' },
  { id: 8, name: 'Engineering' },
  { id: 9, name: 'Sales Engineering' },
];
const USERS: EmulatorUser[] = [
  { ...makeUser(1, 'ann', 'ann@example.com'), role_ids: [7] },
  makeUser(2, 'bob', 'bob@example.com'),
];

let emulator: OneLoginEmulator;
let auth: Record<string, string>;

beforeEach(async () => {
  emulator = await createOneLoginEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    users: USERS,
    roles: ROLES,
    defaultPageSize: 2,
  });
  auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
});
afterEach(async () => {
  await emulator.close();
});

function send(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) {
  return call(`${emulator.url}${path}`, {
    method,
    headers: { ...auth, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function roleIdsOf(id: number): Promise<unknown> {
  return ((await send('GET', `/api/2/users/${id}`)).json() as { role_ids: number[] }).role_ids;
}

describe('GET /api/2/roles', () => {
  it('lists roles as a paged array with v2 paging headers', async () => {
    const first = await send('GET', '/api/2/roles');
    expect(first.json()).toEqual([ROLES[0], ROLES[1]]);
    expect(header(first, 'total-count')).toBe('3');
    const after = header(first, 'after-cursor') ?? '';
    const second = await send('GET', `/api/2/roles?cursor=${encodeURIComponent(after)}`);
    expect(second.json()).toEqual([ROLES[2]]);
  });

  it('filters by role_name and lists holders with fields=users', async () => {
    expect((await send('GET', '/api/2/roles?role_name=engineering&limit=10')).json()).toEqual([ROLES[1]]);
    expect((await send('GET', '/api/2/roles?role_name=*engineering&limit=10')).json()).toEqual([ROLES[1], ROLES[2]]);
    expect((await send('GET', '/api/2/roles?fields=users&limit=1')).json()).toEqual([{ ...ROLES[0], users: [1] }]);
  });

  it('counts as a roles call and needs a token', async () => {
    expect((await call(`${emulator.url}/api/2/roles`)).status).toBe(401);
    await send('GET', '/api/2/roles');
    expect(emulator.stats().calls.roles).toBe(2);
  });
});

describe('a user’s roles through Users v1', () => {
  it('GET /api/1/users/:id/roles answers the role ids in the v1 envelope', async () => {
    const answer = await send('GET', '/api/1/users/1/roles');
    expect(answer.json()).toEqual({
      status: { error: false, code: 200, type: 'success', message: 'Success' },
      data: [7],
    });
    expect((await send('GET', '/api/1/users/99/roles')).status).toBe(404);
  });

  it('PUT add_roles assigns roles, PUT remove_roles takes them away', async () => {
    const added = await send('PUT', '/api/1/users/2/add_roles', { role_id_array: [9, 8] });
    expect(added.status).toBe(200);
    expect(await roleIdsOf(2)).toEqual([8, 9]);
    expect((await send('PUT', '/api/1/users/2/remove_roles', { role_id_array: [8] })).status).toBe(200);
    expect(await roleIdsOf(2)).toEqual([9]);
    expect(emulator.stats().calls.assignRoles).toBe(2);
  });

  it('refuses an empty, already-held or unknown role_id_array with 400 and changes nothing', async () => {
    const cases: Array<[unknown, string]> = [
      [{ role_id_array: [] }, 'role_id_array is empty'],
      [{}, 'role_id_array is empty'],
      [{ role_id_array: [7] }, 'input role_id_array is already included as user roles'],
      [{ role_id_array: [404] }, 'role_id_array contains an unknown role'],
    ];
    for (const [body, message] of cases) {
      const answer = await send('PUT', '/api/1/users/1/add_roles', body);
      expect(answer.status).toBe(400);
      expect((answer.json() as { status: { message: string } }).status.message).toBe(message);
    }
    expect(await roleIdsOf(1)).toEqual([7]);
  });
});

describe('role users through Roles v2', () => {
  it('POST /api/2/roles/:role_id/users adds users and answers their ids; DELETE removes them with 204', async () => {
    const added = await send('POST', '/api/2/roles/8/users', [1, 2]);
    expect(added.status).toBe(200);
    expect(added.json()).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await roleIdsOf(1)).toEqual([7, 8]);
    expect(await roleIdsOf(2)).toEqual([8]);
    const removed = await send('DELETE', '/api/2/roles/8/users', [1]);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect(await roleIdsOf(1)).toEqual([7]);
  });

  it('answers 404 for an unknown role, 400 for a body that is not an array, 422 for unknown users', async () => {
    expect((await send('POST', '/api/2/roles/404/users', [1])).status).toBe(404);
    const notArray = await send('POST', '/api/2/roles/8/users', { user_ids: [1] });
    expect(notArray.status).toBe(400);
    expect(notArray.json()).toEqual({
      status: 400,
      error: 'BadRequestError',
      description: 'Expected array in request',
    });
    const unknown = await send('POST', '/api/2/roles/8/users', [1, 99]);
    expect(unknown.status).toBe(422);
    expect((unknown.json() as { name: string }).name).toBe('UnprocessableEntityError');
    expect(await roleIdsOf(1)).toEqual([7]);
  });
});

describe('log a user out', () => {
  it('PUT /api/1/users/:id/logout answers the v1 success envelope and is recorded', async () => {
    const answer = await send('PUT', '/api/1/users/2/logout', {});
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ status: { error: false, code: 200, type: 'success', message: 'Success' } });
    const stats = emulator.stats();
    expect(stats.calls.logout).toBe(1);
    expect(stats.logouts.map((entry) => entry.id)).toEqual([2]);
  });

  it('answers 404 for an unknown user, and 400 without a token (v1)', async () => {
    expect((await send('PUT', '/api/1/users/99/logout', {})).status).toBe(404);
    const anonymous = await call(`${emulator.url}/api/1/users/2/logout`, { method: 'PUT' });
    expect(anonymous.status).toBe(400);
    expect(emulator.stats().logouts).toEqual([]);
  });
});

describe('paths OneLogin’s OpenAPI document does not have', () => {
  it('answers 404 No Route Exists, so that a client relying on them fails here as it would there', async () => {
    for (const [method, path] of [
      ['GET', '/api/2/users/1/roles'],
      ['POST', '/api/2/users/1/roles'],
      ['POST', '/api/2/users/1/logout'],
      ['PUT', '/api/2/users/1/logout'],
    ] as const) {
      const answer = await send(method, path, method === 'GET' ? undefined : [8]);
      expect(answer.status).toBe(404);
      expect((answer.json() as { status: { message: string } }).status.message).toBe('No Route Exists');
    }
    expect(await roleIdsOf(1)).toEqual([7]);
  });
});
