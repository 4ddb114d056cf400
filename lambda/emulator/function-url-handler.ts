// The OneLogin emulator behind a Lambda function URL, for the real-AWS integration test (test/integ): each instance
// starts the emulator on its own loopback port and forwards every function URL request to it unchanged. Credentials
// come from the same Secrets Manager secret the stack's handlers read, so that only the test script ever sets them.
// GET /__emulator/stats (HTTP Basic with the client id and secret) answers the emulator's stats and user count.
import { timingSafeEqual } from 'node:crypto';
import { request } from 'node:http';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import type { OneLoginEmulator } from './emulator-types.ts';
import { createOneLoginEmulator } from './onelogin-emulator.ts';

export const STATS_PATH = '/__emulator/stats';
export const EMULATOR_ENV = {
  secretId: 'EMULATOR_SECRET_ID',
  tenantSeed: 'EMULATOR_TENANT_SEED',
  tenantCount: 'EMULATOR_TENANT_COUNT',
} as const;

export interface EmulatorCredentials {
  clientId: string;
  clientSecret: string;
}

export interface RunningEmulator {
  emulator: OneLoginEmulator;
  credentials: EmulatorCredentials;
}

interface ForwardedAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function forward(emulator: OneLoginEmulator, event: LambdaFunctionURLEvent): Promise<ForwardedAnswer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (value !== undefined && !['host', 'content-length', 'connection'].includes(name.toLowerCase()))
      headers[name] = value;
  const body =
    event.body === undefined ? undefined : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  if (body !== undefined) headers['content-length'] = String(body.length);
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  return new Promise((resolve, reject) => {
    const outgoing = request(
      new URL(`${event.rawPath}${query}`, emulator.url),
      { method: event.requestContext.http.method, headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(answer.headers))
            if (value !== undefined && !['connection', 'keep-alive', 'transfer-encoding'].includes(name))
              flat[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve({ status: answer.statusCode ?? 502, headers: flat, body: Buffer.concat(chunks).toString('utf8') });
        });
        answer.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function statsAnswer(running: RunningEmulator, event: LambdaFunctionURLEvent): LambdaFunctionURLResult {
  const authorization = event.headers?.authorization ?? '';
  const { clientId, clientSecret } = running.credentials;
  const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  if (!sameText(authorization, expected)) return { statusCode: 401, body: '' };
  const body = { stats: running.emulator.stats(), userCount: running.emulator.users().length };
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A function URL handler over an emulator started once per instance by `start`. */
export function createFunctionUrlHandler(
  start: () => Promise<RunningEmulator>,
): (event: LambdaFunctionURLEvent) => Promise<LambdaFunctionURLResult> {
  let running: Promise<RunningEmulator> | undefined;
  return async (event) => {
    running ??= start().catch((error: unknown) => {
      running = undefined;
      throw error;
    });
    const ready = await running;
    if (event.requestContext.http.method === 'GET' && event.rawPath === STATS_PATH) return statsAnswer(ready, event);
    let answer: ForwardedAnswer;
    try {
      answer = await forward(ready.emulator, event);
    } catch {
      return { statusCode: 502, body: '' };
    }
    // Paging links name the loopback address; the caller knows the emulator by the function URL.
    const publicOrigin = `${event.headers?.['x-forwarded-proto'] ?? 'https'}://${event.requestContext.domainName}`;
    const rewrite = (text: string): string => text.split(ready.emulator.url).join(publicOrigin);
    const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, rewrite(value)]));
    delete headers['content-length'];
    return { statusCode: answer.status, headers, body: rewrite(answer.body) };
  };
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new Error(`environment variable ${name} must be a non-negative integer`);
  return Number(raw);
}

/** Reads client_id and client_secret from the secret (never logged), then starts the emulator with the env's tenant. */
export async function startFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<RunningEmulator> {
  const secretId = env[EMULATOR_ENV.secretId];
  if (secretId === undefined || secretId === '')
    throw new Error(`environment variable ${EMULATOR_ENV.secretId} is not set`);
  const answer = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  const fields = JSON.parse(answer.SecretString ?? '{}') as { client_id?: unknown; client_secret?: unknown };
  if (typeof fields.client_id !== 'string' || typeof fields.client_secret !== 'string' || fields.client_secret === '')
    throw new Error('the emulator secret has no client_id and client_secret yet');
  const credentials = { clientId: fields.client_id, clientSecret: fields.client_secret };
  const emulator = await createOneLoginEmulator({
    ...credentials,
    tenant: {
      seed: positiveInteger(env, EMULATOR_ENV.tenantSeed, 42),
      count: positiveInteger(env, EMULATOR_ENV.tenantCount, 2000),
    },
    rateLimit: null,
    host: '127.0.0.1',
    port: 0,
  });
  return { emulator, credentials };
}

export const handler = createFunctionUrlHandler(() => startFromEnvironment());
