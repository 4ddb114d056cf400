// A loopback HTTP proxy in front of the OneLogin emulator: records every request exactly as the server receives it
// (method, raw path and query), collects every access token the token endpoint hands out (for leak scans), and lets a
// test act when a request passes (e.g. revoke the credentials after the 5th DELETE).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The raw request target (path + query) as it arrived. */
  target: string;
  status?: number;
}

export interface RecordingProxy {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** access_token and refresh_token values seen in token responses. */
  readonly tokens: Set<string>;
  /** Called before a request is forwarded. */
  onRequest?: (request: RecordedRequest) => void;
  /** Answers in place of the server when it returns a status (e.g. a 503 for every DELETE); the server never sees it. */
  answerInstead?: (
    request: RecordedRequest,
  ) => number | { status: number; headers: Record<string, string> } | undefined;
  /** Called once the upstream answer (or its loss) is known. */
  onResponse?: (request: RecordedRequest) => void;
  close(): Promise<void>;
}

export async function startRecordingProxy(upstreamUrl: string): Promise<RecordingProxy> {
  const upstream = new URL(upstreamUrl);
  const requests: RecordedRequest[] = [];
  const tokens = new Set<string>();
  const proxy: RecordingProxy = { url: '', requests, tokens, close: async () => undefined };

  const server = http.createServer((req, res) => {
    const record: RecordedRequest = { method: req.method ?? '', target: req.url ?? '' };
    requests.push(record);
    proxy.onRequest?.(record);
    const instead = proxy.answerInstead?.(record);
    if (instead !== undefined) {
      const { status, headers } = typeof instead === 'number' ? { status: instead, headers: {} } : instead;
      record.status = status;
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(
        JSON.stringify({
          status: { error: true, code: status, type: 'Injected', message: 'injected by the test proxy' },
        }),
      );
      return;
    }
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        record.status = answer.statusCode;
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          if (record.target.includes('/token')) collectTokens(body.toString('utf8'), tokens);
          proxy.onResponse?.(record);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(body);
        });
        answer.on('error', () => res.destroy());
      },
    );
    // The emulator dropped the connection (reset fault): drop ours too, so the client sees the same thing.
    forward.on('error', () => {
      proxy.onResponse?.(record);
      res.destroy();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
  return proxy;
}

function collectTokens(text: string, into: Set<string>): void {
  for (const match of text.matchAll(/"(?:access_token|refresh_token)"\s*:\s*"([^"]+)"/g))
    if (match[1]) into.add(match[1]);
}
