// Users v1 (docs/onelogin-api-notes.md, users v1): the `status` envelope, `pagination` in the body, after_cursor paging.

import type { EmulatorUser } from './emulator-types.ts';
import { SUCCESS_STATUS, V1_USER_NOT_FOUND, v1Status } from './error-bodies.ts';
import { dropConnection } from './fault-injection.ts';
import { sendJson } from './http-replies.ts';
import { readPageRequest } from './page-request.ts';
import type { RouteContext } from './route-context.ts';
import { pathIdV1 } from './route-ids.ts';
import { encodeCursor, findUserIds, parseUserFilter, slicePage } from './user-search.ts';
import { parseFields, projectFields, v1UserView } from './user-views.ts';

const PAGING_PARAMETERS = ['after_cursor', 'before_cursor', 'limit', 'page'];

export function listUsersV1(context: RouteContext): void {
  const { res, url, headers, state } = context;
  const page = readPageRequest(context, 'after_cursor', (text) =>
    sendJson(res, 400, v1Status(400, 'bad request', text), headers),
  );
  if (!page) return;
  const fields = parseFields(url.searchParams.get('fields'));
  const slice = slicePage(findUserIds(state.store, parseUserFilter(url.searchParams, 'id')), page);
  const data = slice.ids.map((id) => projectFields(v1UserView(state.store.get(id) as EmulatorUser), fields));
  const cursorLink = (cursor: string): string => {
    const linkUrl = new URL(url.pathname, state.url);
    for (const [key, value] of url.searchParams)
      if (!PAGING_PARAMETERS.includes(key)) linkUrl.searchParams.append(key, value);
    linkUrl.searchParams.set('after_cursor', cursor);
    return linkUrl.toString();
  };
  const after = slice.hasNext ? encodeCursor({ limit: page.limit, page: page.page + 1 }) : null;
  const before = slice.hasPrevious ? encodeCursor({ limit: page.limit, page: page.page - 1 }) : null;
  const pagination = {
    before_cursor: before,
    after_cursor: after,
    previous_link: before === null ? null : cursorLink(before),
    next_link: after === null ? null : cursorLink(after),
  };
  sendJson(res, 200, { status: SUCCESS_STATUS, pagination, data }, { ...headers, link: '' });
}

export function getUserV1(context: RouteContext): void {
  const id = pathIdV1(context);
  if (id === undefined) return;
  const user = context.state.store.get(id);
  // The v1 404 body is unconfirmed; this follows the v1 envelope.
  if (!user) sendJson(context.res, 404, V1_USER_NOT_FOUND, context.headers);
  else sendJson(context.res, 200, { status: SUCCESS_STATUS, data: [v1UserView(user)] }, context.headers);
}

export function deleteUserV1(context: RouteContext): void {
  const id = pathIdV1(context);
  if (id === undefined) return;
  const deleted = context.state.deleteUser(id);
  if (context.loseAnswer) dropConnection(context.state, context.req);
  else if (deleted) sendJson(context.res, 200, { status: SUCCESS_STATUS }, context.headers);
  else sendJson(context.res, 404, V1_USER_NOT_FOUND, context.headers);
}
