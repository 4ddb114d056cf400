import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { bearer, CLIENT_ID, CLIENT_SECRET, call, fetchToken, header, makeUser } from './emulator-test-client.ts';

describe('rate limit', () => {
  let emulator: OneLoginEmulator | undefined;
  let clock = 1_000_000;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  async function start(
    overrides: Partial<EmulatorOptions> = {},
  ): Promise<{ emulator: OneLoginEmulator; auth: Record<string, string> }> {
    clock = 1_000_000;
    const started = await createOneLoginEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      users: [makeUser(1, 'a', 'a@x.com')],
      rateLimit: { limit: 3, windowSeconds: 60 },
      now: () => clock,
      ...overrides,
    });
    emulator = started;
    return { emulator: started, auth: bearer(await fetchToken(started.url, CLIENT_ID, CLIENT_SECRET)) };
  }

  it('counts down X-RateLimit-Remaining and reports Reset in whole seconds remaining', async () => {
    const { emulator, auth } = await start();
    const first = await call(`${emulator.url}/api/2/users/1`, { headers: auth });
    expect(header(first, 'x-ratelimit-limit')).toBe('3');
    expect(header(first, 'x-ratelimit-remaining')).toBe('2');
    expect(header(first, 'x-ratelimit-reset')).toBe('60');
    clock += 59_500;
    const second = await call(`${emulator.url}/api/2/users/1`, { headers: auth });
    expect(header(second, 'x-ratelimit-remaining')).toBe('1');
    expect(header(second, 'x-ratelimit-reset')).toBe('1');
  });

  it('answers 429 text/html without Retry-After once the window is spent, then recovers in the next window', async () => {
    const { emulator, auth } = await start();
    for (let i = 0; i < 3; i += 1)
      expect((await call(`${emulator.url}/api/2/users/1`, { headers: auth })).status).toBe(200);
    const limited = await call(`${emulator.url}/api/2/users/1`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(header(limited, 'content-type')).toMatch(/^text\/html/);
    expect(limited.text).toContain('<html');
    expect(header(limited, 'retry-after')).toBeUndefined();
    expect((await call(`${emulator.url}/api/2/users`, { headers: auth })).status).toBe(429);
    clock += 60_000;
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: auth })).status).toBe(200);
    clock += 60_000;
    for (let i = 0; i < 3; i += 1) await call(`${emulator.url}/api/2/users/1`, { headers: auth });
    await call(`${emulator.url}/api/2/users/1`, { headers: auth });
    const stats = emulator.stats();
    expect(stats.rateLimited).toBe(3);
    expect(stats.rateLimitedByWindow).toEqual({ 0: 2, 2: 1 });
  });

  it('shares the window across tokens and counts failed calls, but not token calls', async () => {
    const { emulator } = await start();
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: { authorization: 'bearer nope' } })).status).toBe(
      401,
    );
    const token = await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    const answer = await call(`${emulator.url}/api/2/users/1`, { headers: bearer(token) });
    expect(header(answer, 'x-ratelimit-remaining')).toBe('1');
    expect(emulator.stats().calls.token).toBe(3);
  });

  it('reports the budget at /auth/rate_limit, which counts too', async () => {
    const { emulator, auth } = await start();
    await call(`${emulator.url}/api/2/users/1`, { headers: auth });
    clock += 10_000;
    const answer = await call(`${emulator.url}/auth/rate_limit`, { headers: auth });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({
      status: { error: false, code: 200, type: 'success', message: 'Success' },
      data: { 'X-RateLimit-Limit': 3, 'X-RateLimit-Remaining': 1, 'X-RateLimit-Reset': 50 },
    });
    const missing = await call(`${emulator.url}/auth/rate_limit`);
    expect(missing.status).toBe(400);
  });

  it('omits the headers when sendHeaders is false, and setRateLimit(null) turns the limit off', async () => {
    const { emulator, auth } = await start({ rateLimit: { limit: 1, windowSeconds: 60, sendHeaders: false } });
    const first = await call(`${emulator.url}/api/2/users/1`, { headers: auth });
    expect(header(first, 'x-ratelimit-limit')).toBeUndefined();
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: auth })).status).toBe(429);
    emulator.setRateLimit(null);
    const free = await call(`${emulator.url}/api/2/users/1`, { headers: auth });
    expect(free.status).toBe(200);
    expect(header(free, 'x-ratelimit-limit')).toBeUndefined();
    emulator.setRateLimit({ limit: 5, windowSeconds: 10 });
    const limited = await call(`${emulator.url}/api/2/users/1`, { headers: auth });
    expect(header(limited, 'x-ratelimit-remaining')).toBe('4');
  });
});
