import { describe, expect, it } from 'vitest';
import { UserIndex } from '../../lambda/engine/user-index.ts';
import { userDetails } from '../../lambda/onelogin/user-details.ts';

describe("a user's details for the report", () => {
  it('are read from the API fields firstname, lastname, status and last_login', () => {
    expect(
      userDetails({ firstname: ' Jürgen ', lastname: 'Müller', status: 2, last_login: '2026-10-01T10:00:00.000Z' }),
    ).toEqual({
      name: 'Jürgen Müller',
      firstname: ' Jürgen ',
      lastname: 'Müller',
      status: 2,
      lastLogin: '2026-10-01T10:00:00.000Z',
    });
    expect(userDetails({ firstname: null, lastname: 'Solo', status: 0, last_login: null })).toEqual({
      name: 'Solo',
      firstname: null,
      lastname: 'Solo',
      status: 0,
      lastLogin: null,
    });
    expect(userDetails({ firstname: '', lastname: null, status: 'x' })).toEqual({
      name: null,
      firstname: '',
      lastname: null,
      status: null,
    });
    expect(userDetails({ state: 1, directory_id: 42, updated_at: '2026-01-02T03:04:05Z' })).toEqual({
      state: 1,
      directory_id: 42,
      updatedAt: '2026-01-02T03:04:05Z',
    });
    expect(userDetails({ state: null, directory_id: null, updated_at: null })).toEqual({
      state: null,
      directory_id: null,
      updatedAt: null,
    });
  });

  it('stay unknown when the answer does not carry the fields', () => {
    expect(userDetails({ id: 1, username: 'a' })).toEqual({});
  });

  it('survive the user index of a full listing', () => {
    const index = new UserIndex();
    index.add({
      id: 1,
      username: 'ann',
      email: 'ann@x.test',
      name: 'Ann Lee',
      status: 3,
      lastLogin: '2026-01-01T00:00:00Z',
    });
    index.add({ id: 2, username: 'bob', email: null, name: null, status: null });
    index.add({ id: 3, username: 'cy', email: null });
    index.seal();
    expect(index.candidates({ id: 1 })).toEqual([
      { id: 1, username: 'ann', email: 'ann@x.test', name: 'Ann Lee', status: 3, lastLogin: '2026-01-01T00:00:00Z' },
    ]);
    expect(index.candidates({ username: 'bob' })).toEqual([{ id: 2, username: 'bob', email: null, status: null }]);
    expect(index.candidates({ id: 3 })).toEqual([{ id: 3, username: 'cy', email: null }]);
  });
});
