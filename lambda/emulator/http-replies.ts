// Writing answers and reading request bodies, in the shapes OneLogin sends them.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type Headers = Record<string, string>;

const MAX_BODY_BYTES = 64 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string, headers: Headers = {}): void {
  res.writeHead(status, { ...headers, 'content-type': 'text/html', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

export function sendNoContent(res: ServerResponse, headers: Headers): void {
  res.writeHead(204, headers);
  res.end();
}

const SERVER_ERROR_NAMES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** A gateway-style 5xx: an HTML page or a v2-style JSON body. */
export function send5xx(res: ServerResponse, status: number, html: boolean): void {
  const name = SERVER_ERROR_NAMES[status] ?? 'Server Error';
  if (html)
    sendHtml(res, status, `<html><head><title>${status} ${name}</title></head><body><h1>${name}</h1></body></html>`);
  // No recorded OneLogin 5xx has a JSON body: this one follows the OpenAPI document's `Error` schema.
  else sendJson(res, status, { error: true, code: status, type: name, message: name });
}

/** The body as text; bytes past the cap are dropped (no route needs more). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parsed JSON, or undefined for an empty or malformed body. */
export function parseJsonBody(body: string): unknown {
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
