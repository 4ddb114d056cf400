// The traffic the OpenAPI test checks: the client's own calls as the product makes them (token, rate status, listings
// with filters and cursors, user_ids lookups, GET, DELETE, its error and edge answers; the record, role, status, logout,
// create and role-user calls of snapshots and restore), and the emulator's other write and role calls, sent with fetch.
import { OneLoginUserDirectory } from '../../lambda/adapters/onelogin-user-directory.ts';
import type { EmulatorOptions } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import type { OneLoginClientOptions } from '../../lambda/onelogin/client-types.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import type { Exchange } from './traffic-check.ts';
import { startTrafficRecorder } from './traffic-recorder.ts';

const credentials = { clientId: 'openapi-client', clientSecret: 'openapi-secret-2k9j8h' };

/** Runs `scenario` against an emulator behind a recorder and answers every exchange it saw. */
export async function recordTraffic(
  options: Partial<EmulatorOptions>,
  scenario: (client: OneLoginClient, url: string) => Promise<void>,
  clientOptions: Partial<OneLoginClientOptions> = {},
): Promise<Exchange[]> {
  const emulator = await createOneLoginEmulator({
    ...credentials,
    tenant: { seed: 5, count: 120, directoryShare: 0.1 },
    ...options,
  });
  const recorder = await startTrafficRecorder(emulator.url);
  const client = new OneLoginClient({
    apiUrl: recorder.url,
    credentials,
    retryBaseMs: 1,
    maxAttempts: 2,
    ...clientOptions,
  });
  try {
    await scenario(client, recorder.url);
  } finally {
    await client.close();
    await recorder.close();
    await emulator.close();
  }
  return recorder.exchanges;
}

/** What the product's client sends in a dry run and a live run, and the answers it meets. */
export async function clientCalls(client: OneLoginClient): Promise<void> {
  const directory = new OneLoginUserDirectory(client);
  await client.rateLimitStatus();
  await directory.countUsers();
  const pages = [];
  for await (const page of client.listUsers({}, 25)) pages.push(page);
  const users = pages.flatMap((page) => page.users);
  const [first, second, third] = users;
  await directory.findUsers('email', first?.email ?? 'nobody@example.com');
  await directory.findUsers('username', second?.username ?? 'nobody');
  await directory.findUsers('email', '*@example.com');
  await directory.getUsersByIds(users.slice(0, 30).map((user) => user.id));
  await client.getUser(third?.id ?? 1);
  await client.getUser(999_999_999);
  await directory.deleteUser(third?.id ?? 1);
  await directory.deleteUser(third?.id ?? 1);
}

/** Each kind of call the client makes, once, whatever the one before it met (a server that refuses them all). */
export async function everyCallOnce(client: OneLoginClient): Promise<void> {
  const directory = new OneLoginUserDirectory(client);
  const calls = [
    () => client.rateLimitStatus(),
    () => directory.countUsers(),
    () => directory.findUsers('email', 'someone@example.com'),
    () => directory.getUsersByIds([1, 2, 3]),
    () => client.getUser(1),
    () => directory.deleteUser(1),
  ];
  for (const call of calls) await call().catch(() => undefined);
}

/** The calls of snapshots, suspension and restore, through the directory adapter as the engine makes them. */
export async function undoCalls(client: OneLoginClient): Promise<void> {
  const directory = new OneLoginUserDirectory(client);
  const pages = [];
  for await (const page of client.listUsers({}, 10)) {
    pages.push(page);
    break;
  }
  const [first, second] = pages.flatMap((page) => page.users);
  const ids = [first?.id ?? 1, second?.id ?? 2];
  await directory.getUserRecords([...ids, 999_999_999]);
  await directory.getUserRecord(ids[0] ?? 1);
  const roles = (await directory.getUserRoleIds(ids[0] ?? 1)) ?? [];
  await directory.getUserRoleIds(999_999_999);
  await directory.setUserStatus(ids[1] ?? 2, 2);
  await directory.setUserStatus(999_999_999, 2).catch(() => undefined);
  await directory.logOutUser(ids[1] ?? 2);
  await directory.logOutUser(999_999_999).catch(() => undefined);
  const created = await directory.createUser({
    username: 'openapi.restored',
    email: 'openapi.restored@example.com',
    firstname: 'Ada',
    status: 2,
    custom_attributes: {},
  });
  await directory.createUser({ username: first?.username ?? 'taken', email: 'another@example.com' });
  const newId = 'created' in created ? created.created.id : 1;
  await directory.addRoleUsers(roles[0] ?? 1, [newId]);
  await directory.addRoleUsers(999_999_999, [newId]).catch(() => undefined);
}

/** The emulator's write and role routes, which the client does not call: their answers still follow the document. */
export async function emulatorOnlyCalls(client: OneLoginClient, url: string): Promise<void> {
  await client.rateLimitStatus();
  const token = await tokenFor(url);
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }).then((answer) => answer.text());
  const created = JSON.parse(
    await call('POST', '/api/2/users', { username: 'openapi.new', email: 'openapi.new@example.com', firstname: 'Ada' }),
  ) as { id: number };
  await call('POST', '/api/2/users', { username: 'openapi.new', email: 'openapi.new@example.com' });
  await call('PUT', `/api/2/users/${created.id}`, { lastname: 'Lovelace' });
  await call('PUT', '/api/2/users/999999999', { lastname: 'Nobody' });
  await call('GET', `/api/2/users/${created.id}`);
  const roles = JSON.parse(await call('GET', '/api/2/roles')) as Array<{ id: number }>;
  const roleId = roles[0]?.id ?? 1;
  await call('POST', `/api/2/roles/${roleId}/users`, [created.id]);
  await call('DELETE', `/api/2/roles/${roleId}/users`, [created.id]);
  await call('DELETE', `/api/2/users/${created.id}`);
}

async function tokenFor(url: string): Promise<string> {
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  const answer = await fetch(`${url}/auth/oauth2/v2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials' }),
  });
  return ((await answer.json()) as { access_token: string }).access_token;
}

export const WRONG_SECRET = { clientId: credentials.clientId, clientSecret: 'not-the-secret-7y6t5r' };
