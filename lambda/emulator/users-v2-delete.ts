// DELETE /api/2/users/:id: 204 with an empty body, 404 NotFoundError for an unknown id.
import { V2_NOT_FOUND } from './error-bodies.ts';
import { dropConnection } from './fault-injection.ts';
import { sendJson, sendNoContent } from './http-replies.ts';
import type { RouteContext } from './route-context.ts';
import { pathIdV2 } from './route-ids.ts';

export function deleteUserV2(context: RouteContext): void {
  const id = pathIdV2(context);
  if (id === undefined) return;
  const deleted = context.state.deleteUser(id);
  if (context.loseAnswer) dropConnection(context.state, context.req);
  else if (deleted) sendNoContent(context.res, context.headers);
  else sendJson(context.res, 404, V2_NOT_FOUND, context.headers);
}
