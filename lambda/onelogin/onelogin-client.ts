// OneLogin administrative API client: the v2 users calls (get, list, delete) and the rate status, over the retrying transport.

import type { Dispatcher } from 'undici';
import { Agent } from 'undici';
import { CONCURRENCY, MAX_ATTEMPTS, RATE_SHARE } from '../settings/run-settings.ts';
import { AccessTokenCache } from './access-token-cache.ts';
import type {
  ApiRequest,
  CallCounts,
  ChangeAnswer,
  CreateAnswer,
  DeleteResult,
  OneLoginRecord,
  OneLoginUser,
} from './api-messages.ts';
import { header, integerHeader, isRecord, RATE_LIMIT_PATH } from './api-messages.ts';
import { ClientErrorFactory } from './client-error-factory.ts';
import type { OneLoginClientOptions, OneLoginCredentials } from './client-types.ts';
import { HttpSender } from './http-sender.ts';
import { saysUserNotFound } from './not-found-proof.ts';
import { OneLoginError } from './onelogin-errors.ts';
import { resolveOneLoginHost } from './onelogin-host.ts';
import { RatePacer } from './rate-pacer.ts';
import { RateStatusProbe } from './rate-status-probe.ts';
import type { RetryPolicy } from './retrying-transport.ts';
import { RetryingTransport } from './retrying-transport.ts';
import { SecretRedactor } from './secret-redactor.ts';
import { Semaphore } from './semaphore.ts';
import { StopGate } from './stop-gate.ts';
import { requestAccessToken } from './token-request.ts';
import { checkedId, parseUser, parseUserList } from './user-parsing.ts';
import { UserRecordCalls } from './user-record-calls.ts';

export type {
  CallCounts,
  CallKind,
  ChangeAnswer,
  CreateAnswer,
  OneLoginRecord,
  OneLoginUser,
} from './api-messages.ts';

export interface UserQuery {
  email?: string;
  username?: string;
  userIds?: readonly number[];
}

export interface UserListPage {
  users: OneLoginUser[];
  /** Total-Count header, when sent. */
  totalCount?: number;
  /** After-Cursor header; undefined on the last page. */
  afterCursor?: string;
}

/** The account a client reaches: its API host, and the account id of its token (absent when the server does not say). */
export interface ClientAccount {
  host: string;
  accountId?: number;
}

export interface RateLimitStatus {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export interface ClientStats {
  calls: CallCounts;
  /** Attempts repeated after a transient failure (5xx, network, timeout) or a 401 re-token. */
  retries: number;
  /** 429 answers received. */
  rateLimited: number;
  /** Times a call was held back by pacing or a 429, and for how long in total. */
  waits: number;
  waitedMs: number;
  tokensFetched: number;
}

/** The outcome of a DELETE: a 404 counts as `absent` only when its body names the missing user (see not-found-proof.ts). */
export type DeleteAnswer = DeleteResult | 'absence-unproven';

const USERS_PATH = '/api/2/users';
/** OneLogin's OpenAPI document: `limit` on GET /api/2/users is "max 100". A server that refuses more is asked this. */
export const DOCUMENTED_MAX_LIST_LIMIT = 100;
const LIST_FIELDS = 'id,username,email,firstname,lastname,status,state,directory_id,updated_at,last_login';
const RATE_STATUS_REQUEST: ApiRequest = { kind: 'get', method: 'GET', path: RATE_LIMIT_PATH, auth: 'bearer' };

export class OneLoginClient {
  readonly baseUrl: string;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly errors: ClientErrorFactory;
  private readonly http: HttpSender;
  private readonly pacer: RatePacer;
  private readonly tokens: AccessTokenCache;
  private readonly probe: RateStatusProbe;
  private readonly transport: RetryingTransport;
  private readonly records: UserRecordCalls;
  private learnedListLimit: number | undefined;
  private limitRetries = 0;

  constructor(options: OneLoginClientOptions) {
    const host = resolveOneLoginHost(options);
    this.baseUrl = host.baseUrl;
    const share = options.rateShare ?? RATE_SHARE.default;
    if (!(share > 0 && share <= 1)) throw new OneLoginError('config', 'rateShare must be within (0, 1]');
    const gate = new StopGate(options.stopSignal);
    const timing = { ...timingOf(options), gate };
    timing.sleep = gate.sleeper(timing.sleep);
    const { now, sleep, random, waitDeadline, policy } = timing;
    const basic = basicCredentials(options.credentials);
    const redactor = new SecretRedactor();
    for (const secret of [options.credentials.clientSecret, options.credentials.clientId, basic]) redactor.add(secret);
    this.errors = new ClientErrorFactory(redactor);
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({ connections: options.concurrency ?? CONCURRENCY.default });
    this.http = new HttpSender({
      dispatcher: this.dispatcher,
      ...host,
      basicAuthorization: `Basic ${basic}`,
      requestTimeoutMs: policy.requestTimeoutMs,
      errors: this.errors,
    });
    const { backoffBaseMs, backoffCapMs } = policy;
    const onWait = options.onWait;
    this.pacer = new RatePacer({
      share,
      waitDeadline,
      now,
      sleep,
      random,
      backoffBaseMs,
      backoffCapMs,
      ...(onWait ? { onWait } : {}),
    });
    const send = (apiRequest: ApiRequest) => this.transport.send(apiRequest);
    this.tokens = new AccessTokenCache(() => requestAccessToken(send, this.errors, redactor), now);
    const fetchStatus = () => this.rateLimitStatus();
    this.probe = new RateStatusProbe({
      enabled: options.probeRateStatus === true,
      pacer: this.pacer,
      now,
      fetchStatus,
    });
    this.transport = new RetryingTransport({
      ...timing,
      ...(onWait ? { onWait } : {}),
      http: this.http,
      semaphore: new Semaphore(Math.max(1, Math.floor(options.concurrency ?? CONCURRENCY.default))),
      pacer: this.pacer,
      tokens: this.tokens,
      probe: this.probe,
      errors: this.errors,
    });
    this.records = new UserRecordCalls(send, this.errors);
  }

  /** The user, or null when OneLogin answers 404. */
  async getUser(id: number): Promise<OneLoginUser | null> {
    const apiRequest: ApiRequest = {
      kind: 'get',
      method: 'GET',
      path: `${USERS_PATH}/${checkedId(id)}`,
      auth: 'bearer',
    };
    const response = await this.transport.send(apiRequest);
    if (response.status === 404) {
      if (saysUserNotFound(response.text)) return null;
      throw this.errors.noRoute(response, apiRequest);
    }
    this.errors.expectSuccess(response, apiRequest);
    const body = this.errors.parseJson(response.text);
    return parseUser(isRecord(body) && Array.isArray(body.data) ? body.data[0] : body, this.errors);
  }

  /**
   * One page of GET /api/2/users. Send `limit` on the first page only, then only the cursor. A `limit` above the
   * documented maximum that the server refuses (400 or 422) costs one more request with the maximum, which every later
   * listing of this client then asks for.
   */
  async listUsersPage(query: UserQuery, page: { limit?: number; cursor?: string }): Promise<UserListPage> {
    const limit = page.cursor === undefined && page.limit !== undefined ? this.allowedLimit(page.limit) : undefined;
    let response = await this.transport.send(listRequest(query, page.cursor, limit));
    if (
      limit !== undefined &&
      limit > DOCUMENTED_MAX_LIST_LIMIT &&
      (response.status === 400 || response.status === 422)
    ) {
      this.learnedListLimit = DOCUMENTED_MAX_LIST_LIMIT;
      this.limitRetries += 1;
      response = await this.transport.send(listRequest(query, undefined, DOCUMENTED_MAX_LIST_LIMIT));
    }
    const apiRequest = listRequest(query, page.cursor, limit);
    // A listing has no id that could be missing: its 404 is a route that does not exist (a wrong base path).
    if (response.status === 404) throw this.errors.noRoute(response, apiRequest);
    this.errors.expectSuccess(response, apiRequest);
    const result: UserListPage = { users: parseUserList(this.errors.parseJson(response.text), this.errors) };
    const cursor = header(response.headers, 'after-cursor')?.trim();
    const totalCount = integerHeader(response.headers, 'total-count');
    if (totalCount !== undefined) result.totalCount = totalCount;
    if (cursor !== undefined && cursor !== '' && cursor !== 'null') result.afterCursor = cursor;
    return result;
  }

  /** The largest `limit` this client asks for: the documented maximum once the server refused more. */
  get listLimitCap(): number | undefined {
    return this.learnedListLimit;
  }

  private allowedLimit(limit: number): number {
    const checked = checkedId(limit);
    return this.learnedListLimit === undefined ? checked : Math.min(checked, this.learnedListLimit);
  }

  /** Every page of a listing, following After-Cursor until it is empty or absent; from `startCursor` when given (a resumed listing). */
  async *listUsers(query: UserQuery, limit?: number, startCursor?: string): AsyncGenerator<UserListPage> {
    let page = await this.listUsersPage(
      query,
      startCursor !== undefined ? { cursor: startCursor } : limit === undefined ? {} : { limit },
    );
    yield page;
    const seen = new Set<string>();
    while (page.afterCursor !== undefined) {
      if (seen.has(page.afterCursor)) throw this.errors.error('invalid-response', 'OneLogin repeated a paging cursor');
      seen.add(page.afterCursor);
      page = await this.listUsersPage(query, { cursor: page.afterCursor });
      yield page;
    }
  }

  /**
   * 'deleted' on 204/200/202; on a 404 whose body names the missing user 'absent', or 'absent-after-retry' when an
   * earlier attempt's answer was lost (a timeout, a reset, a 5xx: that DELETE most likely went through);
   * 'absence-unproven' on any other 404 (e.g. "No Route Exists"): the caller must look first.
   */
  async deleteUser(id: number): Promise<DeleteAnswer> {
    const path = `${USERS_PATH}/${checkedId(id)}`;
    const apiRequest: ApiRequest = { kind: 'delete', method: 'DELETE', path, auth: 'bearer' };
    const response = await this.transport.send(apiRequest);
    if (response.status === 404) {
      if (!saysUserNotFound(response.text)) return 'absence-unproven';
      return response.afterLostAnswer === undefined ? 'absent' : 'absent-after-retry';
    }
    this.errors.expectSuccess(response, apiRequest);
    return 'deleted';
  }

  /** Full records (every field, custom_attributes and role_ids asked for) of the users in `ids`; `list` calls. */
  getUserRecords(ids: readonly number[]): Promise<OneLoginRecord[]> {
    return this.records.listRecords(ids);
  }

  /** GET /api/2/users/:id as sent; null when OneLogin answers a 404 that names the missing user. */
  getUserRecord(id: number): Promise<OneLoginRecord | null> {
    return this.records.getRecord(id);
  }

  /** GET /api/1/users/:id/roles (a `roles` call); null when the user is gone. */
  getUserRoleIds(id: number): Promise<number[] | null> {
    return this.records.getRoleIds(id);
  }

  /** PUT /api/2/users/:id `{"status": N}` (an `update` call); 'absence-unproven' on a 404 that names no user. */
  setUserStatus(id: number, status: number): Promise<ChangeAnswer<'updated'>> {
    return this.records.setStatus(id, status);
  }

  /** PUT /api/1/users/:id/logout (an `update` call); 'absence-unproven' on a 404 that names no user. */
  logOutUser(id: number): Promise<ChangeAnswer<'done'>> {
    return this.records.logOut(id);
  }

  /** POST /api/2/users (a `create` call), never sent twice: a lost answer throws reason `answer-lost`. */
  createUser(fields: Readonly<Record<string, unknown>>): Promise<CreateAnswer> {
    return this.records.create(fields);
  }

  /** POST /api/2/roles/:id/users (`roles` calls, a hundred ids each). */
  addRoleUsers(roleId: number, userIds: readonly number[]): Promise<void> {
    return this.records.addRoleUsers(roleId, userIds);
  }

  /** The host and the token's account_id: fetches a token when none is held (that token call, no other). */
  async account(): Promise<ClientAccount> {
    await this.tokens.get();
    const account: ClientAccount = { host: new URL(this.baseUrl).host };
    if (this.tokens.accountId !== undefined) account.accountId = this.tokens.accountId;
    return account;
  }

  /** GET /auth/rate_limit (counted as a 'get' call). */
  async rateLimitStatus(): Promise<RateLimitStatus> {
    const response = await this.transport.send(RATE_STATUS_REQUEST);
    this.errors.expectSuccess(response, RATE_STATUS_REQUEST);
    const body = this.errors.parseJson(response.text);
    const data = isRecord(body) && isRecord(body.data) ? body.data : body;
    const read = (name: string): number => {
      const value = isRecord(data) ? Number(data[name] ?? data[name.toLowerCase()]) : Number.NaN;
      if (!Number.isFinite(value))
        throw this.errors.error('invalid-response', `OneLogin rate_limit answer lacks ${name}`);
      return value;
    };
    return {
      limit: read('X-RateLimit-Limit'),
      remaining: read('X-RateLimit-Remaining'),
      resetSeconds: read('X-RateLimit-Reset'),
    };
  }

  callCounts(): CallCounts {
    return { ...this.http.counts };
  }

  stats(): ClientStats {
    return {
      calls: this.callCounts(),
      retries: this.transport.retries + this.limitRetries,
      rateLimited: this.transport.rateLimited,
      waits: this.pacer.waits,
      waitedMs: this.pacer.waitedMs,
      tokensFetched: this.tokens.tokensFetched,
    };
  }

  async close(): Promise<void> {
    await this.probe.settled();
    if (this.ownsDispatcher) await this.dispatcher.close();
  }
}

function listRequest(query: UserQuery, cursor: string | undefined, limit: number | undefined): ApiRequest {
  const params = new URLSearchParams();
  if (query.email !== undefined) params.set('email', query.email);
  if (query.username !== undefined) params.set('username', query.username);
  if (query.userIds !== undefined) params.set('user_ids', query.userIds.map(checkedId).join(','));
  params.set('fields', LIST_FIELDS);
  if (cursor !== undefined) params.set('cursor', cursor);
  else if (limit !== undefined) params.set('limit', String(limit));
  return { kind: 'list', method: 'GET', path: USERS_PATH, query: params, auth: 'bearer' };
}

function basicCredentials(credentials: OneLoginCredentials): string {
  return Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
}

/** The clock, the wait deadline and the retry policy, with their defaults. */
function timingOf(options: OneLoginClientOptions): {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  waitDeadline: () => number;
  policy: RetryPolicy;
} {
  return {
    now: options.now ?? (() => Date.now()),
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    random: options.random ?? Math.random,
    waitDeadline: options.waitDeadline ?? (() => Number.POSITIVE_INFINITY),
    policy: {
      maxAttempts: Math.max(1, options.maxAttempts ?? MAX_ATTEMPTS.default),
      maxRetryTimeMs: options.maxRetryTimeMs ?? 120_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      backoffBaseMs: options.retryBaseMs ?? 500,
      backoffCapMs: options.retryCapMs ?? 30_000,
    },
  };
}
