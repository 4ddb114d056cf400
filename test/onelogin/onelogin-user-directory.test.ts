// The engine's UserDirectory over the OneLogin client, against the emulator and a scripted server.
import { afterEach, describe, expect, test } from 'vitest';
import { OneLoginUserDirectory } from '../../lambda/adapters/onelogin-user-directory.ts';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import {
  DirectoryCallError,
  DirectoryUnavailableError,
  WaitRequiredError,
} from '../../lambda/engine/directory-errors.ts';
import type { OneLoginClientOptions } from '../../lambda/onelogin/client-types.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import {
  OneLoginCredentialsError,
  OneLoginError,
  OneLoginWaitRequiredError,
} from '../../lambda/onelogin/onelogin-errors.ts';
import { json, resourceRequests, startFakeServer, withToken } from './fake-server.ts';
import { createVirtualClock } from './virtual-clock.ts';

const credentials = { clientId: 'dir-client', clientSecret: 'dir-secret-1q2w3e' };
const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function directoryOver(
  options: Partial<EmulatorOptions> = {},
  clientOptions: Partial<OneLoginClientOptions> = {},
): Promise<{ emulator: OneLoginEmulator; client: OneLoginClient; directory: OneLoginUserDirectory }> {
  const emulator = await createOneLoginEmulator({ ...credentials, tenant: { seed: 21, count: 250 }, ...options });
  opened.push(emulator);
  const client = new OneLoginClient({
    apiUrl: emulator.url,
    credentials,
    retryBaseMs: 1,
    retryCapMs: 5,
    ...clientOptions,
  });
  opened.push(client);
  return { emulator, client, directory: new OneLoginUserDirectory(client) };
}

describe('lookups', () => {
  test('countUsers reads Total-Count from one listing call', async () => {
    const { directory } = await directoryOver();
    expect(await directory.countUsers()).toBe(250);
    expect(directory.callCounts().list).toBe(1);
  });

  test('countUsers learns the page size the server grants from the same single call', async () => {
    const clamped = await directoryOver({ maxPageSize: 40 });
    expect(await clamped.directory.countUsers()).toBe(250);
    expect(clamped.directory.pageSize).toBe(40);
    const roomy = await directoryOver({ maxPageSize: 1000 });
    expect(await roomy.directory.countUsers()).toBe(250);
    expect(roomy.directory.pageSize).toBe(250);
    expect(roomy.directory.callCounts().list).toBe(1);
  });

  test('countUsers counts by listing when Total-Count is absent', async () => {
    const server = await startFakeServer(
      withToken((req, res) => {
        const query = new URL(req.url ?? '/', 'http://x').searchParams;
        if (query.get('limit') === '1') json(res, 200, [{ id: 1 }], { 'after-cursor': 'c1' });
        else if (query.has('cursor')) json(res, 200, [{ id: 3 }]);
        else json(res, 200, [{ id: 1 }, { id: 2 }], { 'after-cursor': 'c2' });
      }),
    );
    opened.push(server);
    const client = new OneLoginClient({ apiUrl: server.url, credentials });
    opened.push(client);
    expect(await new OneLoginUserDirectory(client).countUsers()).toBe(3);
  });

  test('getUsersByIds batches 100 ids per user_ids lookup and leaves missing ids out', async () => {
    const { emulator, directory } = await directoryOver();
    const existing = emulator.users().map((user) => user.id);
    const missing = [1, 2, 3, 99_999_999];
    const asked = [...existing.slice(0, 230), ...missing, existing[0]!];
    const found = await directory.getUsersByIds(asked);
    expect(found.map((user) => user.id).sort((a, b) => a - b)).toEqual(existing.slice(0, 230));
    expect(directory.idBatchSize).toBe(100);
    expect(directory.callCounts().list).toBe(3);
    const first = emulator.users()[0]!;
    expect(found.find((user) => user.id === first.id)).toEqual({
      id: first.id,
      username: first.username,
      email: first.email,
      name: [first.firstname, first.lastname].filter((part) => part !== null).join(' ') || null,
      status: first.status,
      lastLogin: first.last_login ?? null,
      directory_id: first.directory_id ?? null,
    });
  });

  test('findUsers returns every candidate, across pages', async () => {
    const { emulator, directory } = await directoryOver({ defaultPageSize: 10, maxPageSize: 10 });
    const sample = emulator.users()[5]!;
    expect((await directory.findUsers('email', sample.email!)).map((user) => user.id)).toContain(sample.id);
    expect((await directory.findUsers('username', sample.username!)).map((user) => user.id)).toContain(sample.id);
    const wildcard = await directory.findUsers('email', '*@example.com');
    expect(wildcard.length).toBe(
      emulator.users().filter((user) => user.email?.toLowerCase().endsWith('@example.com')).length,
    );
    expect(wildcard.length).toBeGreaterThan(10);
    expect(await directory.findUsers('email', 'nobody-at-all@nowhere.test')).toEqual([]);
  });

  test('listAllUsers asks for 1000 per page and learns the page size the server really returns', async () => {
    const { emulator, directory } = await directoryOver({ maxPageSize: 100 });
    expect(directory.pageSize).toBe(100);
    const ids: number[] = [];
    let pages = 0;
    for await (const page of directory.listAllUsers()) {
      pages += 1;
      expect(page.totalCount).toBe(250);
      ids.push(...page.users.map((user) => user.id));
    }
    expect(pages).toBe(3);
    expect(ids).toEqual(emulator.users().map((user) => user.id));
    expect(directory.pageSize).toBe(100);
  });

  test('listAllUsers hands out each page cursor and resumes a listing from one, sending the cursor alone', async () => {
    const { emulator, directory } = await directoryOver({ maxPageSize: 100 });
    const first = directory.listAllUsers()[Symbol.asyncIterator]();
    const page1 = await first.next();
    expect(page1.done).toBe(false);
    const cursor = page1.value?.nextCursor;
    expect(cursor).toBeTruthy();
    await first.return?.();

    const rest: number[] = [];
    let last: string | undefined = 'unset';
    for await (const page of directory.listAllUsers(cursor)) {
      rest.push(...page.users.map((user) => user.id));
      last = page.nextCursor;
    }
    expect(last).toBeUndefined();
    const firstIds = page1.done ? [] : page1.value.users.map((user) => user.id);
    expect([...firstIds, ...rest]).toEqual(emulator.users().map((user) => user.id));
  });

  test('listAllUsers records a clamped page size smaller than its estimate', async () => {
    const { directory } = await directoryOver({ maxPageSize: 40 });
    let pages = 0;
    for await (const _page of directory.listAllUsers()) pages += 1;
    expect(pages).toBe(7);
    expect(directory.pageSize).toBe(40);
  });

  test('listAllUsers sends limit=1000 on its first request', async () => {
    const server = await startFakeServer(
      withToken((_req, res) => json(res, 200, [{ id: 4, username: null, email: 'a@b.c' }])),
    );
    opened.push(server);
    const client = new OneLoginClient({ apiUrl: server.url, credentials });
    opened.push(client);
    for await (const page of new OneLoginUserDirectory(client).listAllUsers())
      expect(page.users).toEqual([{ id: 4, username: null, email: 'a@b.c' }]);
    const [request] = resourceRequests(server);
    expect(new URL(request!.url, server.url).searchParams.get('limit')).toBe('1000');
  });
});

describe('deletion and errors', () => {
  test('deleteUser: deleted, then absent', async () => {
    const { emulator, directory } = await directoryOver();
    const id = emulator.users()[3]!.id;
    expect(await directory.deleteUser(id)).toBe('deleted');
    expect(await directory.deleteUser(id)).toBe('absent');
    expect(directory.callCounts().delete).toBe(2);
  });

  test('credentials revoked mid-run: DirectoryUnavailableError', async () => {
    const { emulator, directory } = await directoryOver({ invalidateTokenEvery: 2 });
    const [a, b, c] = emulator.users();
    await directory.deleteUser(a!.id);
    await directory.deleteUser(b!.id);
    emulator.revokeCredentials();
    const error = await directory.deleteUser(c!.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DirectoryUnavailableError);
    expect((error as DirectoryUnavailableError).code).toBe('credentials-refused');
    expect((error as DirectoryUnavailableError).cause).toBeInstanceOf(OneLoginCredentialsError);
    expect(emulator.users().map((user) => user.id)).toContain(c!.id);
  });

  test('a call failing after its retries: DirectoryCallError with the reason', async () => {
    const { emulator, directory } = await directoryOver({ faults: { seed: 2, error5xxRate: 1 } }, { maxAttempts: 2 });
    const error = await directory.deleteUser(emulator.users()[0]!.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DirectoryCallError);
    expect((error as DirectoryCallError).reason).toMatch(/^http-50[0-4]$/);
    const cause = (error as DirectoryCallError).cause;
    expect(cause).toBeInstanceOf(OneLoginError);
    expect((cause as OneLoginError).reason).toBe((error as DirectoryCallError).reason);
  });

  test('listing errors are mapped too', async () => {
    const { directory } = await directoryOver({ faults: { seed: 2, resetRate: 1 } }, { maxAttempts: 2 });
    const pages = async (): Promise<void> => {
      for await (const _page of directory.listAllUsers()) {
        // consume
      }
    };
    const error = await pages().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DirectoryCallError);
    expect((error as DirectoryCallError).reason).toBe('network');
  });

  test("the client's wait-required error becomes the engine's WaitRequiredError, the client error kept as its cause", async () => {
    const clock = createVirtualClock();
    const { emulator, directory } = await directoryOver(
      { now: clock.now, rateLimit: { limit: 5, windowSeconds: 3600 } },
      { now: clock.now, sleep: clock.sleep, waitDeadline: () => clock.now() + 60_000 },
    );
    const [first, second] = emulator.users();
    expect(await directory.deleteUser(first!.id)).toBe('deleted');
    // The answer says 4 of 5 left for 3600 s; share 0.8 leaves 3 calls, spread 1200 s apart: past the deadline.
    const error = await directory.deleteUser(second!.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WaitRequiredError);
    expect((error as WaitRequiredError).waitMs).toBe(1_200_000);
    expect((error as WaitRequiredError).cause).toBeInstanceOf(OneLoginWaitRequiredError);
    expect(clock.sleeps).toEqual([]);
    expect(emulator.users().map((user) => user.id)).toContain(second!.id);
  });

  test('a non-loopback http host is a DirectoryUnavailableError-worthy config error', () => {
    expect(() => new OneLoginClient({ apiUrl: 'http://onelogin.example.com', credentials })).toThrow(/loopback/);
  });
});
