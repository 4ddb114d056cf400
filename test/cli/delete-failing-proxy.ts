// A loopback proxy in front of the emulator that answers every DELETE with a 500 and passes everything else through:
// lookups succeed and deletions fail, which is how a run ends with some rows `failed` (exit status 1).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DeleteFailingProxy {
  url: string;
  deletesRefused(): number;
  close(): Promise<void>;
}

export async function startDeleteFailingProxy(targetUrl: string): Promise<DeleteFailingProxy> {
  const target = new URL(targetUrl);
  let refused = 0;
  const server = http.createServer((req, res) => {
    if (req.method === 'DELETE') {
      refused += 1;
      req.resume();
      const body = JSON.stringify({
        statusCode: 500,
        name: 'InternalServerError',
        message: 'injected by the test proxy',
      });
      res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    deletesRefused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
