// PUT /api/1/users/:id/logout (the OpenAPI document's logOutUser; there is no v2 logout): ends the user's sessions.
import { SUCCESS_STATUS, V1_USER_NOT_FOUND } from './error-bodies.ts';
import { sendJson } from './http-replies.ts';
import type { RouteContext } from './route-context.ts';
import { pathIdV1 } from './route-ids.ts';

export function logOutUser(context: RouteContext): void {
  const id = pathIdV1(context);
  if (id === undefined) return;
  const { state, res, headers } = context;
  if (!state.store.get(id)) {
    sendJson(res, 404, V1_USER_NOT_FOUND, headers);
    return;
  }
  state.stats.logouts.push({ id, at: state.now() });
  sendJson(res, 200, { status: SUCCESS_STATUS }, headers);
}
