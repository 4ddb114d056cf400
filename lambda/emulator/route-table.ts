// Which handler serves a resource call: method, path pattern, call kind and error style. Paths the OpenAPI
// document does not have (e.g. /api/2/users/:id/roles, a v2 logout) fall through to 404 "No Route Exists".
import { rateLimitStatus } from './rate-limit-gate.ts';
import { addRoleUsersV2, listRolesV2, removeRoleUsersV2 } from './roles-v2.ts';
import type { Route } from './route-context.ts';
import { logOutUser } from './user-logout.ts';
import { addUserRolesV1, getUserRolesV1, removeUserRolesV1 } from './user-roles-v1.ts';
import { deleteUserV1, getUserV1, listUsersV1 } from './users-v1-routes.ts';
import { deleteUserV2 } from './users-v2-delete.ts';
import { getUserV2, listUsersV2 } from './users-v2-reads.ts';
import { createUserV2, updateUserV2 } from './users-v2-writes.ts';

interface RouteEntry extends Route {
  method: string;
  /** Anchored; its one capture group, if any, is the path's id. */
  pattern: RegExp;
}

const ID = '([^/]+)';

const ROUTES: readonly RouteEntry[] = [
  { method: 'GET', pattern: /^\/api\/2\/users$/, kind: 'list', version: 2, handle: listUsersV2 },
  { method: 'POST', pattern: /^\/api\/2\/users$/, kind: 'create', version: 2, handle: createUserV2 },
  { method: 'GET', pattern: new RegExp(`^/api/2/users/${ID}$`), kind: 'get', version: 2, handle: getUserV2 },
  { method: 'PUT', pattern: new RegExp(`^/api/2/users/${ID}$`), kind: 'update', version: 2, handle: updateUserV2 },
  { method: 'DELETE', pattern: new RegExp(`^/api/2/users/${ID}$`), kind: 'delete', version: 2, handle: deleteUserV2 },
  { method: 'GET', pattern: /^\/api\/2\/roles$/, kind: 'roles', version: 2, handle: listRolesV2 },
  {
    method: 'POST',
    pattern: new RegExp(`^/api/2/roles/${ID}/users$`),
    kind: 'assignRoles',
    version: 2,
    handle: addRoleUsersV2,
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/api/2/roles/${ID}/users$`),
    kind: 'assignRoles',
    version: 2,
    handle: removeRoleUsersV2,
  },
  { method: 'GET', pattern: /^\/api\/1\/users$/, kind: 'list', version: 1, handle: listUsersV1 },
  { method: 'GET', pattern: new RegExp(`^/api/1/users/${ID}$`), kind: 'get', version: 1, handle: getUserV1 },
  { method: 'DELETE', pattern: new RegExp(`^/api/1/users/${ID}$`), kind: 'delete', version: 1, handle: deleteUserV1 },
  {
    method: 'GET',
    pattern: new RegExp(`^/api/1/users/${ID}/roles$`),
    kind: 'roles',
    version: 1,
    handle: getUserRolesV1,
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/api/1/users/${ID}/add_roles$`),
    kind: 'assignRoles',
    version: 1,
    handle: addUserRolesV1,
  },
  {
    method: 'PUT',
    pattern: new RegExp(`^/api/1/users/${ID}/remove_roles$`),
    kind: 'assignRoles',
    version: 1,
    handle: removeUserRolesV1,
  },
  { method: 'PUT', pattern: new RegExp(`^/api/1/users/${ID}/logout$`), kind: 'logout', version: 1, handle: logOutUser },
  { method: 'GET', pattern: /^\/auth\/rate_limit$/, kind: 'other', version: 1, handle: rateLimitStatus },
];

export interface MatchedRoute {
  route: Route;
  pathId?: string;
}

export function findRoute(method: string, path: string): MatchedRoute | undefined {
  for (const entry of ROUTES) {
    if (entry.method !== method) continue;
    const match = entry.pattern.exec(path);
    if (!match) continue;
    const pathId = match[1];
    return pathId === undefined ? { route: entry } : { route: entry, pathId: decodeURIComponent(pathId) };
  }
  return undefined;
}
