import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorUser, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { generateTenant } from '../../lambda/emulator/tenant-generator.ts';
import { bearer, CLIENT_ID, CLIENT_SECRET, call, fetchToken, header } from './emulator-test-client.ts';

describe('a generated 100k-user tenant', () => {
  let emulator: OneLoginEmulator;
  let auth: Record<string, string>;
  let expected: EmulatorUser[];
  beforeAll(async () => {
    expected = generateTenant({ seed: 9, count: 100_000 });
    emulator = await createOneLoginEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      tenant: { seed: 9, count: 100_000 },
    });
    auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('seeds the tenant from options.tenant', () => {
    expect(emulator.users()).toEqual(expected);
  });

  it('serves a deep page with the right ids and counts', async () => {
    const answer = await call(`${emulator.url}/api/2/users?limit=1000&page=73&fields=id`, { headers: auth });
    expect(answer.json()).toEqual(expected.slice(72_000, 73_000).map((user) => ({ id: user.id })));
    expect(header(answer, 'total-count')).toBe('100000');
    expect(header(answer, 'total-pages')).toBe('100');
  });

  it('keeps paging right after deletions, and finds a user by email through the index', async () => {
    const victims = [expected[0], expected[500], expected[99_999]].map((user) => user?.id ?? 0);
    for (const id of victims)
      expect((await call(`${emulator.url}/api/2/users/${id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    const remaining = expected.filter((user) => !victims.includes(user.id));
    const page = await call(`${emulator.url}/api/2/users?limit=1000&page=1&fields=id`, { headers: auth });
    expect(page.json()).toEqual(remaining.slice(0, 1000).map((user) => ({ id: user.id })));
    expect(header(page, 'total-count')).toBe(String(remaining.length));
    const target = remaining[1234];
    const byEmail = await call(
      `${emulator.url}/api/2/users?fields=id&email=${encodeURIComponent(target?.email?.toUpperCase() ?? '')}`,
      { headers: auth },
    );
    const sameEmail = remaining
      .filter((user) => user.email?.toLowerCase() === target?.email?.toLowerCase())
      .map((user) => ({ id: user.id }));
    expect(byEmail.json()).toEqual(sameEmail);
  });
});
