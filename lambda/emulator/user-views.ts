// How users are rendered: the v2 GET object (every field, nulls for empty ones), the reduced v2 list
// item, the v1 object, and the `fields` projection.
import type { EmulatorUser } from './emulator-types.ts';

type Json = Record<string, unknown>;

function commonFields(user: EmulatorUser): Json {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    firstname: user.firstname,
    lastname: user.lastname,
    title: null,
    department: null,
    company: null,
    comment: null,
    group_id: null,
    phone: null,
    state: user.state,
    status: user.status,
    directory_id: null,
    trusted_idp_id: null,
    manager_ad_id: null,
    manager_user_id: null,
    samaccountname: null,
    member_of: null,
    userprincipalname: null,
    distinguished_name: null,
    external_id: null,
    activated_at: user.status === 1 ? user.created_at : null,
    last_login: null,
    invitation_sent_at: null,
    updated_at: user.updated_at,
    preferred_locale_code: null,
    created_at: user.created_at,
    invalid_login_attempts: 0,
    locked_until: null,
    password_changed_at: null,
  };
}

export function v2UserView(user: EmulatorUser): Json {
  return { ...commonFields(user), role_ids: [], custom_attributes: {} };
}

export function v2ListItemView(user: EmulatorUser): Json {
  const item = commonFields(user);
  delete item.title;
  delete item.department;
  delete item.company;
  delete item.comment;
  delete item.group_id;
  return item;
}

export function v1UserView(user: EmulatorUser): Json {
  return { ...commonFields(user), role_id: [], openid_name: user.username, locale_code: null, custom_attributes: {} };
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
