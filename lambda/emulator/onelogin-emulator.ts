// A loopback OneLogin admin API (tokens, Users v1/v2, rate limit) faithful to
// OneLogin's documented and observed behaviour, with seeded faults, for tests, the demo and benchmarks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessTokens } from './access-tokens.ts';
import type {
  CallKind,
  EmulatorOptions,
  EmulatorStats,
  EmulatorUser,
  FaultConfig,
  OneLoginEmulator,
  RateLimitConfig,
} from './emulator-types.ts';
import { type Fault, FaultPlan } from './fault-plan.ts';
import { type RateLimitDecision, RateLimitWindow } from './rate-limit-window.ts';
import { generateTenant } from './tenant-generator.ts';
import { bearerToken, parseTokenRequest } from './token-request.ts';
import {
  decodeCursor,
  encodeCursor,
  findUserIds,
  type PageRequest,
  parseUserFilter,
  positiveInteger,
  slicePage,
} from './user-search.ts';
import { UserStore } from './user-store.ts';
import { parseFields, projectFields, v1UserView, v2ListItemView, v2UserView } from './user-views.ts';

type Headers = Record<string, string>;

const UNLIMITED_BUDGET = 1_000_000_000;
const SUCCESS_STATUS = { error: false, code: 200, type: 'success', message: 'Success' };
const V2_UNAUTHORIZED = { message: 'Unauthorized', name: 'UnauthorizedError', statusCode: 401 };
const V2_NOT_FOUND = {
  message: 'The resource with the given id could not be found',
  name: 'NotFoundError',
  statusCode: 404,
};
const MAX_BODY_BYTES = 64 * 1024;

function v1Status(code: number, type: string, message: unknown): { status: unknown } {
  return { status: { error: true, code, type, message } };
}
function v2BadRequest(description: string): unknown {
  return { status: 400, error: 'BadRequestError', description };
}

const TOO_MANY_REQUESTS_HTML =
  '<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>';

function emptyStats(): EmulatorStats {
  return {
    calls: { token: 0, get: 0, list: 0, delete: 0, other: 0 },
    rateLimited: 0,
    rateLimitedByWindow: {},
    deletions: [],
    faultsInjected: { error5xx: 0, reset: 0, slow: 0 },
    maxInFlight: 0,
    tokensIssued: 0,
  };
}

interface Route {
  kind: CallKind;
  /** Which error style the route speaks: v1 `status` envelope or v2 `{message,name,statusCode}`. */
  version: 1 | 2;
  handle: (context: RouteContext) => void;
}

interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  headers: Headers;
  userId?: string;
  /** Rate-limit state after counting this call, when the limit is on. */
  rateLimit: RateLimitDecision | undefined;
  /** A deleteThenReset fault: do the work, then drop the connection instead of answering. */
  loseAnswer: boolean;
}

export async function createOneLoginEmulator(options: EmulatorOptions): Promise<OneLoginEmulator> {
  const now = options.now ?? Date.now;
  const store = new UserStore(
    options.users ?? (options.tenant ? generateTenant({ seed: options.tenant.seed, count: options.tenant.count }) : []),
  );
  const tokens = new AccessTokens(options.tokenTtlSeconds ?? 36_000, options.invalidateTokenEvery, now);
  const defaultPageSize = options.defaultPageSize ?? 50;
  const maxPageSize = options.maxPageSize ?? 1000;
  const accountId = options.accountId ?? 189_185;
  let rateLimit = options.rateLimit ? new RateLimitWindow(options.rateLimit, now()) : undefined;
  let faults = options.faults ? new FaultPlan(options.faults) : undefined;
  let revoked = false;
  let credentialOwnerDeleted = false;
  let stats = emptyStats();
  let inFlight = 0;
  const pendingTimers = new Set<NodeJS.Timeout>();

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        resolve();
      }, ms);
      pendingTimers.add(timer);
    });

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  function sendHtml(res: ServerResponse, status: number, html: string): void {
    res.writeHead(status, { 'content-type': 'text/html', 'content-length': Buffer.byteLength(html) });
    res.end(html);
  }

  function send5xx(res: ServerResponse, status: number, html: boolean): void {
    const names: Record<number, string> = {
      500: 'Internal Server Error',
      502: 'Bad Gateway',
      503: 'Service Unavailable',
      504: 'Gateway Timeout',
    };
    const name = names[status] ?? 'Server Error';
    if (html)
      sendHtml(res, status, `<html><head><title>${status} ${name}</title></head><body><h1>${name}</h1></body></html>`);
    else sendJson(res, status, { message: name, name: name.replace(/ /g, ''), statusCode: status });
  }

  function deleteUser(id: number): boolean {
    if (!store.delete(id)) return false;
    stats.deletions.push({ id, at: now() });
    if (options.credentialOwnerId === id) credentialOwnerDeleted = true;
    return true;
  }

  /** Applies a fault decided before the request is served; true when the request was answered or dropped. */
  async function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'error5xx':
        stats.faultsInjected.error5xx += 1;
        send5xx(res, fault.status, fault.html);
        return true;
      case 'reset':
        stats.faultsInjected.reset += 1;
        req.socket.destroy();
        return true;
      case 'slow':
        stats.faultsInjected.slow += 1;
        await delay(fault.delayMs);
        return false;
      default:
        return false;
    }
  }

  // ---- token endpoints -------------------------------------------------------------------------

  async function handleToken(req: IncomingMessage, res: ServerResponse, legacy: boolean): Promise<void> {
    stats.calls.token += 1;
    const body = await readBody(req);
    if (faults?.includesToken && (await applyFault(faults.next(false), req, res))) return;
    const request = parseTokenRequest(req.headers.authorization, req.headers['content-type'], body, !legacy);
    if (request.grantType !== 'client_credentials') {
      sendJson(res, 400, v1Status(400, 'bad request', 'grant_type is incorrect/absent'));
      return;
    }
    if (credentialOwnerDeleted) {
      sendJson(res, 500, v1Status(500, 'Internal Server Error', 'Internal Server Error'));
      return;
    }
    const credentials = request.credentials;
    if (
      revoked ||
      !credentials ||
      credentials.clientId !== options.clientId ||
      credentials.clientSecret !== options.clientSecret
    ) {
      sendJson(res, 401, v1Status(401, 'Unauthorized', 'Authentication Failure'));
      return;
    }
    const before = tokens.issuedCount;
    const token = tokens.issue(legacy);
    stats.tokensIssued += tokens.issuedCount - before;
    const payload = {
      access_token: token.accessToken,
      created_at: new Date(token.createdAt).toISOString(),
      expires_in: Math.max(0, Math.floor((token.expiresAt - now()) / 1000)),
      refresh_token: token.refreshToken,
      token_type: 'bearer',
      account_id: accountId,
    };
    sendJson(res, 200, legacy ? { status: SUCCESS_STATUS, data: [payload] } : payload);
  }

  async function handleRevoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.calls.other += 1;
    const body = await readBody(req);
    const request = parseTokenRequest(req.headers.authorization, 'application/json', body, false);
    const credentials = request.credentials;
    if (!credentials) {
      sendJson(res, 400, v1Status(400, 'bad request', 'The authorization information is missing'));
      return;
    }
    if (revoked || credentials.clientId !== options.clientId || credentials.clientSecret !== options.clientSecret) {
      sendJson(res, 401, v1Status(401, 'Unauthorized', 'Authentication Failure'));
      return;
    }
    let accessToken: unknown;
    try {
      accessToken = (JSON.parse(body) as { access_token?: unknown }).access_token;
    } catch {
      accessToken = undefined;
    }
    if (typeof accessToken !== 'string' || accessToken === '') {
      sendJson(res, 400, v1Status(400, 'bad request', 'Access Token Missing'));
      return;
    }
    tokens.revoke(accessToken);
    sendJson(res, 200, { status: SUCCESS_STATUS });
  }

  // ---- resource routes -------------------------------------------------------------------------

  function parseId(context: RouteContext, version: 1 | 2): number | undefined {
    const id = positiveInteger(context.userId ?? null);
    if (id !== undefined) return id;
    if (version === 2) sendJson(context.res, 400, v2BadRequest('Invalid user id'), context.headers);
    else
      sendJson(
        context.res,
        400,
        v1Status(400, 'bad request', { attribute: 'id', description: 'ID is incorrect' }),
        context.headers,
      );
    return undefined;
  }

  function pageRequest(
    context: RouteContext,
    cursorParameter: string,
    badRequest: (text: string) => void,
  ): PageRequest | undefined {
    const query = context.url.searchParams;
    const cursor = query.get(cursorParameter);
    let page: PageRequest | undefined;
    if (cursor !== null && cursor !== '') {
      if (query.has('limit') || query.has('page')) {
        badRequest('Requests can only have cursor xor pagination arguments');
        return undefined;
      }
      page = decodeCursor(cursor);
      if (!page) {
        badRequest('Invalid pagination cursor');
        return undefined;
      }
    } else {
      const limit = query.has('limit') ? positiveInteger(query.get('limit')) : defaultPageSize;
      const number = query.has('page') ? positiveInteger(query.get('page')) : 1;
      if (limit === undefined || number === undefined) {
        badRequest('Invalid pagination arguments');
        return undefined;
      }
      page = { limit, page: number };
    }
    return { limit: Math.min(page.limit, maxPageSize), page: page.page };
  }

  function listV2(context: RouteContext): void {
    const { res, url, headers } = context;
    const page = pageRequest(context, 'cursor', (text) => sendJson(res, 400, v2BadRequest(text), headers));
    if (!page) return;
    const fields = parseFields(url.searchParams.get('fields'));
    const slice = slicePage(findUserIds(store, parseUserFilter(url.searchParams, 'user_ids')), page);
    const body = slice.ids.map((id) => {
      const user = store.get(id) as EmulatorUser;
      return projectFields(v2ListItemView(user), fields);
    });
    const pageLink = (number: number): string => {
      const linkUrl = new URL(url.pathname, emulatorUrl);
      for (const [key, value] of url.searchParams)
        if (!['cursor', 'limit', 'page'].includes(key)) linkUrl.searchParams.append(key, value);
      linkUrl.searchParams.set('limit', String(page.limit));
      linkUrl.searchParams.set('page', String(number));
      return linkUrl.toString();
    };
    const links = [`<${pageLink(1)}>; rel="first"`];
    const pagingHeaders: Headers = {
      'total-count': String(slice.totalCount),
      'total-pages': String(slice.totalPages),
      'current-page': String(page.page),
      'page-items': String(slice.ids.length),
      cursor: encodeCursor(page),
    };
    if (slice.hasPrevious) {
      pagingHeaders['before-cursor'] = encodeCursor({ limit: page.limit, page: page.page - 1 });
      links.push(`<${pageLink(page.page - 1)}>; rel="prev"`);
    }
    if (slice.hasNext) {
      pagingHeaders['after-cursor'] = encodeCursor({ limit: page.limit, page: page.page + 1 });
      links.push(`<${pageLink(page.page + 1)}>; rel="next"`);
    }
    if (slice.totalPages > 0) links.push(`<${pageLink(slice.totalPages)}>; rel="last"`);
    pagingHeaders.link = links.join(', ');
    sendJson(res, 200, body, { ...headers, ...pagingHeaders });
  }

  function getV2(context: RouteContext): void {
    const id = parseId(context, 2);
    if (id === undefined) return;
    const user = store.get(id);
    if (!user) sendJson(context.res, 404, V2_NOT_FOUND, context.headers);
    else
      sendJson(
        context.res,
        200,
        projectFields(v2UserView(user), parseFields(context.url.searchParams.get('fields'))),
        context.headers,
      );
  }

  function dropAnswer(context: RouteContext): void {
    stats.faultsInjected.reset += 1;
    context.req.socket.destroy();
  }

  function deleteV2(context: RouteContext): void {
    const id = parseId(context, 2);
    if (id === undefined) return;
    const deleted = deleteUser(id);
    if (context.loseAnswer) {
      dropAnswer(context);
    } else if (deleted) {
      context.res.writeHead(204, context.headers);
      context.res.end();
    } else {
      sendJson(context.res, 404, V2_NOT_FOUND, context.headers);
    }
  }

  function listV1(context: RouteContext): void {
    const { res, url, headers } = context;
    const page = pageRequest(context, 'after_cursor', (text) =>
      sendJson(res, 400, v1Status(400, 'bad request', text), headers),
    );
    if (!page) return;
    const fields = parseFields(url.searchParams.get('fields'));
    const slice = slicePage(findUserIds(store, parseUserFilter(url.searchParams, 'id')), page);
    const data = slice.ids.map((id) => projectFields(v1UserView(store.get(id) as EmulatorUser), fields));
    const cursorLink = (parameter: string, cursor: string): string => {
      const linkUrl = new URL(url.pathname, emulatorUrl);
      for (const [key, value] of url.searchParams)
        if (!['after_cursor', 'before_cursor', 'limit', 'page'].includes(key)) linkUrl.searchParams.append(key, value);
      linkUrl.searchParams.set(parameter, cursor);
      return linkUrl.toString();
    };
    const after = slice.hasNext ? encodeCursor({ limit: page.limit, page: page.page + 1 }) : null;
    const before = slice.hasPrevious ? encodeCursor({ limit: page.limit, page: page.page - 1 }) : null;
    sendJson(
      res,
      200,
      {
        status: SUCCESS_STATUS,
        pagination: {
          before_cursor: before,
          after_cursor: after,
          previous_link: before === null ? null : cursorLink('after_cursor', before),
          next_link: after === null ? null : cursorLink('after_cursor', after),
        },
        data,
      },
      { ...headers, link: '' },
    );
  }

  function getV1(context: RouteContext): void {
    const id = parseId(context, 1);
    if (id === undefined) return;
    const user = store.get(id);
    // The v1 404 body is unconfirmed; this follows the v1 envelope.
    if (!user) sendJson(context.res, 404, v1Status(404, 'not found', 'User not found'), context.headers);
    else sendJson(context.res, 200, { status: SUCCESS_STATUS, data: [v1UserView(user)] }, context.headers);
  }

  function deleteV1(context: RouteContext): void {
    const id = parseId(context, 1);
    if (id === undefined) return;
    const deleted = deleteUser(id);
    if (context.loseAnswer) dropAnswer(context);
    else if (deleted) sendJson(context.res, 200, { status: SUCCESS_STATUS }, context.headers);
    else sendJson(context.res, 404, v1Status(404, 'not found', 'User not found'), context.headers);
  }

  function rateLimitStatus(context: RouteContext): void {
    const decision = context.rateLimit;
    // With the limit off, report a budget no run can use up, so that a client pacing from this answer runs unthrottled.
    const data = decision
      ? {
          'X-RateLimit-Limit': decision.limit,
          'X-RateLimit-Remaining': decision.remaining,
          'X-RateLimit-Reset': decision.resetSeconds,
        }
      : { 'X-RateLimit-Limit': UNLIMITED_BUDGET, 'X-RateLimit-Remaining': UNLIMITED_BUDGET, 'X-RateLimit-Reset': 3600 };
    sendJson(context.res, 200, { status: SUCCESS_STATUS, data }, context.headers);
  }

  function route(method: string, path: string): { route: Route; userId?: string } | undefined {
    const user = /^\/api\/([12])\/users\/([^/]+)$/.exec(path);
    if (user) {
      const version = user[1] === '1' ? 1 : 2;
      const userId = decodeURIComponent(user[2] ?? '');
      if (method === 'GET') return { route: { kind: 'get', version, handle: version === 1 ? getV1 : getV2 }, userId };
      if (method === 'DELETE')
        return { route: { kind: 'delete', version, handle: version === 1 ? deleteV1 : deleteV2 }, userId };
      return undefined;
    }
    if (method === 'GET' && path === '/api/2/users') return { route: { kind: 'list', version: 2, handle: listV2 } };
    if (method === 'GET' && path === '/api/1/users') return { route: { kind: 'list', version: 1, handle: listV1 } };
    if (method === 'GET' && path === '/auth/rate_limit')
      return { route: { kind: 'other', version: 1, handle: rateLimitStatus } };
    return undefined;
  }

  async function handleResource(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    req.resume();
    const method = req.method ?? 'GET';
    const matched = route(method, path);
    stats.calls[matched?.route.kind ?? 'other'] += 1;

    let decision: RateLimitDecision | undefined;
    if (rateLimit) {
      decision = rateLimit.count(now());
      if (!decision.allowed) {
        stats.rateLimited += 1;
        stats.rateLimitedByWindow[decision.windowIndex] = (stats.rateLimitedByWindow[decision.windowIndex] ?? 0) + 1;
        sendHtml(res, 429, TOO_MANY_REQUESTS_HTML);
        return;
      }
    }
    const headers: Headers =
      decision && rateLimit?.sendHeaders
        ? {
            'x-ratelimit-limit': String(decision.limit),
            'x-ratelimit-remaining': String(decision.remaining),
            'x-ratelimit-reset': String(decision.resetSeconds),
          }
        : {};

    let fault: Fault = { kind: 'none' };
    if (faults) {
      fault = faults.next(matched?.route.kind === 'delete');
      if (await applyFault(fault, req, res)) return;
    }

    if (!matched) {
      sendJson(res, 404, v1Status(404, 'not found', 'No Route Exists'), headers);
      return;
    }
    const version = matched.route.version;
    const token = bearerToken(req.headers.authorization);
    if (token === undefined && version === 1) {
      sendJson(res, 400, v1Status(400, 'bad request', 'Authorization Information is incorrect'), headers);
      return;
    }
    if (token === undefined || revoked || !tokens.use(token)) {
      if (version === 1) sendJson(res, 401, v1Status(401, 'Unauthorized', 'Authentication Failure'), headers);
      else sendJson(res, 401, V2_UNAUTHORIZED, headers);
      return;
    }
    const context: RouteContext = {
      req,
      res,
      url,
      headers,
      rateLimit: decision,
      loseAnswer: fault.kind === 'deleteThenReset',
    };
    if (matched.userId !== undefined) context.userId = matched.userId;
    matched.route.handle(context);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Yield once so that requests arriving together are in flight together (maxInFlight then
    // reflects the client's concurrency rather than the synchronous handler).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const url = new URL(req.url ?? '/', emulatorUrl);
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = req.method ?? 'GET';
    if (path === '/auth/oauth2/v2/token' || path === '/auth/oauth2/token') {
      if (method !== 'POST') {
        req.resume();
        sendJson(res, 404, v1Status(404, 'not found', 'No Route Exists'));
        return;
      }
      await handleToken(req, res, path === '/auth/oauth2/token');
      return;
    }
    if (path === '/auth/oauth2/revoke' && method === 'POST') {
      await handleRevoke(req, res);
      return;
    }
    if (path.startsWith('/api/') || path === '/auth/rate_limit') {
      await handleResource(req, res, url, path);
      return;
    }
    req.resume();
    stats.calls.other += 1;
    sendJson(res, 404, v1Status(404, 'not found', 'No Route Exists'));
  }

  const server = createServer((req, res) => {
    inFlight += 1;
    if (inFlight > stats.maxInFlight) stats.maxInFlight = inFlight;
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      inFlight -= 1;
    };
    res.on('close', done);
    res.on('finish', done);
    handle(req, res).catch(() => {
      if (!res.headersSent) sendJson(res, 500, v1Status(500, 'Internal Server Error', 'Emulator error'));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 30_000;

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const emulatorUrl = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;

  return {
    url: emulatorUrl,
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
      stats.maxInFlight = inFlight;
    },
    users: () => store.all().map((user) => ({ ...user })),
    addUsers: (users: EmulatorUser[]) => store.add(users.map((user) => ({ ...user }))),
    setFaults: (config: FaultConfig | undefined) => {
      faults = config ? new FaultPlan(config) : undefined;
    },
    setRateLimit: (config: RateLimitConfig | null) => {
      rateLimit = config ? new RateLimitWindow(config, now()) : undefined;
    },
    revokeCredentials: () => {
      revoked = true;
      tokens.revoke();
    },
    close: async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
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
