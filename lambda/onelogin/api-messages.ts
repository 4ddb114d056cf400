// What the client sends and receives, in its own terms (the client knows nothing of the engine), and the header readers.
import type { RateHeaders } from './rate-pacer.ts';

export const CALL_KINDS = ['token', 'get', 'list', 'delete', 'update', 'create', 'roles'] as const;
/** `update`: PUT status and logout; `create`: POST users; `roles`: a user's roles read, users given a role. */
export type CallKind = (typeof CALL_KINDS)[number];
export type CallCounts = Record<CallKind, number>;

export function emptyCallCounts(): CallCounts {
  return Object.fromEntries(CALL_KINDS.map((kind) => [kind, 0])) as CallCounts;
}

export interface OneLoginUser {
  id: number;
  username: string | null;
  email: string | null;
  /** "firstname lastname"; absent when the answer does not carry the fields, null when they are empty. */
  name?: string | null;
  status?: number | null;
  lastLogin?: string | null;
  firstname?: string | null;
  lastname?: string | null;
  state?: number | null;
  directory_id?: number | null;
  updatedAt?: string | null;
}

/** A user record exactly as OneLogin sent it (every field), its id checked. */
export type OneLoginRecord = { id: number } & Record<string, unknown>;

/** A write answered 404 without naming the missing user: the caller must look before calling the user absent. */
export type ChangeAnswer<Done extends string> = Done | 'absent' | 'absence-unproven';

/** What a create gave: the new record, or the refusal because its username or email is taken (OneLogin's message). */
export type CreateAnswer = { created: OneLoginRecord } | { conflict: string };

export interface ApiRequest {
  kind: CallKind;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the base URL, already validated (ids are checked integers). */
  path: string;
  query?: URLSearchParams;
  auth: 'basic' | 'bearer';
  jsonBody?: unknown;
  /**
   * Whether the call may be sent again after an attempt whose answer was lost (a timeout, a reset, a 5xx). Default:
   * yes, except a POST, which may have created something: declare a POST that is safe to repeat (token, role users).
   */
  resendable?: boolean;
}

/** Whether the transport may repeat this call after an attempt whose answer was lost. */
export function mayResend(apiRequest: ApiRequest): boolean {
  return apiRequest.resendable ?? apiRequest.method !== 'POST';
}

/** Whether the call changes something at OneLogin (none goes out after the stop). */
export function isChange(apiRequest: ApiRequest): boolean {
  return apiRequest.kind !== 'token' && apiRequest.method !== 'GET';
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

/** What a DELETE found: see OneLoginClient.deleteUser. */
export type DeleteResult = 'deleted' | 'absent' | 'absent-after-retry';

export interface ApiResponse {
  status: number;
  headers: ResponseHeaders;
  text: string;
  /**
   * Set on the answer to a retry when an earlier attempt of the same call may have reached OneLogin without its answer
   * reaching us (a timeout, a reset connection, a 5xx): the reason of that attempt. A DELETE answered 404 then was ours.
   */
  afterLostAnswer?: string;
}

export const RATE_LIMIT_PATH = '/auth/rate_limit';

/** The path with its ids replaced, as errors show it (`/api/2/roles/:id/users`). */
export function describePath(apiRequest: ApiRequest): string {
  return apiRequest.path.replace(/\/(users|roles)\/\d+(?=\/|$)/g, '/$1/:id');
}

export function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function integerHeader(headers: ResponseHeaders, name: string): number | undefined {
  const value = header(headers, name)?.trim();
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

export function rateHeaders(headers: ResponseHeaders): RateHeaders {
  const result: RateHeaders = {};
  const limit = integerHeader(headers, 'x-ratelimit-limit');
  const remaining = integerHeader(headers, 'x-ratelimit-remaining');
  const reset = integerHeader(headers, 'x-ratelimit-reset');
  if (limit !== undefined) result.limit = limit;
  if (remaining !== undefined) result.remaining = remaining;
  if (reset !== undefined) result.resetSeconds = reset;
  return result;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
