// Small loopback HTTP helpers for the emulator self-tests.
import { request } from 'undici';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: () => unknown;
}

export async function call(
  url: string,
  options: { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const response = await request(url, {
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const text = await response.body.text();
  return { status: response.statusCode, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}

export const JSON_GRANT = JSON.stringify({ grant_type: 'client_credentials' });

export function credentialHeader(clientId: string, clientSecret: string): Record<string, string> {
  return { authorization: `client_id:${clientId}, client_secret:${clientSecret}`, 'content-type': 'application/json' };
}

export async function fetchToken(baseUrl: string, clientId: string, clientSecret: string): Promise<string> {
  const answer = await call(`${baseUrl}/auth/oauth2/v2/token`, {
    method: 'POST',
    headers: credentialHeader(clientId, clientSecret),
    body: JSON_GRANT,
  });
  if (answer.status !== 200) throw new Error(`token request answered ${answer.status}`);
  return (answer.json() as { access_token: string }).access_token;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `bearer ${token}` };
}

export function header(answer: Answer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

import type { EmulatorUser } from '../../lambda/emulator/emulator-types.ts';

export function makeUser(
  id: number,
  username: string | null,
  email: string | null,
  firstname: string | null = null,
  lastname: string | null = null,
): EmulatorUser {
  return {
    id,
    username,
    email,
    firstname,
    lastname,
    status: 1,
    state: 1,
    created_at: '2020-01-02T03:04:05.678Z',
    updated_at: '2021-01-02T03:04:05.678Z',
  };
}

export const CLIENT_ID = 'test-client-id';
export const CLIENT_SECRET = 'test-client-secret';
