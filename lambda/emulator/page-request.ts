// Reading a list call's page: a cursor xor limit/page, clamped to the maximum page size.
import type { RouteContext } from './route-context.ts';
import { decodeCursor, type PageRequest, positiveInteger } from './user-search.ts';

export function readPageRequest(
  context: RouteContext,
  cursorParameter: string,
  badRequest: (text: string) => void,
): PageRequest | undefined {
  const query = context.url.searchParams;
  const cursor = query.get(cursorParameter);
  let page: PageRequest | undefined;
  if (cursor !== null && cursor !== '') {
    if (query.has('limit') || query.has('page')) {
      badRequest('Requests can only have cursor xor pagination arguments');
      return undefined;
    }
    page = decodeCursor(cursor);
    if (!page) {
      badRequest('Invalid pagination cursor');
      return undefined;
    }
  } else {
    const limit = query.has('limit') ? positiveInteger(query.get('limit')) : context.state.defaultPageSize;
    const number = query.has('page') ? positiveInteger(query.get('page')) : 1;
    if (limit === undefined || number === undefined) {
      badRequest('Invalid pagination arguments');
      return undefined;
    }
    page = { limit, page: number };
  }
  return { limit: Math.min(page.limit, context.state.maxPageSize), page: page.page };
}
