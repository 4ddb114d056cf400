import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  call,
  credentialHeader,
  header,
  JSON_GRANT,
  makeUser,
} from './emulator-test-client.ts';

describe('token endpoint', () => {
  let emulator: OneLoginEmulator;
  beforeEach(async () => {
    emulator = await createOneLoginEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      users: [makeUser(1, 'a', 'a@x.com')],
    });
  });
  afterEach(async () => {
    await emulator.close();
  });

  const tokenUrl = (): string => `${emulator.url}/auth/oauth2/v2/token`;

  it('accepts the client_id/client_secret header with and without the space', async () => {
    for (const authorization of [
      `client_id:${CLIENT_ID}, client_secret:${CLIENT_SECRET}`,
      `client_id:${CLIENT_ID},client_secret:${CLIENT_SECRET}`,
    ]) {
      const answer = await call(tokenUrl(), {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON_GRANT,
      });
      expect(answer.status).toBe(200);
    }
  });

  it('answers like the real capture: bearer token, 36000 s, account id, ISO created_at', async () => {
    const answer = await call(tokenUrl(), {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON_GRANT,
    });
    expect(header(answer, 'content-type')).toBe('application/json; charset=utf-8');
    const body = answer.json() as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      ['access_token', 'account_id', 'created_at', 'expires_in', 'refresh_token', 'token_type'].sort(),
    );
    expect(body.token_type).toBe('bearer');
    expect(body.expires_in).toBe(36000);
    expect(typeof body.account_id).toBe('number');
    expect(body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(typeof body.access_token).toBe('string');
    expect(body.access_token).not.toBe(body.refresh_token);
  });

  it('accepts HTTP Basic', async () => {
    const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');
    const answer = await call(tokenUrl(), {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
      body: JSON_GRANT,
    });
    expect(answer.status).toBe(200);
  });

  it('accepts credentials in a form body on v2', async () => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    const answer = await call(tokenUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    expect(answer.status).toBe(200);
  });

  it('rejects bad credentials with the real 401 body', async () => {
    for (const headers of [
      credentialHeader(CLIENT_ID, 'wrong'),
      credentialHeader('wrong', CLIENT_SECRET),
      { 'content-type': 'application/json' },
    ]) {
      const answer = await call(tokenUrl(), { method: 'POST', headers, body: JSON_GRANT });
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({
        status: { error: true, code: 401, type: 'Unauthorized', message: 'Authentication Failure' },
      });
    }
  });

  it('rejects a wrong or absent grant_type with 400', async () => {
    for (const body of [JSON.stringify({ grant_type: 'password' }), '{}', 'not json']) {
      const answer = await call(tokenUrl(), {
        method: 'POST',
        headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
        body,
      });
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual({
        status: { error: true, code: 400, type: 'bad request', message: 'grant_type is incorrect/absent' },
      });
    }
  });

  it('returns the same token for the same credentials until it is invalidated (v2)', async () => {
    const first = await call(tokenUrl(), {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON_GRANT,
    });
    const second = await call(tokenUrl(), {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON_GRANT,
    });
    expect((second.json() as { access_token: string }).access_token).toBe(
      (first.json() as { access_token: string }).access_token,
    );
    expect(emulator.stats().tokensIssued).toBe(1);
    expect(emulator.stats().calls.token).toBe(2);
  });

  it('wraps the v1 legacy token in {status, data:[…]} and replaces the previous token', async () => {
    const answer = await call(`${emulator.url}/auth/oauth2/token`, {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON_GRANT,
    });
    expect(answer.status).toBe(200);
    const body = answer.json() as { status: unknown; data: Array<{ access_token: string; token_type: string }> };
    expect(body.status).toEqual({ error: false, code: 200, type: 'success', message: 'Success' });
    expect(body.data).toHaveLength(1);
    expect(body.data[0]?.token_type).toBe('bearer');
    const again = await call(`${emulator.url}/auth/oauth2/token`, {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON_GRANT,
    });
    const next = again.json() as { data: Array<{ access_token: string }> };
    expect(next.data[0]?.access_token).not.toBe(body.data[0]?.access_token);
  });

  it('does not take form-body credentials on the v1 legacy endpoint', async () => {
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    const answer = await call(`${emulator.url}/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
    expect(answer.status).toBe(401);
  });

  it('answers 404 No Route Exists for a GET on the token endpoint', async () => {
    const answer = await call(tokenUrl());
    expect(answer.status).toBe(404);
    expect(answer.json()).toEqual({
      status: { error: true, code: 404, type: 'not found', message: 'No Route Exists' },
    });
  });
});
