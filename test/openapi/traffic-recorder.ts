// A loopback proxy that keeps every exchange whole (request headers and body, answer status, headers and body), so
// that a test can check the client's requests and the emulator's answers against the OpenAPI document.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Exchange } from './traffic-check.ts';

export interface TrafficRecorder {
  readonly url: string;
  readonly exchanges: Exchange[];
  close(): Promise<void>;
}

export async function startTrafficRecorder(upstreamUrl: string): Promise<TrafficRecorder> {
  const upstream = new URL(upstreamUrl);
  const exchanges: Exchange[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks);
      const forward = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const responseBody = Buffer.concat(answerChunks);
            exchanges.push({
              method: req.method ?? '',
              target: req.url ?? '',
              requestHeaders: req.headers,
              requestBody: requestBody.toString('utf8'),
              status: answer.statusCode ?? 0,
              responseHeaders: answer.headers,
              responseBody: responseBody.toString('utf8'),
            });
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(responseBody);
          });
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
