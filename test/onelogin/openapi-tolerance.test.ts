// What OneLogin's OpenAPI document allows and the client must survive, over real HTTP on loopback: a server that
// refuses `limit` > 100, a server whose every route answers 404 "No Route Exists", a 429 burst while quota is left,
// and the nulls OneLogin's own samples carry where the document says string.
import { afterEach, describe, expect, test } from 'vitest';
import { OneLoginUserDirectory } from '../../lambda/adapters/onelogin-user-directory.ts';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { DirectoryUnavailableError } from '../../lambda/engine/directory-errors.ts';
import type { OneLoginClientOptions } from '../../lambda/onelogin/client-types.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import { OneLoginError } from '../../lambda/onelogin/onelogin-errors.ts';
import { json, resourceRequests, startFakeServer, withToken } from './fake-server.ts';
import { createVirtualClock } from './virtual-clock.ts';

const credentials = { clientId: 'tolerance-client', clientSecret: 'tolerance-secret-8h7g6f' };
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

const NO_ROUTE = { error: true, code: 404, type: 'Not Found', message: 'No Route Exists' };

async function over(
  options: Partial<EmulatorOptions> = {},
  clientOptions: Partial<OneLoginClientOptions> = {},
): Promise<{ emulator: OneLoginEmulator; client: OneLoginClient; directory: OneLoginUserDirectory }> {
  const emulator = await createOneLoginEmulator({
    ...credentials,
    tenant: { seed: 31, count: 250, directoryShare: 0 },
    ...options,
  });
  opened.push(emulator);
  const client = new OneLoginClient({ apiUrl: emulator.url, credentials, retryBaseMs: 1, ...clientOptions });
  opened.push(client);
  return { emulator, client, directory: new OneLoginUserDirectory(client) };
}

function clientOf(url: string, options: Partial<OneLoginClientOptions> = {}): OneLoginClient {
  const client = new OneLoginClient({ apiUrl: url, credentials, retryBaseMs: 1, ...options });
  opened.push(client);
  return client;
}

describe('a server that refuses limit > 100', () => {
  for (const status of [400, 422] as const) {
    test(`answered ${status}: one retry with 100, learned for the rest of the run`, async () => {
      const { emulator, client, directory } = await over({ limitRefusal: { above: 100, status } });
      expect(await directory.countUsers()).toBe(250);
      // One refused first page, one granted: never a refused run.
      expect(emulator.stats().calls.list).toBe(2);
      expect(client.listLimitCap).toBe(100);
      expect(directory.pageSize).toBe(100);
      emulator.resetStats();
      const ids: number[] = [];
      for await (const page of directory.listAllUsers()) ids.push(...page.users.map((user) => user.id));
      expect(ids).toEqual(emulator.users().map((user) => user.id));
      // Learned: the listing asks for 100 at once (3 pages), no second refusal.
      expect(emulator.stats().calls.list).toBe(3);
    });
  }

  test('a refusal of the documented maximum itself still fails the call (only one retry)', async () => {
    const { emulator, client } = await over({ limitRefusal: { above: 50, status: 422 } });
    const error = await client.listUsersPage({}, { limit: 1000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneLoginError);
    expect((error as OneLoginError).reason).toBe('http-422');
    expect(emulator.stats().calls.list).toBe(2);
  });
});

describe('a server whose every route answers 404 "No Route Exists"', () => {
  test('resources only (tokens work): a DELETE is never claimed absent; the run stops as unavailable', async () => {
    const { emulator, directory } = await over({ noRoute: 'resources' });
    const ids = emulator
      .users()
      .slice(0, 6)
      .map((user) => user.id);
    const results = await Promise.allSettled(ids.map((id) => directory.deleteUser(id)));
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    for (const result of results) {
      const reason = (result as PromiseRejectedResult).reason as unknown;
      expect(reason).toBeInstanceOf(DirectoryUnavailableError);
      expect((reason as DirectoryUnavailableError).code).toBe('no-route');
    }
    expect(emulator.users()).toHaveLength(250);
    // Six DELETEs, and their absence was checked in batched user_ids lookups, not one each.
    expect(emulator.stats().calls.delete).toBe(6);
    expect(emulator.stats().calls.list).toBeLessThan(6);
  });

  test('everything, the token endpoint included: unavailable at the first call', async () => {
    const { directory } = await over({ noRoute: 'everything' });
    const error = await directory.countUsers().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DirectoryUnavailableError);
    expect((error as DirectoryUnavailableError).code).toBe('no-route');
  });

  test('getUser on a route 404 throws instead of answering "no such user"', async () => {
    const { emulator, client } = await over({ noRoute: 'resources' });
    const error = await client.getUser(emulator.users()[0]!.id).catch((caught: unknown) => caught);
    expect((error as OneLoginError).reason).toBe('no-route');
  });
});

describe('a DELETE answered 404 without a body that names the user', () => {
  /** DELETE answers the document's 404 example; the user_ids lookup answers the users in `present`. */
  async function scripted(present: ReadonlySet<number>, deletes: number) {
    const held: Array<() => void> = [];
    const server = await startFakeServer(
      withToken((req, res) => {
        const url = new URL(req.url ?? '/', 'http://x');
        if (req.method === 'DELETE') {
          // The DELETEs are answered together, as a server does with calls sent together.
          held.push(() => json(res, 404, NO_ROUTE));
          if (held.length === deletes) for (const answer of held.splice(0)) answer();
        } else {
          const asked = (url.searchParams.get('user_ids') ?? '').split(',').map(Number);
          json(
            res,
            200,
            asked.filter((id) => present.has(id)).map((id) => ({ id, username: `u${id}`, email: null })),
          );
        }
      }),
    );
    opened.push(server);
    return { server, directory: new OneLoginUserDirectory(clientOf(server.url)) };
  }

  test('is already-absent only once a batched user_ids lookup shows the users gone', async () => {
    const { server, directory } = await scripted(new Set(), 3);
    expect(await Promise.all([11, 12, 13].map((id) => directory.deleteUser(id)))).toEqual([
      'absent',
      'absent',
      'absent',
    ]);
    const lookups = resourceRequests(server).filter((request) => request.method === 'GET');
    expect(lookups).toHaveLength(1);
    expect(new URL(lookups[0]!.url, 'http://x').searchParams.get('user_ids')?.split(',').sort()).toEqual([
      '11',
      '12',
      '13',
    ]);
  });

  test('a user still there after such a 404 stops the run: the DELETE route is not reached', async () => {
    const { directory } = await scripted(new Set([21]), 1);
    const error = await directory.deleteUser(21).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DirectoryUnavailableError);
    expect((error as DirectoryUnavailableError).code).toBe('no-route');
  });

  test('a 404 whose body names the missing user is absent at once, with no lookup', async () => {
    const server = await startFakeServer(
      withToken((_req, res) =>
        json(res, 404, {
          message: 'The resource with the given id could not be found',
          name: 'NotFoundError',
          statusCode: 404,
        }),
      ),
    );
    opened.push(server);
    const directory = new OneLoginUserDirectory(clientOf(server.url));
    expect(await directory.deleteUser(5)).toBe('absent');
    expect(resourceRequests(server).map((request) => request.method)).toEqual(['DELETE']);
  });
});

describe('a 3-second 429 burst while the rate headers show quota', () => {
  test('backs off from a second, doubling, and never waits for the window', async () => {
    const clock = createVirtualClock();
    const { emulator, client, directory } = await over(
      {
        now: clock.now,
        rateLimit: { limit: 5000, windowSeconds: 3600 },
        rateLimitBurst: { afterCalls: 3, seconds: 3 },
      },
      { now: clock.now, sleep: clock.sleep, rateShare: 1 },
    );
    const users = emulator.users().slice(0, 12);
    for (const user of users) expect(await directory.deleteUser(user.id)).toBe('deleted');
    expect(emulator.stats().deletions.map((deletion) => deletion.id)).toEqual(users.map((user) => user.id));
    expect(client.stats().rateLimited).toBeGreaterThan(0);
    // The burst takes 3 s: 1 s + 2 s of backoff cover it, nothing near the 3,600 s window (shorter sleeps are the
    // pacing's spacing of 5,000 calls over the hour).
    expect(clock.sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000]);
    expect(Math.max(...clock.sleeps)).toBe(2000);
  });

  test('with several calls in flight, their 429s share one backoff instead of doubling it each', async () => {
    const clock = createVirtualClock();
    const { emulator, directory } = await over(
      {
        now: clock.now,
        rateLimit: { limit: 5000, windowSeconds: 3600 },
        rateLimitBurst: { afterCalls: 2, seconds: 1 },
      },
      { now: clock.now, sleep: clock.sleep, rateShare: 1, concurrency: 4 },
    );
    const users = emulator.users().slice(0, 8);
    expect(await Promise.all(users.map((user) => directory.deleteUser(user.id)))).toEqual(users.map(() => 'deleted'));
    expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(1000);
  });

  test('429s that go on past the burst allowance are taken for a used-up window and wait for its reset', async () => {
    const clock = createVirtualClock();
    const { emulator, client } = await over(
      {
        now: clock.now,
        rateLimit: { limit: 5000, windowSeconds: 120 },
        rateLimitBurst: { afterCalls: 1, seconds: 100 },
      },
      { now: clock.now, sleep: clock.sleep, rateShare: 1, maxRetryTimeMs: 600_000 },
    );
    const [first, second] = emulator.users();
    await client.getUser(first!.id);
    expect((await client.getUser(second!.id))?.id).toBe(second!.id);
    // 1, 2, 4 and 8 s of backoff, then the 5th 429 waits for the window's end (about 105 s later).
    const backoffs = clock.sleeps.filter((ms) => ms >= 500);
    expect(backoffs.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffs[4]).toBeGreaterThan(100_000);
    expect(backoffs).toHaveLength(5);
  });
});

describe('nulls where the document says string', () => {
  test('token, users and error bodies with null fields are read, not refused', async () => {
    const server = await startFakeServer((req, res) => {
      if (req.url?.startsWith('/auth/oauth2/v2/token')) {
        json(res, 200, {
          access_token: 'tok-null-fields-0a9b8c7d',
          created_at: null,
          expires_in: null,
          refresh_token: null,
          token_type: null,
          account_id: null,
        });
      } else if (req.url?.startsWith('/api/2/users/9')) {
        json(res, 500, { error: null, code: 500, type: null, message: null, status: null, description: null });
      } else {
        json(res, 200, [
          {
            id: 7,
            username: null,
            email: 'seven@example.com',
            firstname: null,
            lastname: null,
            status: null,
            last_login: null,
            directory_id: null,
          },
        ]);
      }
    });
    opened.push(server);
    const client = clientOf(server.url, { maxAttempts: 1 });
    const page = await client.listUsersPage({ email: 'seven@example.com' }, {});
    expect(page.users).toEqual([
      {
        id: 7,
        username: null,
        email: 'seven@example.com',
        name: null,
        firstname: null,
        lastname: null,
        status: null,
        lastLogin: null,
        directory_id: null,
      },
    ]);
    const error = await client.getUser(9).catch((caught: unknown) => caught);
    expect((error as OneLoginError).reason).toBe('http-500');
    expect((error as OneLoginError).message).toMatch(/answered 500$/);
  });
});
