// The emulator's switches for what OneLogin's OpenAPI document allows: a refused `limit`, a wrong base path that
// answers 404 "No Route Exists" everywhere, and a 429 burst while the rate headers still show quota.
import { afterEach, describe, expect, test } from 'vitest';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { bearer, call, credentialHeader, fetchToken, header, JSON_GRANT } from './emulator-test-client.ts';

const clientId = 'switch-client';
const clientSecret = 'switch-secret-4r3e2w';
const DOCUMENTED_NO_ROUTE = { error: true, code: 404, type: 'Not Found', message: 'No Route Exists' };
const opened: OneLoginEmulator[] = [];
afterEach(async () => {
  for (const emulator of opened.splice(0)) await emulator.close();
});

async function start(
  options: Partial<EmulatorOptions>,
): Promise<{ emulator: OneLoginEmulator; auth: Record<string, string> }> {
  const emulator = await createOneLoginEmulator({
    clientId,
    clientSecret,
    tenant: { seed: 3, count: 150 },
    ...options,
  });
  opened.push(emulator);
  const auth = options.noRoute === 'everything' ? {} : bearer(await fetchToken(emulator.url, clientId, clientSecret));
  return { emulator, auth };
}

describe('limitRefusal', () => {
  test('400 {status,error,description} above the maximum; the maximum itself is served', async () => {
    const { emulator, auth } = await start({ limitRefusal: { above: 100, status: 400 } });
    const refused = await call(`${emulator.url}/api/2/users?limit=101`, { headers: auth });
    expect(refused.status).toBe(400);
    expect(refused.json()).toEqual({
      status: 400,
      error: 'BadRequestError',
      description: 'limit must be less than or equal to 100',
    });
    const served = await call(`${emulator.url}/api/2/users?limit=100`, { headers: auth });
    expect(served.status).toBe(200);
    expect(served.json()).toHaveLength(100);
  });

  test('422 UnprocessableEntityError when asked to', async () => {
    const { emulator, auth } = await start({ limitRefusal: { above: 100, status: 422 } });
    const refused = await call(`${emulator.url}/api/2/users?limit=1000`, { headers: auth });
    expect(refused.status).toBe(422);
    expect((refused.json() as { name: string }).name).toBe('UnprocessableEntityError');
  });
});

describe('noRoute', () => {
  test("'resources': tokens work, every resource call answers the document's 404 and changes nothing", async () => {
    const { emulator, auth } = await start({ noRoute: 'resources' });
    const id = emulator.users()[0]!.id;
    for (const [method, path] of [
      ['GET', '/api/2/users'],
      ['DELETE', `/api/2/users/${id}`],
      ['GET', '/auth/rate_limit'],
    ] as const) {
      const answer = await call(`${emulator.url}${path}`, { method, headers: auth });
      expect(answer.status).toBe(404);
      expect(answer.json()).toEqual(DOCUMENTED_NO_ROUTE);
    }
    expect(emulator.users()).toHaveLength(150);
  });

  test("'everything': the token endpoint answers 404 too", async () => {
    const { emulator } = await start({ noRoute: 'everything' });
    const answer = await call(`${emulator.url}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: credentialHeader(clientId, clientSecret),
      body: JSON_GRANT,
    });
    expect(answer.status).toBe(404);
    expect(answer.json()).toEqual(DOCUMENTED_NO_ROUTE);
  });
});

describe('429 bursts', () => {
  test('for the given seconds every call is 429 with headers that show the quota, which the burst does not use', async () => {
    let now = 1_800_000_000_000;
    const { emulator, auth } = await start({ now: () => now, rateLimit: { limit: 50, windowSeconds: 600 } });
    expect((await call(`${emulator.url}/api/2/users?limit=1`, { headers: auth })).status).toBe(200);
    emulator.startRateLimitBurst(3);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const answer = await call(`${emulator.url}/api/2/users?limit=1`, { headers: auth });
      expect(answer.status).toBe(429);
      expect(header(answer, 'x-ratelimit-remaining')).toBe('49');
      expect(header(answer, 'x-ratelimit-limit')).toBe('50');
    }
    now += 3000;
    const after = await call(`${emulator.url}/api/2/users?limit=1`, { headers: auth });
    expect(after.status).toBe(200);
    expect(header(after, 'x-ratelimit-remaining')).toBe('48');
    expect(emulator.stats().rateLimited).toBe(3);
  });

  test('rateLimitBurst starts after the given number of resource calls', async () => {
    const { emulator, auth } = await start({ rateLimitBurst: { afterCalls: 2, seconds: 60 } });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1)
      statuses.push((await call(`${emulator.url}/api/2/users?limit=1`, { headers: auth })).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });

  test('a used-up window answers 429 with Remaining 0 when the rate headers are on', async () => {
    const { emulator, auth } = await start({ rateLimit: { limit: 1, windowSeconds: 600 } });
    await call(`${emulator.url}/api/2/users?limit=1`, { headers: auth });
    const refused = await call(`${emulator.url}/api/2/users?limit=1`, { headers: auth });
    expect(refused.status).toBe(429);
    expect(header(refused, 'x-ratelimit-remaining')).toBe('0');
  });
});
