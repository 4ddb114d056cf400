// A user's roles through Users v1, as the OpenAPI document has them: GET /api/1/users/:id/roles (role ids in
// `data`), PUT /api/1/users/:id/add_roles and /remove_roles with `{"role_id_array":[…]}` (docs/onelogin-api-notes.md, roles).

import type { EmulatorUser } from './emulator-types.ts';
import { SUCCESS_STATUS, V1_USER_NOT_FOUND, v1Status } from './error-bodies.ts';
import { parseJsonBody, sendJson } from './http-replies.ts';
import type { RouteContext } from './route-context.ts';
import { pathIdV1 } from './route-ids.ts';
import { changeUser } from './user-changes.ts';

function userOf(context: RouteContext): EmulatorUser | undefined {
  const id = pathIdV1(context);
  if (id === undefined) return undefined;
  const user = context.state.store.get(id);
  if (!user) sendJson(context.res, 404, V1_USER_NOT_FOUND, context.headers);
  return user;
}

export function getUserRolesV1(context: RouteContext): void {
  const user = userOf(context);
  if (user) sendJson(context.res, 200, { status: SUCCESS_STATUS, data: user.role_ids ?? [] }, context.headers);
}

function roleIdArray(context: RouteContext): number[] | undefined {
  const body = parseJsonBody(context.body) as { role_id_array?: unknown } | undefined;
  const ids = body?.role_id_array;
  const badRequest = (message: string): undefined => {
    sendJson(context.res, 400, v1Status(400, 'bad request', message), context.headers);
    return undefined;
  };
  if (!Array.isArray(ids) || ids.length === 0) return badRequest('role_id_array is empty');
  if (!ids.every((id): id is number => Number.isSafeInteger(id) && id > 0))
    return badRequest('The IDs must be positive integers');
  // Unconfirmed: OneLogin's answer to an unknown role id; refusing it keeps a client from assuming success.
  if (!ids.every((id) => context.state.roles.has(id))) return badRequest('role_id_array contains an unknown role');
  return ids;
}

export function addUserRolesV1(context: RouteContext): void {
  const user = userOf(context);
  const ids = user && roleIdArray(context);
  if (!user || !ids) return;
  const held = new Set(user.role_ids ?? []);
  if (ids.every((id) => held.has(id))) {
    const message = 'input role_id_array is already included as user roles';
    sendJson(context.res, 400, v1Status(400, 'bad request', message), context.headers);
    return;
  }
  for (const id of ids) held.add(id);
  changeUser(context.state.store, user.id, { role_ids: [...held].sort((a, b) => a - b) }, context.state.now());
  sendJson(context.res, 200, { status: SUCCESS_STATUS }, context.headers);
}

export function removeUserRolesV1(context: RouteContext): void {
  const user = userOf(context);
  const ids = user && roleIdArray(context);
  if (!user || !ids) return;
  const remaining = (user.role_ids ?? []).filter((id) => !ids.includes(id));
  changeUser(context.state.store, user.id, { role_ids: remaining }, context.state.now());
  sendJson(context.res, 200, { status: SUCCESS_STATUS }, context.headers);
}
