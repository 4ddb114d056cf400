// The new calls against a scripted loopback server: lost answers on POST, the answer shapes OneLogin may send, the
// three error-body styles of a conflict, and secrets kept out of every error.
import { inspect } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { toDirectoryError } from '../../lambda/adapters/onelogin-user-directory.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import { OneLoginError, OneLoginStoppedError } from '../../lambda/onelogin/onelogin-errors.ts';
import type { FakeServer, Responder } from './fake-server.ts';
import { json, resourceRequests, startFakeServer, TEST_TOKEN, withToken } from './fake-server.ts';

const credentials = { clientId: 'edge-rec-client', clientSecret: 'edge-rec-secret-0a9b8c7d' };
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function clientOn(respond: Responder, requestTimeoutMs = 30_000): Promise<[OneLoginClient, FakeServer]> {
  const server = await startFakeServer(withToken(respond));
  opened.push(server);
  const client = new OneLoginClient({
    apiUrl: server.url,
    credentials,
    retryBaseMs: 1,
    retryCapMs: 5,
    requestTimeoutMs,
  });
  opened.push(client);
  return [client, server];
}

async function failure(promise: Promise<unknown>): Promise<OneLoginError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OneLoginError);
  return error as OneLoginError;
}

describe('a create is never sent twice', () => {
  test.each([
    ['a reset connection', ((req) => req.socket.destroy()) as Responder, 30_000],
    ['a 502', ((_req, res) => json(res, 502, { message: 'Bad Gateway' })) as Responder, 30_000],
    ['a timeout', (() => undefined) as Responder, 150],
  ])('after %s: one POST, then answer-lost', async (_name, respond, timeoutMs) => {
    const [client, server] = await clientOn(respond, timeoutMs);
    const error = await failure(client.createUser({ username: 'x', email: 'x@example.com' }));
    expect(error.reason).toBe('answer-lost');
    expect(error.retryable).toBe(false);
    expect(resourceRequests(server).map((request) => request.method)).toEqual(['POST']);
    expect((toDirectoryError(error) as Error).constructor.name).toBe('DirectoryCallError');
  });

  test('a 429 was not processed: the create is sent again after the wait', async () => {
    const [client, server] = await clientOn((_req, res, _body, index) => {
      if (index === 0) json(res, 429, { message: 'Too Many Requests' }, { 'retry-after': '0' });
      else json(res, 201, { id: 42, username: 'x', email: 'x@example.com' });
    });
    expect(await client.createUser({ username: 'x', email: 'x@example.com' })).toEqual({
      created: { id: 42, username: 'x', email: 'x@example.com' },
    });
    expect(resourceRequests(server)).toHaveLength(2);
  });

  test('sends the fields as given, as JSON', async () => {
    const [client, server] = await clientOn((_req, res) => json(res, 201, { id: 7 }));
    await client.createUser({ username: 'y', custom_attributes: { a: 'b' }, status: 2 });
    const [request] = resourceRequests(server);
    expect(request?.url).toBe('/api/2/users');
    expect(JSON.parse(request?.body ?? '')).toEqual({ username: 'y', custom_attributes: { a: 'b' }, status: 2 });
  });
});

describe('the stop', () => {
  test('a stop that fires while the token is fetched keeps every change back; a read still goes out', async () => {
    let stop = new AbortController();
    const server = await startFakeServer((req, res) => {
      if (req.url?.startsWith('/auth/oauth2/v2/token')) {
        stop.abort();
        json(res, 200, { access_token: TEST_TOKEN, expires_in: 36000, token_type: 'bearer' });
      } else json(res, 200, req.method === 'GET' ? { id: 5 } : [{ id: 5 }]);
    });
    opened.push(server);
    const clientStoppedAtItsToken = (): OneLoginClient => {
      stop = new AbortController();
      const client = new OneLoginClient({ apiUrl: server.url, credentials, stopSignal: stop.signal });
      opened.push(client);
      return client;
    };
    await expect(clientStoppedAtItsToken().setUserStatus(5, 2)).rejects.toBeInstanceOf(OneLoginStoppedError);
    await expect(clientStoppedAtItsToken().logOutUser(5)).rejects.toBeInstanceOf(OneLoginStoppedError);
    await expect(clientStoppedAtItsToken().createUser({ username: 'x' })).rejects.toBeInstanceOf(OneLoginStoppedError);
    await expect(clientStoppedAtItsToken().addRoleUsers(1, [5])).rejects.toBeInstanceOf(OneLoginStoppedError);
    expect(resourceRequests(server)).toEqual([]);
    expect(await clientStoppedAtItsToken().getUserRecord(5)).toEqual({ id: 5 });
    expect(resourceRequests(server)).toHaveLength(1);
  });
});

describe('a taken username or email in each of OneLogin’s error styles', () => {
  test.each([
    [
      422,
      { message: 'Validation failed: Email has already been taken', name: 'UnprocessableEntityError', statusCode: 422 },
    ],
    [400, { status: 400, error: 'BadRequestError', description: 'Username already exists' }],
    [422, { status: { error: true, code: 422, type: 'Unprocessable', message: 'The email is already taken' } }],
  ])('%i %j is a conflict', async (status, body) => {
    const [client, server] = await clientOn((_req, res) => json(res, status, body));
    const answer = await client.createUser({ username: 'x', email: 'x@example.com' });
    expect(answer).toEqual({ conflict: expect.stringMatching(/taken|exists/) });
    expect(resourceRequests(server)).toHaveLength(1);
  });

  test('a 403 that mentions a taken email is still an error (only 400 and 422 are validation answers)', async () => {
    const [client] = await clientOn((_req, res) => json(res, 403, { message: 'email already taken' }));
    expect((await failure(client.createUser({ email: 'x@example.com' }))).reason).toBe('http-403');
  });
});

describe('answer shapes', () => {
  test.each([
    ['the document’s envelope', { status: { error: false, code: 200 }, data: [301, 302] }],
    ['data nested once', { status: { error: false }, data: [[301, 302]] }],
    ['role objects', { data: [{ id: 301 }, { id: '302' }] }],
    ['a bare array', [301, 302]],
  ])('role ids from %s', async (_name, body) => {
    const [client, server] = await clientOn((_req, res) => json(res, 200, body));
    expect(await client.getUserRoleIds(5)).toEqual([301, 302]);
    expect(resourceRequests(server)[0]?.url).toBe('/api/1/users/5/roles');
  });

  test('a roles answer without a list is invalid, not "no roles"', async () => {
    const [client] = await clientOn((_req, res) => json(res, 200, { status: { error: false } }));
    expect((await failure(client.getUserRoleIds(5))).reason).toBe('invalid-response');
  });

  test('a 404 that names no user ("No Route Exists") is a wrong route for reads, absence-unproven for changes', async () => {
    const noRoute = { status: { error: true, code: 404, type: 'not found', message: 'No Route Exists' } };
    const [client] = await clientOn((_req, res) => json(res, 404, noRoute));
    expect((await failure(client.getUserRecord(5))).reason).toBe('no-route');
    expect((await failure(client.getUserRoleIds(5))).reason).toBe('no-route');
    expect(await client.setUserStatus(5, 2)).toBe('absence-unproven');
    expect(await client.logOutUser(5)).toBe('absence-unproven');
  });

  test('the records listing asks every record field, custom_attributes and role_ids included, and keeps unknown fields', async () => {
    const [client, server] = await clientOn((_req, res) => json(res, 200, [{ id: '9', extra_field: 'kept' }]));
    expect(await client.getUserRecords([9])).toEqual([{ id: 9, extra_field: 'kept' }]);
    const url = new URL(resourceRequests(server)[0]?.url ?? '', server.url);
    const fields = url.searchParams.get('fields')?.split(',') ?? [];
    expect(fields).toEqual(expect.arrayContaining(['custom_attributes', 'role_ids', 'title', 'created_at', 'status']));
    expect(url.searchParams.get('user_ids')).toBe('9');
  });

  test('role users go as a raw JSON array, duplicates sent once', async () => {
    const [client, server] = await clientOn((_req, res) => json(res, 200, [{ id: 1 }, { id: 2 }]));
    await client.addRoleUsers(301, [1, 2, 1]);
    const [request] = resourceRequests(server);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/2/roles/301/users');
    expect(JSON.parse(request?.body ?? '')).toEqual([1, 2]);
  });
});

test('no error or conflict message of the new calls carries a secret or token', async () => {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  const forbidden = [credentials.clientSecret, credentials.clientId, basic, TEST_TOKEN];
  const echo =
    (status: number): Responder =>
    (req, res, body) =>
      json(res, status, {
        message: `already taken email ${req.headers.authorization ?? ''} ${body} ${credentials.clientSecret}`,
      });
  const texts: string[] = [];
  for (const status of [500, 403, 422]) {
    const [client] = await clientOn(echo(status));
    const calls: Array<() => Promise<unknown>> = [
      () => client.getUserRecords([1]),
      () => client.getUserRecord(1),
      () => client.getUserRoleIds(1),
      () => client.setUserStatus(1, 2),
      () => client.logOutUser(1),
      () => client.createUser({ username: credentials.clientId }),
      () => client.addRoleUsers(1, [1]),
    ];
    for (const call of calls) {
      const settled = await call().then(
        (value: unknown) => value,
        (error: unknown) => error,
      );
      texts.push(inspect(settled, { depth: 5 }), JSON.stringify(settled), inspect(toDirectoryError(settled)));
    }
  }
  expect(texts.some((text) => text.includes('conflict'))).toBe(true);
  for (const text of texts) for (const secret of forbidden) expect(text).not.toContain(secret);
});
