// The engine's new UserDirectory calls over the OneLogin client: records, roles, status, logout, create, role users.
import { afterEach, describe, expect, test } from 'vitest';
import { OneLoginUserDirectory } from '../../lambda/adapters/onelogin-user-directory.ts';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { DirectoryCallError, DirectoryUnavailableError } from '../../lambda/engine/directory-errors.ts';
import { API_CALL_KINDS } from '../../lambda/engine/ports.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import { makeUser } from '../emulator/emulator-test-client.ts';
import type { Responder } from './fake-server.ts';
import { json, resourceRequests, startFakeServer, withToken } from './fake-server.ts';

const credentials = { clientId: 'dir-rec-client', clientSecret: 'dir-rec-secret-9o8i7u' };
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

function directoryOn(url: string, idBatchSize?: number): OneLoginUserDirectory {
  const client = new OneLoginClient({ apiUrl: url, credentials, retryBaseMs: 1, retryCapMs: 5 });
  opened.push(client);
  return new OneLoginUserDirectory(client, idBatchSize === undefined ? {} : { idBatchSize });
}

async function overEmulator(
  options: Partial<EmulatorOptions> = {},
): Promise<{ emulator: OneLoginEmulator; directory: OneLoginUserDirectory }> {
  const users = [
    { ...makeUser(11, 'ada', 'ada@example.com'), custom_attributes: { code: 'A' }, role_ids: [301] },
    makeUser(12, 'bob', 'bob@example.com'),
  ];
  const emulator = await createOneLoginEmulator({ ...credentials, users, roles: [{ id: 301, name: 'R' }], ...options });
  opened.push(emulator);
  return { emulator, directory: directoryOn(emulator.url) };
}

async function overScript(respond: Responder) {
  const server = await startFakeServer(withToken(respond));
  opened.push(server);
  return { server, directory: directoryOn(server.url) };
}

describe('the directory over the emulator', () => {
  test('records (batched per idBatchSize), one record, role ids; absent users are left out or null', async () => {
    const { emulator } = await overEmulator({ listIncludesCustomAttributes: true });
    const directory = directoryOn(emulator.url, 1);
    const records = await directory.getUserRecords([11, 12, 11, 99]);
    expect(records.map((record) => [record.id, record.role_ids])).toEqual([
      [11, [301]],
      [12, []],
    ]);
    expect(directory.callCounts().list).toBe(3);
    expect(await directory.getUserRecord(11)).toMatchObject({ custom_attributes: { code: 'A' } });
    expect(await directory.getUserRecord(99)).toBeNull();
    expect(await directory.getUserRoleIds(11)).toEqual([301]);
    expect(await directory.getUserRoleIds(99)).toBeNull();
  });

  test('suspend, sign out, create, conflict and role users, each counted under its kind', async () => {
    const { emulator, directory } = await overEmulator();
    expect(await directory.setUserStatus(12, 2)).toBe('updated');
    expect(await directory.setUserStatus(99, 2)).toBe('absent');
    expect(await directory.logOutUser(12)).toBe('done');
    const created = await directory.createUser({ username: 'cleo', email: 'cleo@example.com', status: 1 });
    expect(created).toMatchObject({ created: { username: 'cleo', status: 1 } });
    expect(await directory.createUser({ username: 'ADA' })).toEqual({ conflict: expect.stringMatching(/taken/) });
    const newId = 'created' in created ? created.created.id : 0;
    await directory.addRoleUsers(301, [newId]);
    expect(emulator.users().find((user) => user.id === newId)?.role_ids).toEqual([301]);
    const counts = directory.callCounts();
    expect(Object.keys(counts).sort()).toEqual([...API_CALL_KINDS].sort());
    expect(counts).toMatchObject({ update: 3, create: 2, roles: 1, token: 1 });
  });
});

describe('errors', () => {
  test('a 404 to PUT that names no user is absent once a lookup shows the user gone', async () => {
    const { server, directory } = await overScript((req, res) => {
      if (req.method === 'PUT')
        json(res, 404, { error: true, code: 404, type: 'Not Found', message: 'No Route Exists' });
      else json(res, 200, []);
    });
    expect(await directory.setUserStatus(5, 2)).toBe('absent');
    expect(await directory.logOutUser(5)).toBe('absent');
    expect(resourceRequests(server).map((request) => request.method)).toEqual(['PUT', 'GET', 'PUT', 'GET']);
  });

  test('…and stops the run when the user is still there: the route is not reached', async () => {
    const { directory } = await overScript((req, res) => {
      if (req.method === 'PUT')
        json(res, 404, { error: true, code: 404, type: 'Not Found', message: 'No Route Exists' });
      else json(res, 200, [{ id: 5, username: 'u', email: 'u@x.test' }]);
    });
    await expect(directory.setUserStatus(5, 2)).rejects.toBeInstanceOf(DirectoryUnavailableError);
  });

  test('a create whose answer was lost is a DirectoryCallError answer-lost, after one POST', async () => {
    const { server, directory } = await overScript((req) => req.socket.destroy());
    const error = await directory.createUser({ username: 'x' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DirectoryCallError);
    expect((error as DirectoryCallError).reason).toBe('answer-lost');
    expect(resourceRequests(server)).toHaveLength(1);
  });
});
