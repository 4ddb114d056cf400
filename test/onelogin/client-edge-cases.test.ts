// Client behaviours the emulator cannot produce, against a scripted loopback server.
import { afterEach, describe, expect, test } from 'vitest';
import type { OneLoginClientOptions } from '../../lambda/onelogin/client-types.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import { OneLoginError, OneLoginWaitRequiredError } from '../../lambda/onelogin/onelogin-errors.ts';
import type { FakeServer, Responder } from './fake-server.ts';
import { json, resourceRequests, startFakeServer, TEST_TOKEN, withToken } from './fake-server.ts';
import { createVirtualClock } from './virtual-clock.ts';

const credentials = { clientId: 'edge-client-id', clientSecret: 'edge-secret-0a9b8c7d' };
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function serve(respond: Responder): Promise<FakeServer> {
  const server = await startFakeServer(respond);
  opened.push(server);
  return server;
}

function clientFor(server: FakeServer, options: Partial<OneLoginClientOptions> = {}): OneLoginClient {
  const client = new OneLoginClient({ apiUrl: server.url, credentials, retryBaseMs: 1, retryCapMs: 5, ...options });
  opened.push(client);
  return client;
}

async function failure(promise: Promise<unknown>): Promise<OneLoginError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OneLoginError);
  return error as OneLoginError;
}

const user = (id: number): Record<string, unknown> => ({ id, username: `user${id}`, email: `user${id}@example.com` });

describe('token request', () => {
  test('POSTs grant_type JSON with HTTP Basic credentials, then sends the bearer token', async () => {
    const server = await serve(withToken((_req, res) => json(res, 200, user(5))));
    const client = clientFor(server);
    expect(await client.getUser(5)).toEqual({ id: 5, username: 'user5', email: 'user5@example.com' });
    const [tokenCall, getCall] = server.requests;
    expect(tokenCall?.method).toBe('POST');
    expect(tokenCall?.url).toBe('/auth/oauth2/v2/token');
    expect(JSON.parse(tokenCall?.body ?? '')).toEqual({ grant_type: 'client_credentials' });
    expect(tokenCall?.authorization).toBe(
      `Basic ${Buffer.from('edge-client-id:edge-secret-0a9b8c7d').toString('base64')}`,
    );
    expect(getCall?.url).toBe('/api/2/users/5');
    expect(getCall?.authorization).toBe(`Bearer ${TEST_TOKEN}`);
  });

  test.each([
    ['upper-case token type and a string lifetime', { access_token: 'abc', token_type: 'BEARER', expires_in: '36000' }],
    [
      'the v1 envelope',
      { status: { error: false, code: 200 }, data: [{ access_token: 'abc', token_type: 'bearer', expires_in: 36000 }] },
    ],
    ['no token type nor lifetime', { access_token: 'abc' }],
  ])('accepts a token response with %s', async (_name, body) => {
    const server = await serve((req, res) => {
      if (req.url?.startsWith('/auth/')) json(res, 200, body);
      else json(res, 200, user(7));
    });
    expect((await clientFor(server).getUser(7))?.id).toBe(7);
    expect(server.requests[1]?.authorization).toBe('Bearer abc');
  });

  test('a 401 on every resource call: one re-token, one retry, then an unauthorized error', async () => {
    const server = await serve(
      withToken((_req, res) => json(res, 401, { message: 'Unauthorized', name: 'UnauthorizedError', statusCode: 401 })),
    );
    const client = clientFor(server);
    const error = await failure(client.getUser(3));
    expect(error.reason).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(client.callCounts()).toEqual({ token: 2, get: 2, list: 0, delete: 0, update: 0, create: 0, roles: 0 });
  });

  test('a 401 that follows another answer (token expired meanwhile) earns a new token; a bounded number per call', async () => {
    const script = (statuses: number[]) => {
      let gets = 0;
      return serve((req, res) => {
        if (req.url?.startsWith('/auth/'))
          return json(res, 200, { access_token: `tok-${req.url.length}-${gets}`, expires_in: 36000 });
        const status = statuses[gets++] ?? 200;
        return json(res, status, status === 200 ? user(7) : { message: 'x', statusCode: status });
      });
    };
    const recovering = clientFor(await script([401, 503, 401]));
    expect((await recovering.getUser(7))?.id).toBe(7);
    expect(recovering.callCounts()).toEqual({ token: 3, get: 4, list: 0, delete: 0, update: 0, create: 0, roles: 0 });

    const endless = clientFor(await script([401, 503, 401, 503, 401, 503, 401, 503, 401]));
    expect((await failure(endless.getUser(7))).reason).toBe('unauthorized');
    expect(endless.callCounts().token).toBe(4);
  });
});

describe('redirects', () => {
  test('a 3xx on a resource call is an error and the bearer token is never sent to the new location', async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, user(1)));
    const server = await serve(
      withToken((_req, res) => {
        res.writeHead(302, { location: `${elsewhere.url}/api/2/users/1` });
        res.end();
      }),
    );
    const error = await failure(clientFor(server).getUser(1));
    expect(error.reason).toBe('redirect');
    expect(error.status).toBe(302);
    expect(elsewhere.requests).toHaveLength(0);
  });

  test('a 3xx from the token endpoint: the credentials are never sent to the new location', async () => {
    const elsewhere = await serve((_req, res) => json(res, 200, { access_token: 'stolen' }));
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/auth/oauth2/v2/token` });
      res.end();
    });
    const error = await failure(clientFor(server).deleteUser(1));
    expect(error.reason).toBe('redirect');
    expect(elsewhere.requests).toHaveLength(0);
  });
});

describe('rate limit answers', () => {
  test('honours Retry-After on a 429', async () => {
    const clock = createVirtualClock();
    const server = await serve(
      withToken((_req, res, _body, index) => {
        if (index === 0) {
          res.writeHead(429, { 'retry-after': '3', 'content-type': 'text/html' });
          res.end('<html><body>Too Many Requests</body></html>');
        } else json(res, 200, user(2));
      }),
    );
    const client = clientFor(server, { now: clock.now, sleep: clock.sleep });
    expect((await client.getUser(2))?.id).toBe(2);
    expect(clock.sleeps).toEqual([3000]);
    expect(client.stats().rateLimited).toBe(1);
  });

  test('a Retry-After that would end past the wait deadline throws a wait-required error instead of waiting', async () => {
    const clock = createVirtualClock();
    const server = await serve(
      withToken((_req, res) => {
        res.writeHead(429, { 'retry-after': '120' });
        res.end();
      }),
    );
    const client = clientFor(server, { now: clock.now, sleep: clock.sleep, waitDeadline: () => clock.now() + 10_000 });
    const error = await client.deleteUser(4).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneLoginWaitRequiredError);
    expect((error as OneLoginWaitRequiredError).waitMs).toBe(120_000);
    expect(clock.sleeps).toEqual([]);
  });

  test('a used-up share of the window throws a wait-required error before sending another call', async () => {
    const clock = createVirtualClock();
    const server = await serve(
      withToken((_req, res) =>
        json(res, 200, user(8), {
          'x-ratelimit-limit': '100',
          'x-ratelimit-remaining': '15',
          'x-ratelimit-reset': '500',
        }),
      ),
    );
    const client = clientFor(server, { now: clock.now, sleep: clock.sleep, waitDeadline: () => clock.now() + 60_000 });
    await client.getUser(8);
    const error = await client.getUser(8).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneLoginWaitRequiredError);
    expect((error as OneLoginWaitRequiredError).waitMs).toBeGreaterThanOrEqual(500_000);
    expect(resourceRequests(server)).toHaveLength(1);
  });

  test('spreads calls across the window instead of bursting', async () => {
    const clock = createVirtualClock();
    const server = await serve(
      withToken((_req, res) =>
        json(res, 200, user(9), {
          'x-ratelimit-limit': '100',
          'x-ratelimit-remaining': '60',
          'x-ratelimit-reset': '400',
        }),
      ),
    );
    const client = clientFor(server, { now: clock.now, sleep: clock.sleep });
    await client.getUser(9);
    await client.getUser(9);
    // share 0.8: 80 of 100 allowed, 40 used (the answer already counts our call) → 40 left over 400 s: 10 s apart.
    expect(clock.sleeps).toEqual([10_000]);
  });
});

describe('transient failures', () => {
  test('retries 5xx with backoff, then succeeds', async () => {
    const server = await serve(
      withToken((_req, res, _body, index) => {
        if (index < 2) json(res, 503, { message: 'Service Unavailable', name: 'ServiceUnavailable', statusCode: 503 });
        else json(res, 200, user(6));
      }),
    );
    const client = clientFor(server);
    expect((await client.getUser(6))?.id).toBe(6);
    expect(client.stats().retries).toBe(2);
  });

  test('stops retrying once maxRetryTimeMs would be exceeded', async () => {
    const clock = createVirtualClock();
    const server = await serve(withToken((_req, res) => json(res, 503, { message: 'Service Unavailable' })));
    const client = clientFor(server, {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 1,
      retryBaseMs: 10_000,
      retryCapMs: 60_000,
      maxRetryTimeMs: 25_000,
      maxAttempts: 10,
    });
    expect((await failure(client.getUser(6))).reason).toBe('http-503');
    // 10 s, then 20 s more would pass 25 s: one backoff, two attempts.
    expect(clock.sleeps).toEqual([10_000]);
    expect(client.callCounts().get).toBe(2);
  });

  test('a retry backoff that would end past the wait deadline throws a wait-required error instead of sleeping', async () => {
    const clock = createVirtualClock();
    const server = await serve(withToken((_req, res) => json(res, 503, { message: 'Service Unavailable' })));
    const client = clientFor(server, {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 1,
      retryBaseMs: 10_000,
      retryCapMs: 60_000,
      waitDeadline: () => clock.now() + 5_000,
    });
    const error = await client.getUser(6).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OneLoginWaitRequiredError);
    expect((error as OneLoginWaitRequiredError).waitMs).toBe(10_000);
    expect(clock.sleeps).toEqual([]);
    expect(client.callCounts().get).toBe(1);
  });

  test('a timed-out request is retried; persistent timeouts end as reason timeout', async () => {
    const server = await serve(
      withToken((_req, res, _body, index) => {
        if (index === 0 || index >= 2) return; // never answers
        json(res, 200, user(12));
      }),
    );
    const client = clientFor(server, { requestTimeoutMs: 150, maxAttempts: 2 });
    expect((await client.getUser(12))?.id).toBe(12);
    const error = await failure(client.getUser(12));
    expect(error.reason).toBe('timeout');
    expect(client.callCounts().get).toBe(4);
  });

  test('an answer whose body trickles in is cut off by the whole-call deadline, not only by the idle timeouts', async () => {
    const timers: NodeJS.Timeout[] = [];
    const server = await serve(
      withToken((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":13,');
        // A byte every 30 ms keeps each idle timeout (150 ms) from firing; only the 150 ms bound on the whole call can.
        // Without that bound the answer completes after about a second, and the call succeeds.
        let written = 0;
        const timer = setInterval(() => {
          written += 1;
          if (written < 40) res.write(' ');
          else {
            clearInterval(timer);
            res.end('"username":"u13","email":"u13@example.com"}');
          }
        }, 30);
        timers.push(timer);
        res.on('close', () => clearInterval(timer));
      }),
    );
    const client = clientFor(server, { requestTimeoutMs: 150, maxAttempts: 1 });
    const error = await failure(client.getUser(13));
    for (const timer of timers) clearInterval(timer);
    expect(error.reason).toBe('timeout');
  });

  test('a DELETE whose connection is reset, then answered 404, is absent after a retry (the first one went through)', async () => {
    const server = await serve(
      withToken((req, res, _body, index) => {
        if (index === 0) req.socket.destroy();
        else
          json(res, 404, {
            message: 'The resource with the given id could not be found',
            name: 'NotFoundError',
            statusCode: 404,
          });
      }),
    );
    const client = clientFor(server);
    expect(await client.deleteUser(77)).toBe('absent-after-retry');
    expect(client.callCounts().delete).toBe(2);
  });

  test.each([
    ['204 with no body', 204, ''],
    ['200 with an empty body', 200, ''],
    [
      '200 with the v1 success envelope',
      200,
      '{"status":{"error":false,"code":200,"type":"success","message":"Success"}}',
    ],
  ])('DELETE answered %s is deleted', async (_name, status, body) => {
    const server = await serve(
      withToken((_req, res) => {
        res.writeHead(status, body ? { 'content-type': 'application/json' } : {});
        res.end(body);
      }),
    );
    expect(await clientFor(server).deleteUser(31)).toBe('deleted');
  });
});

describe('requests', () => {
  test('encodes odd query values so that they never change the path or the query', async () => {
    const server = await serve(withToken((_req, res) => json(res, 200, [])));
    const client = clientFor(server);
    const odd = ['a+b c?d&e#f%g/h@x.com', '../../auth/oauth2?x=1&limit=5', 'Zoë.Ünïcødé@例え.jp', '%2F%3F'];
    for (const value of odd) {
      await client.listUsersPage({ email: value, username: value }, { limit: 50 });
    }
    await client.listUsersPage({ userIds: [1, 22, 333] }, {});
    const urls = resourceRequests(server).map((request) => new URL(request.url, server.url));
    for (const [index, value] of odd.entries()) {
      const url = urls[index]!;
      expect(url.pathname).toBe('/api/2/users');
      expect(url.searchParams.get('email')).toBe(value);
      expect(url.searchParams.get('username')).toBe(value);
      expect(url.searchParams.getAll('limit')).toEqual(['50']);
      expect(url.searchParams.get('fields')).toBe(
        'id,username,email,firstname,lastname,status,state,directory_id,updated_at,last_login',
      );
      expect([...url.searchParams.keys()].sort()).toEqual(['email', 'fields', 'limit', 'username']);
    }
    expect(urls[4]?.searchParams.get('user_ids')).toBe('1,22,333');
  });

  test('pages with limit only on the first request, then only the cursor, until After-Cursor is empty', async () => {
    const cursors = ['bGltaXQ9MiZwYWdlPTI+/=', 'bGltaXQ9MiZwYWdlPTM='];
    const server = await serve(
      withToken((_req, res, _body, index) => {
        const headers: Record<string, string> = { 'total-count': '5', 'after-cursor': cursors[index] ?? '' };
        json(res, 200, [user(index * 2 + 1), user(index * 2 + 2)].slice(0, index === 2 ? 1 : 2), headers);
      }),
    );
    const client = clientFor(server);
    const ids = [];
    for await (const page of client.listUsers({ username: 'x y' }, 2)) ids.push(...page.users.map((found) => found.id));
    expect(ids).toEqual([1, 2, 3, 4, 5]);
    const urls = resourceRequests(server).map((request) => new URL(request.url, server.url).searchParams);
    expect(urls).toHaveLength(3);
    expect(urls[0]?.get('limit')).toBe('2');
    expect(urls[0]?.has('cursor')).toBe(false);
    expect(urls[1]?.get('cursor')).toBe(cursors[0]);
    expect(urls[2]?.get('cursor')).toBe(cursors[1]);
    for (const later of urls.slice(1)) {
      expect(later.has('limit')).toBe(false);
      expect(later.get('username')).toBe('x y');
    }
  });

  test.each([0, -1, 1.5, Number.NaN, 2 ** 60])('refuses user id %s without sending anything', async (id) => {
    const server = await serve(withToken((_req, res) => json(res, 200, user(1))));
    const client = clientFor(server);
    expect((await failure(client.getUser(id))).reason).toBe('invalid-argument');
    expect((await failure(client.deleteUser(id))).reason).toBe('invalid-argument');
    expect(resourceRequests(server)).toHaveLength(0);
  });

  test('404 on GET is null', async () => {
    const server = await serve(
      withToken((_req, res) =>
        json(res, 404, {
          message: 'The resource with the given id could not be found',
          name: 'NotFoundError',
          statusCode: 404,
        }),
      ),
    );
    expect(await clientFor(server).getUser(404)).toBeNull();
  });

  test.each([
    [
      400,
      {
        status: {
          error: true,
          code: 400,
          type: 'bad request',
          message: { attribute: 'id', description: 'ID is incorrect' },
        },
      },
      'ID is incorrect',
    ],
    [
      422,
      { message: 'Validation failed: nope', statusCode: 422, name: 'UnprocessableEntityError' },
      'Validation failed: nope',
    ],
    [
      400,
      { status: 400, error: 'BadRequestError', description: 'Invalid pagination cursor' },
      'Invalid pagination cursor',
    ],
  ])('a %s error body becomes a typed error with its message', async (status, body, expected) => {
    const server = await serve(withToken((_req, res) => json(res, status, body)));
    const error = await failure(clientFor(server).listUsersPage({}, { limit: 1 }));
    expect(error.reason).toBe(`http-${status}`);
    expect(error.status).toBe(status);
    expect(error.message).toContain(expected);
  });
});
