// Reads OneLogin's user records as sent (every field kept, nothing reduced) and the role ids of the v1 roles answer.
import type { OneLoginRecord } from './api-messages.ts';
import { isRecord } from './api-messages.ts';
import type { ClientErrorFactory } from './client-error-factory.ts';

/**
 * Every field of OneLogin's `user` schema a snapshot keeps, custom_attributes and role_ids included (the password
 * fields are write-only). Asked for by name: a listing without `fields` leaves several of them out.
 */
export const RECORD_FIELDS = [
  'id',
  'username',
  'email',
  'firstname',
  'lastname',
  'title',
  'department',
  'company',
  'comment',
  'group_id',
  'role_ids',
  'phone',
  'state',
  'status',
  'directory_id',
  'trusted_idp_id',
  'manager_ad_id',
  'manager_user_id',
  'samaccountname',
  'member_of',
  'userprincipalname',
  'distinguished_name',
  'external_id',
  'activated_at',
  'last_login',
  'invitation_sent_at',
  'updated_at',
  'preferred_locale_code',
  'created_at',
  'invalid_login_attempts',
  'locked_until',
  'password_changed_at',
  'custom_attributes',
] as const;

/** The record as sent, its id checked (a digit string becomes the number). */
export function parseRecord(item: unknown, errors: ClientErrorFactory): OneLoginRecord {
  if (!isRecord(item)) throw errors.error('invalid-response', 'OneLogin answered a user that is not an object');
  const id = typeof item.id === 'string' && /^\d+$/.test(item.id) ? Number(item.id) : item.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
    throw errors.error('invalid-response', 'OneLogin answered a user without a valid id');
  return { ...item, id };
}

/** A listing's records: a bare array or the `{data: [...]}` envelope. */
export function parseRecordList(body: unknown, errors: ClientErrorFactory): OneLoginRecord[] {
  const items = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.data) ? body.data : undefined;
  if (items === undefined)
    throw errors.error('invalid-response', 'OneLogin list users answered without a list of users');
  return items.map((item) => parseRecord(item, errors));
}

/** A single-user answer: the record, or the v1-style `{data: [record]}` envelope. */
export function parseSingleRecord(body: unknown, errors: ClientErrorFactory): OneLoginRecord {
  return parseRecord(isRecord(body) && Array.isArray(body.data) ? body.data[0] : body, errors);
}

/**
 * GET /api/1/users/:id/roles: the document's `{status, data: [ids]}`; tolerated besides: `data` nested once
 * (`[[ids]]`, as other v1 answers wrap their data), role objects (`[{id}]`), ids as digit strings, a bare array.
 */
export function parseRoleIds(body: unknown, errors: ClientErrorFactory): number[] {
  let items: unknown = isRecord(body) ? body.data : body;
  if (Array.isArray(items) && items.length === 1 && Array.isArray(items[0])) items = items[0];
  if (!Array.isArray(items)) throw errors.error('invalid-response', 'OneLogin user roles answered without a list');
  return items.map((item) => {
    const value = isRecord(item) ? item.id : item;
    const id = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0)
      throw errors.error('invalid-response', 'OneLogin user roles answered a role without a valid id');
    return id;
  });
}
