// The calls behind snapshots, suspension and restore: full user records (listing and GET), a user's roles, status
// and logout, create, and role assignment. Each goes through the retrying transport like every other call.
import type { ApiRequest, ApiResponse, ChangeAnswer, CreateAnswer, OneLoginRecord } from './api-messages.ts';
import { header } from './api-messages.ts';
import type { ClientErrorFactory } from './client-error-factory.ts';
import { saysUserNotFound } from './not-found-proof.ts';
import { parseRecordList, parseRoleIds, parseSingleRecord, RECORD_FIELDS } from './raw-user-records.ts';
import { checkedId } from './user-parsing.ts';

const USERS_V2 = '/api/2/users';
/** OneLogin's OpenAPI document: `limit` on GET /api/2/users is "max 100". */
const MAX_RECORDS_PER_PAGE = 100;
/**
 * The document sets no maximum for POST /api/2/roles/:id/users; a body of at most this many ids keeps each request
 * modest (the documented list maximum), and a role given to many users costs one call per hundred.
 */
export const ROLE_USERS_BATCH = 100;
/** A create refused for a taken username or email: OneLogin's "Validation failed: Email has already been taken". */
const TAKEN_WORDING = /\b(already|taken|exists?|in use|duplicate|unique)\b/i;
const IDENTITY_WORDING = /user ?name|e-?mail|login/i;

type Send = (apiRequest: ApiRequest) => Promise<ApiResponse>;

export class UserRecordCalls {
  constructor(
    private readonly send: Send,
    private readonly errors: ClientErrorFactory,
  ) {}

  /** The records of the users whose id is in `ids` (at most 100 per call; missing ids are simply absent). */
  async listRecords(ids: readonly number[]): Promise<OneLoginRecord[]> {
    const records: OneLoginRecord[] = [];
    for (let start = 0; start < ids.length; start += MAX_RECORDS_PER_PAGE) {
      const batch = ids.slice(start, start + MAX_RECORDS_PER_PAGE).map(checkedId);
      records.push(...(await this.listBatch(batch)));
    }
    return records;
  }

  private async listBatch(batch: readonly number[]): Promise<OneLoginRecord[]> {
    const records: OneLoginRecord[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const apiRequest = recordsRequest(batch, cursor);
      const response = await this.send(apiRequest);
      if (response.status === 404) throw this.errors.noRoute(response, apiRequest);
      this.errors.expectSuccess(response, apiRequest);
      records.push(...parseRecordList(this.errors.parseJson(response.text), this.errors));
      const next = header(response.headers, 'after-cursor')?.trim();
      cursor = next === undefined || next === '' || next === 'null' ? undefined : next;
      if (cursor !== undefined && seen.has(cursor))
        throw this.errors.error('invalid-response', 'OneLogin repeated a paging cursor');
      if (cursor !== undefined) seen.add(cursor);
    } while (cursor !== undefined);
    return records;
  }

  /** GET /api/2/users/:id as sent; null on a 404 that names the missing user (any other 404 is a wrong route). */
  async getRecord(id: number): Promise<OneLoginRecord | null> {
    const apiRequest: ApiRequest = { kind: 'get', method: 'GET', path: `${USERS_V2}/${checkedId(id)}`, auth: 'bearer' };
    const response = await this.send(apiRequest);
    if (response.status === 404) {
      if (saysUserNotFound(response.text)) return null;
      throw this.errors.noRoute(response, apiRequest);
    }
    this.errors.expectSuccess(response, apiRequest);
    return parseSingleRecord(this.errors.parseJson(response.text), this.errors);
  }

  /** GET /api/1/users/:id/roles: the role ids; null on a 404 that names the missing user. */
  async getRoleIds(id: number): Promise<number[] | null> {
    const path = `/api/1/users/${checkedId(id)}/roles`;
    const apiRequest: ApiRequest = { kind: 'roles', method: 'GET', path, auth: 'bearer' };
    const response = await this.send(apiRequest);
    if (response.status === 404) {
      if (saysUserNotFound(response.text)) return null;
      throw this.errors.noRoute(response, apiRequest);
    }
    this.errors.expectSuccess(response, apiRequest);
    return parseRoleIds(this.errors.parseJson(response.text), this.errors);
  }

  /** PUT /api/2/users/:id `{"status": N}`. */
  async setStatus(id: number, status: number): Promise<ChangeAnswer<'updated'>> {
    if (!Number.isSafeInteger(status) || status < 0)
      throw this.errors.error('invalid-argument', 'a OneLogin user status must be a non-negative integer');
    const path = `${USERS_V2}/${checkedId(id)}`;
    const apiRequest: ApiRequest = { kind: 'update', method: 'PUT', path, auth: 'bearer', jsonBody: { status } };
    return this.change(apiRequest, 'updated');
  }

  /** PUT /api/1/users/:id/logout (the document's body: an empty object). */
  async logOut(id: number): Promise<ChangeAnswer<'done'>> {
    const path = `/api/1/users/${checkedId(id)}/logout`;
    const apiRequest: ApiRequest = { kind: 'update', method: 'PUT', path, auth: 'bearer', jsonBody: {} };
    return this.change(apiRequest, 'done');
  }

  private async change<Done extends string>(apiRequest: ApiRequest, done: Done): Promise<ChangeAnswer<Done>> {
    const response = await this.send(apiRequest);
    if (response.status === 404) return saysUserNotFound(response.text) ? 'absent' : 'absence-unproven';
    this.errors.expectSuccess(response, apiRequest);
    return done;
  }

  /**
   * POST /api/2/users with the fields as given. Never sent twice: a lost answer is an `answer-lost` error (the caller
   * looks the user up by username or email). A 422 or 400 whose message says the username or email is taken is a
   * conflict; any other refusal is an error.
   */
  async create(fields: Readonly<Record<string, unknown>>): Promise<CreateAnswer> {
    const apiRequest: ApiRequest = { kind: 'create', method: 'POST', path: USERS_V2, auth: 'bearer', jsonBody: fields };
    const response = await this.send(apiRequest);
    if (response.status === 422 || response.status === 400) {
      const message = this.errors.detail(response);
      if (TAKEN_WORDING.test(message) && IDENTITY_WORDING.test(message)) return { conflict: message };
    }
    this.errors.expectSuccess(response, apiRequest);
    return { created: parseSingleRecord(this.errors.parseJson(response.text), this.errors) };
  }

  /** POST /api/2/roles/:role_id/users with the ids as a JSON array, ROLE_USERS_BATCH at a time (safe to repeat). */
  async addRoleUsers(roleId: number, userIds: readonly number[]): Promise<void> {
    const path = `/api/2/roles/${checkedId(roleId)}/users`;
    const ids = [...new Set(userIds.map(checkedId))];
    for (let start = 0; start < ids.length; start += ROLE_USERS_BATCH) {
      const jsonBody = ids.slice(start, start + ROLE_USERS_BATCH);
      const apiRequest: ApiRequest = {
        kind: 'roles',
        method: 'POST',
        path,
        auth: 'bearer',
        jsonBody,
        resendable: true,
      };
      const response = await this.send(apiRequest);
      // The document's 404 for an unknown role names no resource; it stays an error (never taken for success).
      this.errors.expectSuccess(response, apiRequest);
    }
  }
}

function recordsRequest(ids: readonly number[], cursor: string | undefined): ApiRequest {
  const query = new URLSearchParams({ user_ids: ids.join(','), fields: RECORD_FIELDS.join(',') });
  if (cursor !== undefined) query.set('cursor', cursor);
  else query.set('limit', String(Math.min(ids.length, MAX_RECORDS_PER_PAGE)));
  return { kind: 'list', method: 'GET', path: USERS_V2, query, auth: 'bearer' };
}
