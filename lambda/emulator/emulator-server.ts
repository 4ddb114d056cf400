// The emulator's HTTP server: tracks requests in flight, splits token, resource and unknown paths, listens on loopback.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorState } from './emulator-state.ts';
import { DOCUMENTED_NO_ROUTE, V1_NO_ROUTE, v1Status } from './error-bodies.ts';
import { sendJson } from './http-replies.ts';
import { handleResource } from './resource-request.ts';
import { handleRevoke, handleToken } from './token-routes.ts';

async function handle(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // Yield once so that requests arriving together are in flight together (maxInFlight then
  // reflects the client's concurrency rather than the synchronous handler).
  await new Promise<void>((resolve) => setImmediate(resolve));
  const url = new URL(req.url ?? '/', state.url);
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const method = req.method ?? 'GET';
  if (state.options.noRoute === 'everything') {
    req.resume();
    state.stats.calls.other += 1;
    sendJson(res, 404, DOCUMENTED_NO_ROUTE);
  } else if (path === '/auth/oauth2/v2/token' || path === '/auth/oauth2/token') {
    if (method === 'POST') await handleToken(state, req, res, path === '/auth/oauth2/token');
    else {
      req.resume();
      sendJson(res, 404, V1_NO_ROUTE);
    }
  } else if (path === '/auth/oauth2/revoke' && method === 'POST') {
    await handleRevoke(state, req, res);
  } else if (path.startsWith('/api/') || path === '/auth/rate_limit') {
    await handleResource(state, req, res, url, path);
  } else {
    req.resume();
    state.stats.calls.other += 1;
    sendJson(res, 404, V1_NO_ROUTE);
  }
}

function trackInFlight(state: EmulatorState, res: ServerResponse): void {
  state.inFlight += 1;
  if (state.inFlight > state.stats.maxInFlight) state.stats.maxInFlight = state.inFlight;
  let finished = false;
  const done = (): void => {
    if (finished) return;
    finished = true;
    state.inFlight -= 1;
  };
  res.on('close', done);
  res.on('finish', done);
}

/** Starts listening and sets state.url; resolves once the port is bound. */
export async function startEmulatorServer(state: EmulatorState, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    trackInFlight(state, res);
    handle(state, req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, v1Status(500, 'Internal Server Error', 'Emulator error'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  state.url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  return server;
}
