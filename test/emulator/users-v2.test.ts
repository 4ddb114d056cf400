import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { bearer, CLIENT_ID, CLIENT_SECRET, call, fetchToken, header, makeUser } from './emulator-test-client.ts';

const USERS = [
  makeUser(30, 'sean.obrien', "Sean.O'Brien@Example.com", 'Sean', "O'Brien"),
  makeUser(10, 'katinka.smith', 'katinka.smith@example.com', 'Katinka', 'Smith'),
  makeUser(20, 'Katinka.Jones', 'katinka+it@corp.example.net', 'Katinka', 'Jones'),
  makeUser(40, 'jose.garcia', 'jose.garcia@example.org', 'José', 'García-Márquez'),
  makeUser(50, 'shared.one', 'shared@example.com', 'Ann', 'Shared'),
  makeUser(60, 'shared.two', 'shared@example.com', 'Bob', 'Shared'),
  makeUser(70, null, 'nousername@example.com', null, null),
];

describe('Users API v2', () => {
  let emulator: OneLoginEmulator;
  let auth: Record<string, string>;
  beforeAll(async () => {
    emulator = await createOneLoginEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      users: USERS,
      defaultPageSize: 3,
      maxPageSize: 6,
    });
    auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
  });
  afterAll(async () => {
    await emulator.close();
  });

  const list = async (query: string) => {
    const answer = await call(`${emulator.url}/api/2/users?${query}`, { headers: auth });
    return { answer, ids: (answer.json() as Array<{ id: number }>).map((user) => user.id) };
  };

  it('accepts bearer:, bearer and Bearer authorization', async () => {
    const token = auth.authorization?.replace('bearer ', '') ?? '';
    for (const authorization of [`bearer:${token}`, `bearer ${token}`, `Bearer ${token}`]) {
      const answer = await call(`${emulator.url}/api/2/users/10`, { headers: { authorization } });
      expect(answer.status).toBe(200);
    }
  });

  it('answers 401 UnauthorizedError for a missing or unknown token', async () => {
    for (const headers of [{}, { authorization: 'bearer not-a-token' }] as Array<Record<string, string>>) {
      const answer = await call(`${emulator.url}/api/2/users`, { headers });
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({ message: 'Unauthorized', name: 'UnauthorizedError', statusCode: 401 });
    }
  });

  it('lists a bare array sorted by id with the default page size and paging headers', async () => {
    const { answer, ids } = await list('');
    expect(ids).toEqual([10, 20, 30]);
    expect(header(answer, 'total-count')).toBe('7');
    expect(header(answer, 'total-pages')).toBe('3');
    expect(header(answer, 'current-page')).toBe('1');
    expect(header(answer, 'page-items')).toBe('3');
    expect(header(answer, 'before-cursor')).toBeUndefined();
    expect(Buffer.from(header(answer, 'after-cursor') ?? '', 'base64').toString()).toBe('limit=3&page=2');
    expect(header(answer, 'link')).toContain('rel="next"');
  });

  it('follows After-Cursor to the last page, where it is absent', async () => {
    const seen: number[] = [];
    let query = 'limit=2';
    for (let pages = 0; pages < 10; pages += 1) {
      const { answer, ids } = await list(query);
      seen.push(...ids);
      const after = header(answer, 'after-cursor');
      if (!after) break;
      query = `cursor=${encodeURIComponent(after)}`;
    }
    expect(seen).toEqual([10, 20, 30, 40, 50, 60, 70]);
    const last = await list(`cursor=${encodeURIComponent(Buffer.from('limit=2&page=4').toString('base64'))}`);
    expect(header(last.answer, 'current-page')).toBe('4');
    expect(header(last.answer, 'before-cursor')).toBeDefined();
    expect(header(last.answer, 'after-cursor')).toBeUndefined();
  });

  it('clamps limit to maxPageSize', async () => {
    const { answer, ids } = await list('limit=100');
    expect(ids).toEqual([10, 20, 30, 40, 50, 60]);
    expect(header(answer, 'total-pages')).toBe('2');
  });

  it('answers 400 when a cursor comes with limit or page', async () => {
    const cursor = encodeURIComponent(Buffer.from('limit=2&page=2').toString('base64'));
    for (const query of [`cursor=${cursor}&limit=2`, `cursor=${cursor}&page=2`]) {
      const raw = await call(`${emulator.url}/api/2/users?${query}`, { headers: auth });
      expect(raw.status).toBe(400);
      expect(raw.json()).toEqual({
        status: 400,
        error: 'BadRequestError',
        description: 'Requests can only have cursor xor pagination arguments',
      });
    }
  });

  it('answers an empty page past the end and 400 for a non-positive limit', async () => {
    const past = await list('limit=3&page=9');
    expect(past.ids).toEqual([]);
    expect(header(past.answer, 'after-cursor')).toBeUndefined();
    expect(header(past.answer, 'total-count')).toBe('7');
    const bad = await call(`${emulator.url}/api/2/users?limit=0`, { headers: auth });
    expect(bad.status).toBe(400);
    expect((bad.json() as { error: string }).error).toBe('BadRequestError');
  });

  it('answers 400 Invalid pagination cursor for a garbage cursor', async () => {
    for (const cursor of [
      'garbage!!',
      Buffer.from('hello').toString('base64'),
      Buffer.from('limit=x&page=1').toString('base64'),
    ]) {
      const answer = await call(`${emulator.url}/api/2/users?cursor=${encodeURIComponent(cursor)}`, { headers: auth });
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({
        status: 400,
        error: 'BadRequestError',
        description: 'Invalid pagination cursor',
      });
    }
  });

  it('matches a plain value exactly and case-insensitively', async () => {
    expect((await list('email=KATINKA.SMITH@example.COM')).ids).toEqual([10]);
    expect((await list(`email=${encodeURIComponent("sean.o'brien@example.com")}`)).ids).toEqual([30]);
    expect((await list('username=katinka.jones')).ids).toEqual([20]);
    expect((await list('email=katinka')).ids).toEqual([]);
    expect((await list('email=shared@example.com')).ids).toEqual([50, 60]);
  });

  it('treats * as a wildcard at the start, the end or in the middle', async () => {
    expect((await list('email=katinka*')).ids).toEqual([10, 20]);
    expect((await list(`limit=6&email=${encodeURIComponent('*@EXAMPLE.com')}`)).ids).toEqual([10, 30, 50, 60, 70]);
    expect((await list('username=k*s*')).ids).toEqual([10, 20]);
    expect((await list(`email=${encodeURIComponent('katinka+*')}`)).ids).toEqual([20]);
  });

  it('filters on firstname, lastname and user_ids, combined with AND', async () => {
    expect((await list(`firstname=${encodeURIComponent('josé')}`)).ids).toEqual([40]);
    expect((await list('lastname=shared&firstname=bob')).ids).toEqual([60]);
    expect((await list('user_ids=60,10,999')).ids).toEqual([10, 60]);
    expect((await list('user_ids=10,20&email=katinka*')).ids).toEqual([10, 20]);
    expect((await list('user_ids=10,20&username=katinka.smith')).ids).toEqual([10]);
  });

  it('never matches a null field', async () => {
    expect((await list('limit=6&username=*')).ids).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('restricts attributes with fields', async () => {
    const answer = await call(`${emulator.url}/api/2/users?fields=id,email,status&user_ids=10`, { headers: auth });
    expect(answer.json()).toEqual([{ id: 10, email: 'katinka.smith@example.com', status: 1 }]);
  });

  it('gets one user with every field, nulls for empty ones', async () => {
    const answer = await call(`${emulator.url}/api/2/users/70`, { headers: auth });
    expect(answer.status).toBe(200);
    const user = answer.json() as Record<string, unknown>;
    expect(user.id).toBe(70);
    expect(user.username).toBeNull();
    expect(user.firstname).toBeNull();
    expect(user.title).toBeNull();
    expect(user.role_ids).toEqual([]);
    expect(user.custom_attributes).toEqual({});
  });

  it('answers 404 NotFoundError for an unknown id and 400 for a non-integer id', async () => {
    const missing = await call(`${emulator.url}/api/2/users/999`, { headers: auth });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({
      message: 'The resource with the given id could not be found',
      name: 'NotFoundError',
      statusCode: 404,
    });
    for (const id of ['abc', '1.5', '-3']) {
      const bad = await call(`${emulator.url}/api/2/users/${id}`, { headers: auth });
      expect(bad.status).toBe(400);
    }
  });

  it('deletes with 204 and an empty body; a second delete answers 404', async () => {
    const deleted = await call(`${emulator.url}/api/2/users/40`, { method: 'DELETE', headers: auth });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(emulator.users().map((user) => user.id)).not.toContain(40);
    expect((await call(`${emulator.url}/api/2/users/40`, { headers: auth })).status).toBe(404);
    const again = await call(`${emulator.url}/api/2/users/40`, { method: 'DELETE', headers: auth });
    expect(again.status).toBe(404);
    expect((again.json() as { name: string }).name).toBe('NotFoundError');
    expect(emulator.stats().deletions.map((entry) => entry.id)).toEqual([40]);
    expect((await list(`firstname=${encodeURIComponent('josé')}`)).ids).toEqual([]);
  });
});
