// How users are rendered: the v2 GET object (every field, nulls for empty ones), the reduced v2 list
// item, the v1 object, and the `fields` projection.
import type { EmulatorUser } from './emulator-types.ts';

type Json = Record<string, unknown>;

/** Fields of a list item (OneLogin lists carry fewer fields than GET). Built literally: `delete` would slow serialisation. */
function listFields(user: EmulatorUser): Json {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    firstname: user.firstname,
    lastname: user.lastname,
    phone: user.phone ?? null,
    state: user.state,
    status: user.status,
    directory_id: user.directory_id ?? null,
    trusted_idp_id: user.trusted_idp_id ?? null,
    manager_ad_id: user.manager_ad_id ?? null,
    manager_user_id: user.manager_user_id ?? null,
    samaccountname: user.samaccountname ?? null,
    member_of: user.member_of ?? null,
    userprincipalname: user.userprincipalname ?? null,
    distinguished_name: user.distinguished_name ?? null,
    external_id: user.external_id ?? null,
    activated_at: user.activated_at !== undefined ? user.activated_at : user.status === 1 ? user.created_at : null,
    last_login: user.last_login ?? null,
    invitation_sent_at: user.invitation_sent_at ?? null,
    updated_at: user.updated_at,
    preferred_locale_code: user.preferred_locale_code ?? null,
    created_at: user.created_at,
    invalid_login_attempts: 0,
    locked_until: null,
    password_changed_at: null,
  };
}

function fullFields(user: EmulatorUser): Json {
  return {
    ...listFields(user),
    title: user.title ?? null,
    department: user.department ?? null,
    company: user.company ?? null,
    comment: user.comment ?? null,
    group_id: user.group_id ?? null,
  };
}

function customAttributes(user: EmulatorUser): Json {
  return { ...(user.custom_attributes ?? {}) };
}

export function v2UserView(user: EmulatorUser): Json {
  return { ...fullFields(user), role_ids: [...(user.role_ids ?? [])], custom_attributes: customAttributes(user) };
}

/**
 * A list item: the reduced fields OneLogin's listing sends; with `fields=` every field of the record may be asked for.
 * custom_attributes and role_ids only when the emulator is told that the listing carries them (OneLogin's list items
 * leave them out: docs/onelogin-api-notes.md), asked for or not.
 */
export function v2ListItemView(user: EmulatorUser, withRecordExtras = false, fieldsAsked = false): Json {
  const item = fieldsAsked ? fullFields(user) : listFields(user);
  if (withRecordExtras) {
    item.role_ids = [...(user.role_ids ?? [])];
    item.custom_attributes = customAttributes(user);
  }
  return item;
}

export function v1UserView(user: EmulatorUser): Json {
  return {
    ...fullFields(user),
    role_id: [...(user.role_ids ?? [])],
    openid_name: user.username,
    locale_code: null,
    custom_attributes: customAttributes(user),
  };
}

/** `fields=a,b` returns only those attributes; `id` is not added unless asked for (unconfirmed; the stricter choice). */
export function projectFields(view: Json, fields: string[] | undefined): Json {
  if (!fields) return view;
  const projected: Json = {};
  for (const field of fields) if (field in view) projected[field] = view[field];
  return projected;
}

export function parseFields(value: string | null): string[] | undefined {
  if (value === null || value.trim() === '') return undefined;
  return value
    .split(',')
    .map((field) => field.trim())
    .filter((field) => field !== '');
}
