// The OneLogin client against the emulator: paging, tokens, faults, rate limits, pacing and the concurrency bound.
import { afterEach, describe, expect, test } from 'vitest';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import type { OneLoginClientOptions } from '../../lambda/onelogin/client-types.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import { OneLoginCredentialsError, OneLoginError } from '../../lambda/onelogin/onelogin-errors.ts';
import { createVirtualClock } from './virtual-clock.ts';

const credentials = { clientId: 'emu-client-id', clientSecret: 'emu-client-secret-5a4b3c' };
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function start(
  options: Partial<EmulatorOptions> = {},
  clientOptions: Partial<OneLoginClientOptions> = {},
): Promise<{ emulator: OneLoginEmulator; client: OneLoginClient }> {
  const emulator = await createOneLoginEmulator({ ...credentials, tenant: { seed: 11, count: 60 }, ...options });
  opened.push(emulator);
  const client = new OneLoginClient({ apiUrl: emulator.url, credentials, ...clientOptions });
  opened.push(client);
  return { emulator, client };
}

describe('paging', () => {
  test('follows After-Cursor across many pages, sending limit only on the first request', async () => {
    const { emulator, client } = await start({ tenant: { seed: 2, count: 95 } });
    const pages = [];
    // The emulator answers 400 to a request that has both cursor and limit, so success proves the rule.
    for await (const page of client.listUsers({}, 10)) pages.push(page);
    expect(pages).toHaveLength(10);
    expect(pages.every((page) => page.totalCount === 95)).toBe(true);
    expect(pages.at(-1)?.afterCursor).toBeUndefined();
    const ids = pages.flatMap((page) => page.users.map((user) => user.id));
    expect(ids).toEqual(emulator.users().map((user) => user.id));
    expect(client.callCounts().list).toBe(10);
  });

  test('keeps the filter on every page of a filtered listing', async () => {
    const { emulator, client } = await start({ tenant: { seed: 3, count: 40 } });
    const domainUsers = emulator.users().filter((user) => user.email?.endsWith('@example.com'));
    expect(domainUsers.length).toBeGreaterThan(4);
    const found = [];
    for await (const page of client.listUsers({ email: '*@example.com' }, 2)) found.push(...page.users);
    expect(found.map((user) => user.id)).toEqual(domainUsers.map((user) => user.id));
  });
});

describe('tokens', () => {
  test('caches the token and refreshes it shortly before expiry, never meeting a 401', async () => {
    const clock = createVirtualClock();
    const { emulator, client } = await start(
      { now: clock.now, tokenTtlSeconds: 100 },
      { now: clock.now, sleep: clock.sleep },
    );
    const id = emulator.users()[0]!.id;
    await client.getUser(id);
    clock.advance(50_000);
    await client.getUser(id);
    expect(client.callCounts().token).toBe(1);
    clock.advance(45_000); // 95 s: inside the early-refresh margin
    await client.getUser(id);
    expect(client.callCounts().token).toBe(2);
    clock.advance(10_000); // 105 s: the first token has expired
    expect(await client.getUser(id)).not.toBeNull();
    expect(client.callCounts().token).toBe(3);
    expect(emulator.stats().tokensIssued).toBe(2);
    expect(client.stats().retries).toBe(0);
  });

  test('on a 401 fetches a new token once and retries the call once', async () => {
    const { emulator, client } = await start({ invalidateTokenEvery: 3 });
    const ids = emulator
      .users()
      .slice(0, 7)
      .map((user) => user.id);
    for (const id of ids) expect((await client.getUser(id))?.id).toBe(id);
    expect(client.callCounts()).toEqual({ token: 3, get: 9, list: 0, delete: 0, update: 0, create: 0, roles: 0 });
    expect(client.stats().retries).toBe(2);
  });

  test('bad credentials: a typed error that says the client id/secret were refused, without them', async () => {
    const emulator = await createOneLoginEmulator({ ...credentials, tenant: { seed: 1, count: 3 } });
    opened.push(emulator);
    const client = new OneLoginClient({
      apiUrl: emulator.url,
      credentials: { clientId: 'emu-client-id', clientSecret: 'wrong-secret-123' },
    });
    const error = await client.getUser(emulator.users()[0]!.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneLoginCredentialsError);
    const refused = error as OneLoginCredentialsError;
    expect(refused.reason).toBe('credentials-refused');
    expect(refused.status).toBe(401);
    expect(refused.message).toMatch(/client id\/secret/);
    expect(refused.message).not.toContain('wrong-secret-123');
    expect(client.callCounts()).toEqual({ token: 1, get: 0, list: 0, delete: 0, update: 0, create: 0, roles: 0 });
  });

  test('credentials revoked mid-run: the re-token is refused with a credentials error', async () => {
    const { emulator, client } = await start();
    const [first, second] = emulator.users();
    await client.getUser(first!.id);
    emulator.revokeCredentials();
    await expect(client.getUser(second!.id)).rejects.toBeInstanceOf(OneLoginCredentialsError);
  });
});

describe('transient failures', () => {
  test('retries 5xx answers and reset connections until the call succeeds', async () => {
    const { emulator, client } = await start(
      { faults: { seed: 3, error5xxRate: 0.3, resetRate: 0.2 } },
      { retryBaseMs: 2, retryCapMs: 20, maxAttempts: 12 },
    );
    const users = emulator.users().slice(0, 30);
    for (const user of users) expect((await client.getUser(user.id))?.email).toBe(user.email);
    const faults = emulator.stats().faultsInjected;
    expect(faults.error5xx).toBeGreaterThan(0);
    expect(faults.reset).toBeGreaterThan(0);
    expect(client.stats().retries).toBe(faults.error5xx + faults.reset);
  });

  test('a DELETE retried after its first attempt went through ends absent-after-retry, and each user is deleted once', async () => {
    const { emulator, client } = await start(
      { faults: { seed: 9, deleteThenResetRate: 0.5 } },
      { retryBaseMs: 2, retryCapMs: 20 },
    );
    const ids = emulator
      .users()
      .slice(0, 12)
      .map((user) => user.id);
    const outcomes = [];
    for (const id of ids) outcomes.push(await client.deleteUser(id));
    expect(outcomes).toContain('absent-after-retry');
    expect(outcomes).not.toContain('absent');
    expect(outcomes).toContain('deleted');
    const deleted = emulator.stats().deletions.map((deletion) => deletion.id);
    expect(deleted).toEqual(ids);
    expect(emulator.users().some((user) => ids.includes(user.id))).toBe(false);
  });

  test('gives up after maxAttempts with a typed http-5xx error', async () => {
    const { emulator, client } = await start(
      { faults: { seed: 1, error5xxRate: 1 } },
      { retryBaseMs: 1, retryCapMs: 2, maxAttempts: 3 },
    );
    const error = await client.getUser(emulator.users()[0]!.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneLoginError);
    expect((error as OneLoginError).reason).toMatch(/^http-50[0-4]$/);
    expect(client.callCounts().get).toBe(3);
  });
});

describe('rate limit', () => {
  test('429 with rate headers known: one 429, then waits for the window reset', async () => {
    const clock = createVirtualClock();
    const { emulator, client } = await start(
      { now: clock.now, rateLimit: { limit: 10, windowSeconds: 60 } },
      { now: clock.now, sleep: clock.sleep, rateShare: 1 },
    );
    const [first, second] = emulator.users();
    await client.getUser(first!.id); // learns limit 10, remaining 9, reset 60 s
    // Another integration of the account uses up the rest of the window.
    for (let i = 0; i < 9; i += 1) await fetch(`${emulator.url}/api/2/users`);
    expect((await client.getUser(second!.id))?.id).toBe(second!.id);
    expect(client.stats().rateLimited).toBe(1);
    expect(emulator.stats().rateLimitedByWindow).toEqual({ 0: 1 });
    // After the 429 the client slept past the window's end rather than retrying into it.
    expect(Math.max(...clock.sleeps)).toBeGreaterThanOrEqual(60_000 - 7_000);
  });

  test('429 without any rate headers: exponential backoff until the window allows again', async () => {
    const clock = createVirtualClock();
    const { emulator, client } = await start(
      { now: clock.now, rateLimit: { limit: 3, windowSeconds: 10, sendHeaders: false } },
      { now: clock.now, sleep: clock.sleep, random: () => 1, concurrency: 1 },
    );
    const users = emulator.users().slice(0, 8);
    for (const user of users) expect((await client.getUser(user.id))?.id).toBe(user.id);
    expect(client.stats().rateLimited).toBeGreaterThan(0);
    expect(client.stats().rateLimited).toBe(emulator.stats().rateLimited);
    // Full jitter with random() = 1 gives the ceilings: 500, 1000, 2000, …
    expect(clock.sleeps.slice(0, 4)).toEqual([500, 1000, 2000, 4000]);
  });

  test('no rate headers, probeRateStatus on: GET /auth/rate_limit once per window, pacing from it, no 429', async () => {
    const clock = createVirtualClock();
    const windowMs = 10_000;
    const { emulator, client } = await start(
      {
        now: clock.now,
        tenant: { seed: 6, count: 130 },
        rateLimit: { limit: 40, windowSeconds: windowMs / 1000, sendHeaders: false },
      },
      { now: clock.now, sleep: clock.sleep, rateShare: 0.5, probeRateStatus: true },
    );
    const startedAt = clock.now();
    const ids = emulator
      .users()
      .slice(0, 100)
      .map((user) => user.id);
    const outcomes = await Promise.all(ids.map((id) => client.deleteUser(id)));
    expect(outcomes.every((outcome) => outcome === 'deleted')).toBe(true);
    const stats = emulator.stats();
    expect(stats.rateLimited).toBe(0);
    const windows = new Set(stats.deletions.map((deletion) => Math.floor((deletion.at - startedAt) / windowMs)));
    // One status call per window the run touched (the first answer of each window carries no figures).
    expect(client.callCounts().get).toBeGreaterThanOrEqual(1);
    expect(client.callCounts().get).toBeLessThanOrEqual(windows.size + 1);
    expect(stats.calls.other).toBe(client.callCounts().get);
  });

  test('pacing keeps each window under rateShare of the limit, with no 429', async () => {
    const clock = createVirtualClock();
    const windowMs = 10_000;
    const { emulator, client } = await start(
      { now: clock.now, tenant: { seed: 5, count: 130 }, rateLimit: { limit: 40, windowSeconds: windowMs / 1000 } },
      { now: clock.now, sleep: clock.sleep, rateShare: 0.5 },
    );
    const startedAt = clock.now();
    const ids = emulator
      .users()
      .slice(0, 100)
      .map((user) => user.id);
    const outcomes = await Promise.all(ids.map((id) => client.deleteUser(id)));
    expect(outcomes.every((outcome) => outcome === 'deleted')).toBe(true);
    const stats = emulator.stats();
    expect(stats.rateLimited).toBe(0);
    const perWindow = new Map<number, number>();
    for (const deletion of stats.deletions) {
      const index = Math.floor((deletion.at - startedAt) / windowMs);
      perWindow.set(index, (perWindow.get(index) ?? 0) + 1);
    }
    // 20 = 40 × 0.5; up to `concurrency` calls may go out at a window's start before its first answer tells its state.
    for (const count of perWindow.values()) expect(count).toBeLessThanOrEqual(20 + 4);
    // Spread across windows rather than bursting: every window from the first to the last was used.
    const indexes = [...perWindow.keys()];
    expect(perWindow.size).toBe(Math.max(...indexes) - Math.min(...indexes) + 1);
  });

  test('shares one pacer between concurrent calls and never exceeds the concurrency bound', async () => {
    const { emulator, client } = await start({ faults: { seed: 1, slowRate: 1, slowMs: 30 } }, { concurrency: 3 });
    const users = emulator.users().slice(0, 16);
    const found = await Promise.all(users.map((user) => client.getUser(user.id)));
    expect(found.map((user) => user?.id)).toEqual(users.map((user) => user.id));
    const { maxInFlight } = emulator.stats();
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThanOrEqual(2);
  });

  test('rateLimitStatus reads GET /auth/rate_limit', async () => {
    const { client } = await start({ rateLimit: { limit: 50, windowSeconds: 30 } });
    const status = await client.rateLimitStatus();
    expect(status.limit).toBe(50);
    expect(status.remaining).toBeLessThan(50);
    expect(status.resetSeconds).toBeGreaterThan(0);
  });
});
