// Whatever goes wrong, no error carries the client secret, the client id, the Basic header or a token.
import { inspect } from 'node:util';
import { afterEach, expect, test } from 'vitest';
import { toDirectoryError } from '../../lambda/adapters/onelogin-user-directory.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import type { FakeServer, Responder } from './fake-server.ts';
import { json, startFakeServer, TEST_TOKEN, withToken } from './fake-server.ts';

const clientId = 'client-id-7Hq2Lk9Zp';
const clientSecret = 'S3cr3t-value-9x8y7z6w5v';
const basic = Buffer.from(`${clientId}:${clientSecret}`).toString('base64');
const refreshToken = 'ref-77aa';
const forbidden = [clientSecret, clientId, basic, TEST_TOKEN, refreshToken];

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

/** Echoes everything it was sent (headers and body) back in its error body, as a careless server might. */
function echo(status: number, html = false): Responder {
  return (req, res, body) => {
    const everything = `${req.headers.authorization ?? ''} ${body} ${clientSecret}`;
    if (html) {
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(`<html><title>${everything}</title></html>`);
    } else {
      json(res, status, {
        status: {
          error: true,
          code: status,
          type: everything,
          message: { attribute: everything, description: everything },
        },
      });
    }
  };
}

async function errorFrom(
  respond: Responder,
  call: (client: OneLoginClient) => Promise<unknown>,
  timeoutMs = 30_000,
): Promise<unknown> {
  const server: FakeServer = await startFakeServer(respond);
  opened.push(server);
  const client = new OneLoginClient({
    apiUrl: server.url,
    credentials: { clientId, clientSecret },
    maxAttempts: 2,
    retryBaseMs: 1,
    retryCapMs: 2,
    requestTimeoutMs: timeoutMs,
  });
  opened.push(client);
  return call(client).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

test('no error text, stack or serialisation contains a secret or token', async () => {
  const errors: unknown[] = [
    await errorFrom(echo(401), (client) => client.getUser(1)),
    await errorFrom(echo(400, true), (client) => client.deleteUser(1)),
    await errorFrom(echo(500), (client) => client.getUser(1)),
    await errorFrom(withToken(echo(500)), (client) => client.deleteUser(1)),
    await errorFrom(withToken(echo(401)), (client) => client.deleteUser(1)),
    await errorFrom(withToken(echo(403, true)), (client) => client.listUsersPage({ email: 'a@b.c' }, { limit: 1 })),
    await errorFrom(withToken(echo(422)), (client) => client.rateLimitStatus()),
    await errorFrom(
      withToken((_req, res) => {
        res.writeHead(301, { location: `https://elsewhere.example/${TEST_TOKEN}?secret=${clientSecret}` });
        res.end();
      }),
      (client) => client.getUser(1),
    ),
    await errorFrom(
      withToken((req) => req.socket.destroy()),
      (client) => client.deleteUser(1),
    ),
    await errorFrom(
      withToken(() => undefined),
      (client) => client.getUser(1),
      100,
    ),
  ];
  const mapped = errors.map(toDirectoryError);
  for (const error of [...errors, ...mapped]) {
    expect(error).toBeInstanceOf(Error);
    const views = [
      (error as Error).message,
      (error as Error).stack ?? '',
      JSON.stringify(error),
      String(error),
      inspect(error, { depth: 10, showHidden: true }),
    ];
    for (const view of views) for (const secret of forbidden) expect(view).not.toContain(secret);
  }
  // The echoing server did put the secrets into the bodies the client read: the scan above is not vacuous.
  expect((errors[2] as Error).message).toContain('[redacted]');
  expect((errors[3] as Error).message).toContain('[redacted]');
});
