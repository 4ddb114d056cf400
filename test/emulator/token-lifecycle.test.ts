import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import {
  bearer,
  CLIENT_ID,
  CLIENT_SECRET,
  call,
  credentialHeader,
  fetchToken,
  JSON_GRANT,
  makeUser,
} from './emulator-test-client.ts';

describe('token lifecycle', () => {
  let emulator: OneLoginEmulator | undefined;
  let clock = 5_000_000;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  async function start(overrides: Partial<EmulatorOptions> = {}): Promise<OneLoginEmulator> {
    clock = 5_000_000;
    emulator = await createOneLoginEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      users: [makeUser(1, 'owner', 'owner@x.com'), makeUser(2, 'b', 'b@x.com')],
      now: () => clock,
      ...overrides,
    });
    return emulator;
  }

  it('expires a token after tokenTtlSeconds; the next token request issues a new one', async () => {
    const emulator = await start({ tokenTtlSeconds: 100 });
    const token = await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    clock += 99_000;
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: bearer(token) })).status).toBe(200);
    expect(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET)).toBe(token);
    clock += 1_000;
    const expired = await call(`${emulator.url}/api/2/users/1`, { headers: bearer(token) });
    expect(expired.status).toBe(401);
    expect(expired.json()).toEqual({ message: 'Unauthorized', name: 'UnauthorizedError', statusCode: 401 });
    const renewed = await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    expect(renewed).not.toBe(token);
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: bearer(renewed) })).status).toBe(200);
    expect(emulator.stats().tokensIssued).toBe(2);
  });

  it('reports the remaining lifetime in expires_in when handing back the same token', async () => {
    const emulator = await start({ tokenTtlSeconds: 100 });
    await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    clock += 40_000;
    const answer = await call(`${emulator.url}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON_GRANT,
    });
    expect((answer.json() as { expires_in: number }).expires_in).toBe(60);
  });

  it('invalidates the token after every N resource calls', async () => {
    const emulator = await start({ invalidateTokenEvery: 2 });
    const first = await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: bearer(first) })).status).toBe(200);
    expect((await call(`${emulator.url}/api/2/users/2`, { headers: bearer(first) })).status).toBe(200);
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: bearer(first) })).status).toBe(401);
    const second = await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    expect(second).not.toBe(first);
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: bearer(second) })).status).toBe(200);
  });

  it('revokeCredentials makes the token endpoint answer 401 and every token invalid', async () => {
    const emulator = await start();
    const token = await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    emulator.revokeCredentials();
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: bearer(token) })).status).toBe(401);
    const refused = await call(`${emulator.url}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON_GRANT,
    });
    expect(refused.status).toBe(401);
  });

  it('answers 500 on the token endpoint once the credential owner is deleted', async () => {
    const emulator = await start({ credentialOwnerId: 1 });
    const token = await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    expect((await call(`${emulator.url}/api/2/users/2`, { method: 'DELETE', headers: bearer(token) })).status).toBe(
      204,
    );
    expect(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET)).toBe(token);
    expect((await call(`${emulator.url}/api/2/users/1`, { method: 'DELETE', headers: bearer(token) })).status).toBe(
      204,
    );
    const broken = await call(`${emulator.url}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON_GRANT,
    });
    expect(broken.status).toBe(500);
  });

  it('revokes one token at /auth/oauth2/revoke', async () => {
    const emulator = await start();
    const token = await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET);
    const revoked = await call(`${emulator.url}/auth/oauth2/revoke`, {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON.stringify({ access_token: token }),
    });
    expect(revoked.status).toBe(200);
    expect((await call(`${emulator.url}/api/2/users/1`, { headers: bearer(token) })).status).toBe(401);
    expect(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET)).not.toBe(token);
  });
});
