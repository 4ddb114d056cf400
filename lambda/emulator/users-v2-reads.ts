// GET /api/2/users (a bare array, paging in headers) and GET /api/2/users/:id (the full record).

import type { EmulatorUser } from './emulator-types.ts';
import { V2_NOT_FOUND, v2BadRequest, v2Unprocessable } from './error-bodies.ts';
import { sendJson } from './http-replies.ts';
import { readPageRequest } from './page-request.ts';
import { v2PagingHeaders } from './paging-headers.ts';
import type { RouteContext } from './route-context.ts';
import { pathIdV2 } from './route-ids.ts';
import { findUserIds, parseUserFilter, slicePage } from './user-search.ts';
import { parseFields, projectFields, v2ListItemView, v2UserView } from './user-views.ts';

export function listUsersV2(context: RouteContext): void {
  const { res, url, headers, state } = context;
  if (refusesLimit(context)) return;
  const page = readPageRequest(context, 'cursor', (text) => sendJson(res, 400, v2BadRequest(text), headers));
  if (!page) return;
  const fields = parseFields(url.searchParams.get('fields'));
  const withRecordExtras = state.options.listIncludesCustomAttributes === true;
  const slice = slicePage(findUserIds(state.store, parseUserFilter(url.searchParams, 'user_ids')), page);
  const body = slice.ids.map((id) => {
    const user = state.store.get(id) as EmulatorUser;
    return projectFields(v2ListItemView(user, withRecordExtras, fields !== undefined), fields);
  });
  sendJson(res, 200, body, { ...headers, ...v2PagingHeaders(state.url, url, page, slice) });
}

/** The `limitRefusal` switch: a `limit` over the maximum is refused, not clamped. */
function refusesLimit(context: RouteContext): boolean {
  const refusal = context.state.options.limitRefusal;
  const limit = Number(context.url.searchParams.get('limit') ?? Number.NaN);
  if (refusal === undefined || !(limit > refusal.above)) return false;
  const text = `limit must be less than or equal to ${refusal.above}`;
  if (refusal.status === 400) sendJson(context.res, 400, v2BadRequest(text), context.headers);
  else sendJson(context.res, 422, v2Unprocessable(`Validation failed: ${text}`), context.headers);
  return true;
}

export function getUserV2(context: RouteContext): void {
  const id = pathIdV2(context);
  if (id === undefined) return;
  const user = context.state.store.get(id);
  if (!user) sendJson(context.res, 404, V2_NOT_FOUND, context.headers);
  else {
    const fields = parseFields(context.url.searchParams.get('fields'));
    sendJson(context.res, 200, projectFields(v2UserView(user), fields), context.headers);
  }
}
