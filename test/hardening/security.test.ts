// Security checks end to end: plain http refused for non-loopback hosts (client, CLI, secret), redirects never
// followed (nothing reaches the redirect target), and a hostile server that echoes credentials into its errors cannot
// make the secret, the Basic header or a token appear in anything the CLI prints or writes.
// Related checks kept elsewhere: test/onelogin/no-secrets-in-errors.test.ts (every client error), test/cdk/iam.test.ts
// (each Lambda role's synthesized policy, listed exactly), corpus.test.ts (report.csv formula-safe, URL encoding),
// fault-matrix-pipeline.test.ts (S3 keys with unusual characters), fault-matrix-handlers.test.ts (logs + SNS payloads).

import { readdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../lambda/cli/main.ts';
import { createStepHandler } from '../../lambda/handlers/step-handler.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  credentialEnv,
  makeTempDir,
  removeDir,
  startEmulator,
  writeCsv,
} from '../cli/cli-harness.ts';
import {
  contextWith,
  CLIENT_ID as STEP_ID,
  CLIENT_SECRET as STEP_SECRET,
  startStepHarness,
} from '../handlers/step-harness.ts';
import { capturedCliIo, expectNoSecrets, safeStringify } from './capture.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import type { RunReport } from './run-invariants.ts';
import { expectRunInvariants } from './run-invariants.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Recorder {
  url: string;
  hits: Array<{ method: string; url: string; authorization?: string; body: string }>;
}

/** A loopback server answering with `respond`; records what it receives. */
async function startServer(
  respond: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void,
): Promise<Recorder> {
  const hits: Recorder['hits'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      hits.push({
        method: req.method ?? '',
        url: req.url ?? '',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body,
      });
      respond(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

async function cliRun(
  args: string[],
  env: Record<string, string>,
  csv = 'id\n1001\n1002\n',
): Promise<{ code: number; texts: string[]; report: RunReport | undefined }> {
  const dir = await makeTempDir();
  cleanups.push(() => removeDir(dir));
  await writeCsv(dir, 'users.csv', csv);
  const captured = capturedCliIo(dir, env);
  const code = await main(['--file', 'users.csv', '--report-dir', 'out', ...args], captured.io);
  const out = path.join(dir, 'out');
  const files = await readdir(out).catch(() => [] as string[]);
  const texts = [
    captured.stdout(),
    captured.stderr(),
    ...(await Promise.all(files.map((file) => readFile(path.join(out, file), 'utf8')))),
  ];
  const report = files.includes('report.json')
    ? (JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as RunReport)
    : undefined;
  return { code, texts, report };
}

const basic = Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64');

describe('plain http only for loopback hosts', () => {
  const refused = [
    'http://example.com',
    'http://10.0.0.1',
    'http://127.0.0.1.nip.io',
    'http://localhost.evil.example',
    'http://169.254.169.254',
    'ftp://127.0.0.1',
  ];
  const accepted = ['http://127.0.0.1:9', 'http://localhost:9', 'http://[::1]:9', 'https://acme.onelogin.com'];

  it.each(refused)('the client refuses %s before any request', (apiUrl) => {
    expect(
      () => new OneLoginClient({ apiUrl, credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } }),
    ).toThrow();
  });

  it.each(accepted)('the client accepts %s', async (apiUrl) => {
    const client = new OneLoginClient({ apiUrl, credentials: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } });
    await client.close();
  });

  it('the CLI refuses --api-url http://example.com with exit 2, without printing the secret', async () => {
    const { code, texts } = await cliRun(
      ['--dry-run', '--api-url', 'http://example.com', '--client-id', CLIENT_ID, '--client-secret', CLIENT_SECRET],
      {},
    );
    expect(code).toBe(2);
    expect(texts.join('\n')).toMatch(/https|loopback/);
    expectNoSecrets(texts, [CLIENT_SECRET, basic], 'cli http');
  });

  it('a secret whose api_url is plain http to a public host: the run is refused with a report, nothing called', async () => {
    const h = await startStepHarness({ users: 10 });
    cleanups.push(() => h.close());
    h.setSecret(
      JSON.stringify({ client_id: STEP_ID, client_secret: STEP_SECRET, api_url: 'http://onelogin.example.com' }),
    );
    const ids = h.emulator
      .users()
      .slice(0, 3)
      .map((user) => user.id);
    const job = h.job('live/http-secret.csv', `id\n${ids.join('\n')}\n`);
    let output = await createStepHandler(h.deps)(job, contextWith(900_000));
    for (let i = 0; i < 10 && !output.done; i += 1)
      output = await createStepHandler(h.deps)(output, contextWith(900_000));
    expect(output.status).toBe('rejected');
    const report = expectRunInvariants({
      report: h.bucket.json<RunReport>(`${job.reportPrefix}report.json`),
      dataRows: 3,
      deletions: h.emulator.stats().deletions,
      plan: new Set(),
      mode: 'live',
      label: 'http secret',
    });
    expect(report.error?.code).toBe('host-invalid');
    expect(h.emulator.stats().calls).toMatchObject({ token: 0, get: 0, list: 0, delete: 0 });
    expectNoSecrets(
      [
        ...h.lines.map((line) => `${line.message} ${safeStringify(line.fields)}`),
        ...h.notifications.map(safeStringify),
        ...[...h.bucket.objects.values()].map((body) => body.toString()),
      ],
      [STEP_SECRET],
      'http secret',
    );
  });
});

describe('redirects are never followed', () => {
  it('a token endpoint that redirects elsewhere: refused, the target never hears from the client (exit 2)', async () => {
    const target = await startServer((_req, res) => res.end('{}'));
    const redirecting = await startServer((req, res) => {
      res.writeHead(307, { location: `${target.url}${req.url ?? ''}` });
      res.end();
    });
    const { code, texts, report } = await cliRun(['--dry-run'], {
      ...credentialEnv(),
      ONELOGIN_API_URL: redirecting.url,
    });
    expect(redirecting.hits.length).toBeGreaterThan(0);
    expect(target.hits).toEqual([]);
    expect(code).toBe(2);
    expect(report?.error?.code).toBe('redirect');
    expectNoSecrets(texts, [CLIENT_SECRET, basic], 'token redirect');
  });

  it('a users call that redirects (after a valid token): refused, the bearer token never reaches the target', async () => {
    const emulator = await startEmulator({ tenant: { seed: 3, count: 20 } });
    cleanups.push(() => emulator.close());
    const proxy = await startRecordingProxy(emulator.url);
    cleanups.push(() => proxy.close());
    const target = await startServer((_req, res) => res.end('{"data":[]}'));
    proxy.answerInstead = (request) =>
      request.target.startsWith('/api/2/users')
        ? { status: 302, headers: { location: `${target.url}/api/2/users` } }
        : undefined;
    const ids = emulator
      .users()
      .slice(0, 2)
      .map((user) => user.id);
    const { code, texts, report } = await cliRun(
      ['--live', '--yes', '--max-percent', '100'],
      { ...credentialEnv(), ONELOGIN_API_URL: proxy.url },
      `id\n${ids.join('\n')}\n`,
    );
    expect(target.hits).toEqual([]);
    expect(emulator.stats().deletions).toEqual([]);
    expect(code).toBe(2);
    expect(report?.error?.code).toBe('redirect');
    expectNoSecrets(texts, [CLIENT_SECRET, basic, ...proxy.tokens], 'users redirect');
    expect(proxy.tokens.size).toBeGreaterThan(0);
  });
});

describe('a hostile server echoing credentials into its errors', () => {
  it('token endpoint answers 401 with the Basic header and the request body echoed: nothing leaks (exit 2)', async () => {
    const server = await startServer((req, res, body) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: {
            error: true,
            code: 401,
            type: `Unauthorized ${req.headers.authorization ?? ''}`,
            message: `bad ${body} ${CLIENT_SECRET}`,
          },
        }),
      );
    });
    const { code, texts } = await cliRun(['--dry-run'], { ...credentialEnv(), ONELOGIN_API_URL: server.url });
    expect(server.hits.length).toBeGreaterThan(0);
    expect(code).toBe(2);
    expectNoSecrets(texts, [CLIENT_SECRET, basic], 'echoing token endpoint');
  });

  it('users calls answer 400/500 echoing the bearer token: nothing leaks', async () => {
    const token = 'tok-9f8e7d6c5b4a-hostile';
    const server = await startServer((req, res) => {
      if ((req.url ?? '').includes('/token')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            access_token: token,
            refresh_token: 'refresh-1a2b3c4d5e',
            token_type: 'bearer',
            expires_in: 36000,
          }),
        );
        return;
      }
      const status = (req.url ?? '').includes('limit=1') ? 500 : 400;
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(`<html><title>${req.headers.authorization ?? ''}</title><body>${token} ${req.url ?? ''}</body></html>`);
    });
    const { texts } = await cliRun(['--dry-run', '--max-attempts', '1'], {
      ...credentialEnv(),
      ONELOGIN_API_URL: server.url,
    });
    expect(server.hits.some((hit) => hit.authorization === `Bearer ${token}`)).toBe(true);
    expectNoSecrets(texts, [CLIENT_SECRET, basic, token, 'refresh-1a2b3c4d5e'], 'echoing users endpoint');
  });
});
