// Roles v2 as the OpenAPI document has them: GET /api/2/roles (paged array of roles, `role_name` filter),
// POST /api/2/roles/:role_id/users (a raw array of user ids; 200 `[{"id":…}]`) and DELETE of the same (204).

import type { EmulatorState } from './emulator-state.ts';
import type { EmulatorRole } from './emulator-types.ts';
import { v2BadRequest, v2Unprocessable } from './error-bodies.ts';
import { parseJsonBody, sendJson, sendNoContent } from './http-replies.ts';
import { readPageRequest } from './page-request.ts';
import { v2PagingHeaders } from './paging-headers.ts';
import type { RouteContext } from './route-context.ts';
import { changeUser } from './user-changes.ts';
import { positiveInteger, slicePage, wildcardPattern } from './user-search.ts';

const ROLE_NOT_FOUND = {
  message: "The resource can't be found or the server has not found anything matching the Request-URI",
  name: 'NotFoundError',
  statusCode: 404,
};

export function listRolesV2(context: RouteContext): void {
  const { res, url, headers, state } = context;
  const page = readPageRequest(context, 'cursor', (text) => sendJson(res, 400, v2BadRequest(text), headers));
  if (!page) return;
  const roles = state.roles.all().filter(roleNameFilter(url.searchParams.get('role_name')));
  const slice = slicePage(
    roles.map((role) => role.id),
    page,
  );
  const withUsers = (url.searchParams.get('fields') ?? '').split(',').includes('users');
  const body = roles
    .filter((role) => slice.ids.includes(role.id))
    .map((role) => (withUsers ? { ...role, users: holdersOf(state, role.id) } : role));
  sendJson(res, 200, body, { ...headers, ...v2PagingHeaders(state.url, url, page, slice) });
}

/** The users' search semantics (exact, case-insensitive, `*` wildcards): OneLogin's for role_name are unconfirmed. */
function roleNameFilter(value: string | null): (role: EmulatorRole) => boolean {
  if (value === null || value === '') return () => true;
  if (value.includes('*')) {
    const pattern = wildcardPattern(value);
    return (role) => pattern.test(role.name);
  }
  const exact = value.toLowerCase();
  return (role) => role.name.toLowerCase() === exact;
}

function holdersOf(state: EmulatorState, roleId: number): number[] {
  return state.store.all().flatMap((user) => (user.role_ids?.includes(roleId) ? [user.id] : []));
}

/** The role of the path and the user ids of the body, or undefined once an error is answered. */
function roleAndUsers(context: RouteContext): { roleId: number; userIds: number[] } | undefined {
  const { res, headers, state } = context;
  const roleId = positiveInteger(context.pathId ?? null);
  if (roleId === undefined || !state.roles.has(roleId)) {
    sendJson(res, 404, ROLE_NOT_FOUND, headers);
    return undefined;
  }
  const parsed = parseJsonBody(context.body);
  // DELETE's schema is `{"user_id":[…]}` while OneLogin answers "Expected array in request" (PY4 4.0.1): take both.
  const ids = Array.isArray(parsed) ? parsed : (parsed as { user_id?: unknown } | undefined)?.user_id;
  if (!Array.isArray(ids)) {
    sendJson(res, 400, v2BadRequest('Expected array in request'), headers);
    return undefined;
  }
  const unknown = ids.filter((id) => !Number.isSafeInteger(id) || !state.store.get(id as number));
  if (unknown.length > 0) {
    sendJson(res, 422, v2Unprocessable(`Validation failed: unknown user ids ${unknown.join(', ')}`), headers);
    return undefined;
  }
  return { roleId, userIds: ids as number[] };
}

export function addRoleUsersV2(context: RouteContext): void {
  const request = roleAndUsers(context);
  if (!request) return;
  const { state } = context;
  for (const userId of request.userIds) {
    const held = state.store.get(userId)?.role_ids ?? [];
    if (!held.includes(request.roleId))
      changeUser(state.store, userId, { role_ids: [...held, request.roleId].sort((a, b) => a - b) }, state.now());
  }
  sendJson(
    context.res,
    200,
    request.userIds.map((id) => ({ id })),
    context.headers,
  );
}

export function removeRoleUsersV2(context: RouteContext): void {
  const request = roleAndUsers(context);
  if (!request) return;
  const { state } = context;
  for (const userId of request.userIds) {
    const held = state.store.get(userId)?.role_ids ?? [];
    if (held.includes(request.roleId))
      changeUser(state.store, userId, { role_ids: held.filter((id) => id !== request.roleId) }, state.now());
  }
  sendNoContent(context.res, context.headers);
}
