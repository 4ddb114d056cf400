import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorUser, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { TENANT_ROLES } from '../../lambda/emulator/tenant-generator.ts';
import { bearer, CLIENT_ID, CLIENT_SECRET, call, fetchToken, makeUser } from './emulator-test-client.ts';

const SYNCED: EmulatorUser = {
  ...makeUser(11, 'ada.synced', 'ada@example.com', 'Ada', 'Synced'),
  status: 2,
  directory_id: 4201,
  last_login: '2024-05-06T07:08:09.123Z',
  custom_attributes: { employee_id: 'E1234567', cost_center: null },
  role_ids: [301, 303],
  department: 'Finance',
};
const PLAIN = makeUser(12, 'bob.plain', 'bob@example.com', 'Bob', 'Plain');

async function start(
  listIncludesCustomAttributes?: boolean,
): Promise<{ emulator: OneLoginEmulator; auth: Record<string, string> }> {
  const emulator = await createOneLoginEmulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    users: [SYNCED, PLAIN],
    ...(listIncludesCustomAttributes === undefined ? {} : { listIncludesCustomAttributes }),
  });
  return { emulator, auth: bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET)) };
}

describe('user record fields', () => {
  let emulator: OneLoginEmulator;
  let auth: Record<string, string>;
  beforeAll(async () => {
    ({ emulator, auth } = await start());
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('GET /api/2/users/:id returns the full record, custom attributes and role ids included', async () => {
    const user = (await call(`${emulator.url}/api/2/users/11`, { headers: auth })).json() as Record<string, unknown>;
    expect(user).toMatchObject({
      id: 11,
      status: 2,
      state: 1,
      firstname: 'Ada',
      lastname: 'Synced',
      directory_id: 4201,
      last_login: '2024-05-06T07:08:09.123Z',
      department: 'Finance',
      custom_attributes: { employee_id: 'E1234567', cost_center: null },
      role_ids: [301, 303],
      updated_at: SYNCED.updated_at,
    });
  });

  it('answers null for a user with no directory and no sign-in, and {} for no custom attributes', async () => {
    const user = (await call(`${emulator.url}/api/2/users/12`, { headers: auth })).json() as Record<string, unknown>;
    expect(user.directory_id).toBeNull();
    expect(user.last_login).toBeNull();
    expect(user.custom_attributes).toEqual({});
    expect(user.role_ids).toEqual([]);
  });

  it('omits custom_attributes and role_ids from list items by default, and carries the other fields', async () => {
    const items = (await call(`${emulator.url}/api/2/users`, { headers: auth })).json() as Array<
      Record<string, unknown>
    >;
    expect(items.map((item) => item.id)).toEqual([11, 12]);
    for (const item of items) {
      expect(item).not.toHaveProperty('custom_attributes');
      expect(item).not.toHaveProperty('role_ids');
    }
    expect(items[0]).toMatchObject({ directory_id: 4201, last_login: '2024-05-06T07:08:09.123Z', status: 2 });
  });

  it('projects list items with fields=', async () => {
    const answer = await call(`${emulator.url}/api/2/users?fields=id,directory_id,last_login,status`, {
      headers: auth,
    });
    expect(answer.json()).toEqual([
      { id: 11, directory_id: 4201, last_login: '2024-05-06T07:08:09.123Z', status: 2 },
      { id: 12, directory_id: null, last_login: null, status: 1 },
    ]);
  });

  it('lets fields= ask for any record field, but not for custom_attributes or role_ids (left out as OneLogin does)', async () => {
    const answer = await call(
      `${emulator.url}/api/2/users?user_ids=11&fields=id,department,title,company,custom_attributes,role_ids`,
      { headers: auth },
    );
    expect(answer.json()).toEqual([{ id: 11, department: 'Finance', title: null, company: null }]);
  });

  it('shows v1 role ids as role_id', async () => {
    const answer = await call(`${emulator.url}/api/1/users/11`, { headers: auth });
    const data = (answer.json() as { data: Array<Record<string, unknown>> }).data;
    expect(data[0]?.role_id).toEqual([301, 303]);
    expect(data[0]?.custom_attributes).toEqual({ employee_id: 'E1234567', cost_center: null });
  });
});

describe('listIncludesCustomAttributes', () => {
  it('puts role_ids into list items with custom_attributes', async () => {
    const { emulator, auth } = await start(true);
    try {
      const items = (await call(`${emulator.url}/api/2/users`, { headers: auth })).json() as Array<
        Record<string, unknown>
      >;
      expect(items.map((item) => item.role_ids)).toEqual([[301, 303], []]);
      const projected = await call(`${emulator.url}/api/2/users?fields=id,role_ids&user_ids=11`, { headers: auth });
      expect(projected.json()).toEqual([{ id: 11, role_ids: [301, 303] }]);
    } finally {
      await emulator.close();
    }
  });

  it('puts custom_attributes into list items, and fields= can select them', async () => {
    const { emulator, auth } = await start(true);
    try {
      const items = (await call(`${emulator.url}/api/2/users`, { headers: auth })).json() as Array<
        Record<string, unknown>
      >;
      expect(items.map((item) => item.custom_attributes)).toEqual([{ employee_id: 'E1234567', cost_center: null }, {}]);
      const projected = await call(`${emulator.url}/api/2/users?fields=id,custom_attributes&user_ids=11`, {
        headers: auth,
      });
      expect(projected.json()).toEqual([{ id: 11, custom_attributes: { employee_id: 'E1234567', cost_center: null } }]);
    } finally {
      await emulator.close();
    }
  });
});

describe('the token account id', () => {
  it('answers the configured accountId, and 189185 by default', async () => {
    const configured = await createOneLoginEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      accountId: 777,
    });
    const standard = await createOneLoginEmulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    try {
      for (const [emulator, expected] of [
        [configured, 777],
        [standard, 189_185],
      ] as const) {
        const answer = await call(`${emulator.url}/auth/oauth2/v2/token`, {
          method: 'POST',
          headers: {
            authorization: `client_id:${CLIENT_ID}, client_secret:${CLIENT_SECRET}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ grant_type: 'client_credentials' }),
        });
        expect((answer.json() as { account_id: number }).account_id).toBe(expected);
      }
    } finally {
      await Promise.all([configured.close(), standard.close()]);
    }
  });
});

describe('a generated tenant', () => {
  it('serves the generator’s roles, and no directory users with directoryShare 0', async () => {
    const tenant = { seed: 5, count: 400 };
    const standard = await createOneLoginEmulator({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tenant });
    const local = await createOneLoginEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      tenant: { ...tenant, directoryShare: 0 },
    });
    try {
      expect(standard.roles()).toEqual(TENANT_ROLES);
      expect(standard.users().some((user) => user.directory_id !== null)).toBe(true);
      expect(local.users().every((user) => user.directory_id === null)).toBe(true);
      expect(local.users().map((user) => user.email)).toEqual(standard.users().map((user) => user.email));
    } finally {
      await Promise.all([standard.close(), local.close()]);
    }
  });
});
