// Reading the `:id` of a path, answering 400 in the route's error style when it is not a positive integer.
import { v1Status, v2BadRequest } from './error-bodies.ts';
import { sendJson } from './http-replies.ts';
import type { RouteContext } from './route-context.ts';
import { positiveInteger } from './user-search.ts';

export function pathIdV2(context: RouteContext): number | undefined {
  const id = positiveInteger(context.pathId ?? null);
  if (id === undefined) sendJson(context.res, 400, v2BadRequest('Invalid user id'), context.headers);
  return id;
}

export function pathIdV1(context: RouteContext): number | undefined {
  const id = positiveInteger(context.pathId ?? null);
  if (id === undefined) {
    const body = v1Status(400, 'bad request', { attribute: 'id', description: 'ID is incorrect' });
    sendJson(context.res, 400, body, context.headers);
  }
  return id;
}
