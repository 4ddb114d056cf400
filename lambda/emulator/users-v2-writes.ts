// POST /api/2/users (201, the full user) and PUT /api/2/users/:id (200, the full user); a taken username
// or email answers 422 UnprocessableEntityError "Validation failed: …" (docs/onelogin-api-notes.md, the OpenAPI examples).
import { V2_NOT_FOUND, v2BadRequest, v2Unprocessable } from './error-bodies.ts';
import { parseJsonBody, sendJson } from './http-replies.ts';
import type { RouteContext } from './route-context.ts';
import { pathIdV2 } from './route-ids.ts';
import { changeUser, createUser, takenAttributes } from './user-changes.ts';
import { v2UserView } from './user-views.ts';
import { type ReadUserFields, readUserFields } from './user-writable-fields.ts';

type ValidFields = Extract<ReadUserFields, { changes: unknown }>;

function validFields(context: RouteContext, ownId?: number): ValidFields | undefined {
  const { res, headers, state } = context;
  const read = readUserFields(parseJsonBody(context.body));
  if ('invalid' in read) {
    sendJson(res, 400, v2BadRequest(read.invalid), headers);
    return undefined;
  }
  const taken = takenAttributes(state.store, read.changes, ownId);
  if (taken.length > 0) {
    sendJson(res, 422, v2Unprocessable(`Validation failed: ${taken.join(', ')}`), headers);
    return undefined;
  }
  return read;
}

export function createUserV2(context: RouteContext): void {
  const read = validFields(context);
  if (!read) return;
  const { changes, hasPassword } = read;
  if (!changes.username && !changes.email) {
    sendJson(context.res, 422, v2Unprocessable('Validation failed: Email or username is required'), context.headers);
    return;
  }
  // Without a password OneLogin creates the user as status 7, password pending (docs/onelogin-api-notes.md, writes).
  const fields = { ...changes, status: changes.status ?? (hasPassword ? 1 : 7) };
  const user = createUser(context.state.store, fields, context.state.now());
  sendJson(context.res, 201, v2UserView(user), context.headers);
}

export function updateUserV2(context: RouteContext): void {
  const id = pathIdV2(context);
  if (id === undefined) return;
  if (!context.state.store.get(id)) {
    sendJson(context.res, 404, V2_NOT_FOUND, context.headers);
    return;
  }
  const read = validFields(context, id);
  if (!read) return;
  const user = changeUser(context.state.store, id, read.changes, context.state.now());
  if (user) sendJson(context.res, 200, v2UserView(user), context.headers);
}
