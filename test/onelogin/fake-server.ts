// A scripted loopback HTTP server for behaviours the emulator cannot produce (redirects, Retry-After, odd bodies).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

export type Responder = (req: IncomingMessage, res: ServerResponse, body: string, index: number) => void;

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(respond: Responder): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      respond(req, res, body, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const TEST_TOKEN = 'tok-4f1d9c8e7b6a5d4c3b2a1f0e9d8c7b6a';

/** Answers the token endpoint with TEST_TOKEN; everything else goes to `resource`. */
export function withToken(resource: Responder): Responder {
  let resourceIndex = 0;
  return (req, res, body, index) => {
    if (req.url?.startsWith('/auth/oauth2/v2/token')) {
      json(res, 200, { access_token: TEST_TOKEN, expires_in: 36000, token_type: 'Bearer', refresh_token: 'ref-77aa' });
      return;
    }
    resource(req, res, body, resourceIndex);
    resourceIndex += 1;
    void index;
  };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(text);
}

export function resourceRequests(server: FakeServer): RecordedRequest[] {
  return server.requests.filter((request) => !request.url.startsWith('/auth/oauth2'));
}
