// Which user attributes a create or update may set (the OpenAPI `user` schema minus its server-set fields,
// plus custom_attributes per docs/onelogin-api-notes.md), and reading them from a request body.
import type { EmulatorUserChanges } from './emulator-types.ts';

type FieldType = 'string' | 'integer' | 'status' | 'state';

const WRITABLE_FIELDS: Record<string, FieldType> = {
  username: 'string',
  email: 'string',
  firstname: 'string',
  lastname: 'string',
  title: 'string',
  department: 'string',
  company: 'string',
  comment: 'string',
  group_id: 'integer',
  phone: 'string',
  state: 'state',
  status: 'status',
  directory_id: 'integer',
  trusted_idp_id: 'integer',
  manager_ad_id: 'string',
  manager_user_id: 'string',
  samaccountname: 'string',
  member_of: 'string',
  userprincipalname: 'string',
  distinguished_name: 'string',
  external_id: 'string',
  preferred_locale_code: 'string',
};

/** The OpenAPI enums: status 6 is unused; state 0 unapproved, 1 approved, 2 rejected, 3 unlicensed. */
const STATUSES = new Set([0, 1, 2, 3, 4, 5, 7, 8]);
const STATES = new Set([0, 1, 2, 3]);

/** Write-only password fields: accepted and never stored (the emulator keeps no secrets). */
const PASSWORD_FIELDS = new Set(['password', 'password_confirmation', 'password_algorithm', 'salt']);

export type ReadUserFields = { changes: EmulatorUserChanges; hasPassword: boolean } | { invalid: string };

/**
 * Unknown and server-set attributes (id, created_at, last_login, role_ids, …) are ignored: whether OneLogin
 * rejects or ignores them is unconfirmed, and roles are assigned through the role routes.
 */
export function readUserFields(body: unknown): ReadUserFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { invalid: 'Expected object in request' };
  const changes: Record<string, unknown> = {};
  let hasPassword = false;
  for (const [key, value] of Object.entries(body)) {
    if (PASSWORD_FIELDS.has(key)) hasPassword ||= key === 'password' && typeof value === 'string' && value !== '';
    else if (key === 'custom_attributes') {
      const attributes = readCustomAttributes(value);
      if (!attributes) return { invalid: 'custom_attributes is invalid' };
      changes.custom_attributes = attributes;
    } else {
      const type = WRITABLE_FIELDS[key];
      if (type === undefined) continue;
      if (!valueFits(type, value)) return { invalid: `${key} is invalid` };
      changes[key] = value;
    }
  }
  return { changes: changes as EmulatorUserChanges, hasPassword };
}

function valueFits(type: FieldType, value: unknown): boolean {
  if (value === null) return type === 'string' || type === 'integer';
  if (type === 'string') return typeof value === 'string';
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return false;
  if (type === 'status') return STATUSES.has(value);
  if (type === 'state') return STATES.has(value);
  return true;
}

function readCustomAttributes(value: unknown): Record<string, string | null> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const attributes: Record<string, string | null> = {};
  for (const [name, attribute] of Object.entries(value)) {
    if (attribute !== null && typeof attribute !== 'string') return undefined;
    attributes[name] = attribute;
  }
  return attributes;
}
