// The emulator behind a function URL (lambda/emulator/function-url-handler.ts), driven by the real OneLogin client over
// loopback through a front that builds function URL events: tokens, listing with paging, deletion, the stats route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../lambda/emulator/function-url-handler.ts';
import { createFunctionUrlHandler, STATS_PATH } from '../../lambda/emulator/function-url-handler.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import type { FunctionUrlFront } from './function-url-front.ts';
import { startFunctionUrlFront } from './function-url-front.ts';

const credentials = { clientId: 'integ-client', clientSecret: 'integ-secret-4d1f8b' };
const basic = (secret: string): string =>
  `Basic ${Buffer.from(`${credentials.clientId}:${secret}`).toString('base64')}`;

describe('the OneLogin emulator behind a function URL', () => {
  let running: RunningEmulator;
  let starts = 0;
  let front: FunctionUrlFront;
  let client: OneLoginClient;

  beforeAll(async () => {
    const emulator = await createOneLoginEmulator({
      ...credentials,
      tenant: { seed: 3, count: 120 },
      rateLimit: null,
      host: '127.0.0.1',
      port: 0,
    });
    running = { emulator, credentials };
    const handler = createFunctionUrlHandler(async () => {
      starts += 1;
      return running;
    });
    front = await startFunctionUrlFront(handler);
    client = new OneLoginClient({ apiUrl: front.url, credentials, maxAttempts: 1 });
  });
  afterAll(async () => {
    await client?.close();
    await front?.close();
    await running?.emulator.close();
  });

  it('serves the client: a token, every page of a listing, a user, a deletion', async () => {
    const pages = [];
    for await (const page of client.listUsers({}, 50)) pages.push(page);
    expect(pages.map((page) => page.users.length)).toEqual([50, 50, 20]);
    const first = pages[0]!.users[0]!;
    expect((await client.getUser(first.id))?.id).toBe(first.id);
    expect(await client.deleteUser(first.id)).toBe('deleted');
    expect(await client.deleteUser(first.id)).toBe('absent');
    expect(running.emulator.stats().deletions.map((deletion) => deletion.id)).toEqual([first.id]);
    expect(starts).toBe(1);
  });

  it('rewrites paging links from the loopback address to the URL the caller used', async () => {
    const token = await fetch(`${front.url}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: {
        authorization: `client_id:${credentials.clientId}, client_secret:${credentials.clientSecret}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(token.status).toBe(200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const list = await fetch(`${front.url}/api/2/users?limit=10`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(list.status).toBe(200);
    const link = list.headers.get('link') ?? '';
    expect(link).toContain(`<${front.url}/api/2/users?`);
    expect(link).not.toContain(running.emulator.url);
  });

  it('answers stats only to the client id and secret', async () => {
    const refused = await fetch(`${front.url}${STATS_PATH}`, { headers: { authorization: basic('wrong') } });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toBe('');
    const answer = await fetch(`${front.url}${STATS_PATH}`, {
      headers: { authorization: basic(credentials.clientSecret) },
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { stats: { deletions: unknown[] }; userCount: number };
    expect(body.userCount).toBe(running.emulator.users().length);
    expect(body.stats.deletions).toHaveLength(running.emulator.stats().deletions.length);
  });
});
