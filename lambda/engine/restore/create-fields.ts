// The body of POST /api/2/users that brings a deleted user back (docs/restore.md, "What is sent"): every field OneLogin
// accepts on create that the snapshot holds. Never the id, timestamps, sign-in counters or passwords (OneLogin assigns
// or cannot take them), never role_ids (assigned after the create, role by role), never directory_id (a directory user
// is re-created by its directory's next sync; created here, it becomes a user OneLogin manages itself).
import type { UserRecord } from '../ports.ts';

/** Text fields of the create request (OneLogin OpenAPI `user`, writable on POST /api/2/users). */
export const CREATE_TEXT_FIELDS = [
  'username',
  'email',
  'firstname',
  'lastname',
  'title',
  'department',
  'company',
  'comment',
  'phone',
  'manager_ad_id',
  'samaccountname',
  'member_of',
  'userprincipalname',
  'distinguished_name',
  'external_id',
  'preferred_locale_code',
] as const;

/** Numeric fields of the create request. */
export const CREATE_NUMBER_FIELDS = ['state', 'group_id', 'trusted_idp_id'] as const;

/**
 * Statuses given back on create: a user who could not sign in before (suspended, locked) must not come back able to.
 * Any other status is left to OneLogin: without a password the user is created "password pending" (7).
 */
export const KEPT_STATUSES: readonly number[] = [2, 3];

export function createFieldsOf(user: UserRecord, previousStatus: number | null): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const name of CREATE_TEXT_FIELDS) {
    const value = user[name];
    if (typeof value === 'string' && value !== '') fields[name] = value;
  }
  for (const name of CREATE_NUMBER_FIELDS) {
    const value = user[name];
    if (typeof value === 'number' && Number.isSafeInteger(value)) fields[name] = value;
  }
  const status = previousStatus ?? (typeof user.status === 'number' ? user.status : null);
  if (status !== null && KEPT_STATUSES.includes(status)) fields.status = status;
  const custom = user.custom_attributes;
  if (typeof custom === 'object' && custom !== null && !Array.isArray(custom) && Object.keys(custom).length > 0)
    fields.custom_attributes = structuredClone(custom);
  return fields;
}
