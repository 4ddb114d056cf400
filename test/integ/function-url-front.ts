// A loopback HTTP server that hands each request to a Lambda function URL handler as a payload 2.0 event, the way
// the function URL service does (lower-case headers, raw path and query, base64 bodies), and answers with its result.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';

export interface FunctionUrlFront {
  readonly url: string;
  close(): Promise<void>;
}

async function eventOf(req: IncomingMessage, domainName: string): Promise<LambdaFunctionURLEvent> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = new URL(req.url ?? '/', 'http://front.invalid');
  const headers: Record<string, string> = { 'x-forwarded-proto': 'http' };
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  const method = req.method ?? 'GET';
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    isBase64Encoded: chunks.length > 0,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'front',
      domainName,
      domainPrefix: 'front',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: 'front',
      routeKey: '$default',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  } as LambdaFunctionURLEvent;
  if (chunks.length > 0) event.body = Buffer.concat(chunks).toString('base64');
  return event;
}

export async function startFunctionUrlFront(
  handler: (event: LambdaFunctionURLEvent) => Promise<LambdaFunctionURLResult>,
): Promise<FunctionUrlFront> {
  let domainName = '';
  const server = createServer((req, res) => {
    eventOf(req, domainName)
      .then(handler)
      .then((result) => {
        const answer = typeof result === 'string' ? { statusCode: 200, body: result } : result;
        res.writeHead(answer.statusCode ?? 200, (answer.headers ?? {}) as Record<string, string>);
        res.end(answer.body ?? '');
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  domainName = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `http://${domainName}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
