import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { CLIENT_ID, CLIENT_SECRET, call, fetchToken, makeUser } from './emulator-test-client.ts';

interface V1List {
  status: unknown;
  pagination: {
    before_cursor: string | null;
    after_cursor: string | null;
    previous_link: string | null;
    next_link: string | null;
  };
  data: Array<{ id: number; role_id: unknown }>;
}

describe('Users API v1', () => {
  let emulator: OneLoginEmulator;
  let auth: Record<string, string>;
  beforeAll(async () => {
    const users = [1, 2, 3, 4, 5].map((id) => makeUser(id * 11, `user${id}`, `user${id}@example.com`));
    emulator = await createOneLoginEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      users,
      defaultPageSize: 2,
    });
    auth = { authorization: `bearer:${await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET)}` };
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('lists in the {status, pagination, data} envelope and pages with after_cursor', async () => {
    const seen: number[] = [];
    let url = `${emulator.url}/api/1/users`;
    let last: V1List | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const answer = await call(url, { headers: auth });
      expect(answer.status).toBe(200);
      last = answer.json() as V1List;
      expect(last.status).toEqual({ error: false, code: 200, type: 'success', message: 'Success' });
      seen.push(...last.data.map((user) => user.id));
      if (last.pagination.after_cursor === null) break;
      url = `${emulator.url}/api/1/users?after_cursor=${encodeURIComponent(last.pagination.after_cursor)}`;
    }
    expect(seen).toEqual([11, 22, 33, 44, 55]);
    expect(last?.pagination.next_link).toBeNull();
    expect(last?.pagination.before_cursor).not.toBeNull();
    expect(last?.data[0]?.role_id).toEqual([]);
  });

  it('gives next_link as a usable URL', async () => {
    const first = (await call(`${emulator.url}/api/1/users`, { headers: auth })).json() as V1List;
    const next = (await call(first.pagination.next_link ?? '', { headers: auth })).json() as V1List;
    expect(next.data.map((user) => user.id)).toEqual([33, 44]);
  });

  it('filters by email', async () => {
    const answer = (
      await call(`${emulator.url}/api/1/users?email=USER3@example.com`, { headers: auth })
    ).json() as V1List;
    expect(answer.data.map((user) => user.id)).toEqual([33]);
  });

  it('answers 400 "Authorization Information is incorrect" without a header, 401 for a bad token', async () => {
    const missing = await call(`${emulator.url}/api/1/users`);
    expect(missing.status).toBe(400);
    expect(missing.json()).toEqual({
      status: { error: true, code: 400, type: 'bad request', message: 'Authorization Information is incorrect' },
    });
    const bad = await call(`${emulator.url}/api/1/users`, { headers: { authorization: 'bearer:nope' } });
    expect(bad.status).toBe(401);
    expect(bad.json()).toEqual({
      status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' },
    });
  });

  it('gets one user in data[0] and deletes with 200 and the success envelope', async () => {
    const got = (await call(`${emulator.url}/api/1/users/22`, { headers: auth })).json() as V1List;
    expect(got.data[0]?.id).toBe(22);
    const deleted = await call(`${emulator.url}/api/1/users/22`, { method: 'DELETE', headers: auth });
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toEqual({ status: { error: false, code: 200, type: 'success', message: 'Success' } });
    expect((await call(`${emulator.url}/api/1/users/22`, { method: 'DELETE', headers: auth })).status).toBe(404);
    const bad = await call(`${emulator.url}/api/1/users/x1`, { method: 'DELETE', headers: auth });
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({
      status: {
        error: true,
        code: 400,
        type: 'bad request',
        message: { attribute: 'id', description: 'ID is incorrect' },
      },
    });
  });
});
