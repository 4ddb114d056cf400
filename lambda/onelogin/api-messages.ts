// What the client sends and receives, in its own terms (the client knows nothing of the engine), and the header readers.
import type { RateHeaders } from './rate-pacer.ts';

export type CallKind = 'token' | 'get' | 'list' | 'delete';
export type CallCounts = Record<CallKind, number>;

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

export interface ApiRequest {
  kind: CallKind;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, already validated (ids are checked integers). */
  path: string;
  query?: URLSearchParams;
  auth: 'basic' | 'bearer';
  jsonBody?: unknown;
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

/** The path with its id replaced, as errors show it. */
export function describePath(apiRequest: ApiRequest): string {
  return apiRequest.path.replace(/\/\d+$/, '/:id');
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
