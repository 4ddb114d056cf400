// v2 paging headers (docs/onelogin-api-notes.md, v2 paging): Total-Count, Total-Pages, Current-Page, Page-Items, cursors and Link.
import type { Headers } from './http-replies.ts';
import { encodeCursor, type PageRequest, type PageSlice } from './user-search.ts';

const PAGING_PARAMETERS = ['cursor', 'limit', 'page'];

export function v2PagingHeaders(baseUrl: string, url: URL, page: PageRequest, slice: PageSlice): Headers {
  const pageLink = (number: number): string => {
    const linkUrl = new URL(url.pathname, baseUrl);
    for (const [key, value] of url.searchParams)
      if (!PAGING_PARAMETERS.includes(key)) linkUrl.searchParams.append(key, value);
    linkUrl.searchParams.set('limit', String(page.limit));
    linkUrl.searchParams.set('page', String(number));
    return linkUrl.toString();
  };
  const links = [`<${pageLink(1)}>; rel="first"`];
  const headers: Headers = {
    'total-count': String(slice.totalCount),
    'total-pages': String(slice.totalPages),
    'current-page': String(page.page),
    'page-items': String(slice.ids.length),
    cursor: encodeCursor(page),
  };
  if (slice.hasPrevious) {
    headers['before-cursor'] = encodeCursor({ limit: page.limit, page: page.page - 1 });
    links.push(`<${pageLink(page.page - 1)}>; rel="prev"`);
  }
  if (slice.hasNext) {
    headers['after-cursor'] = encodeCursor({ limit: page.limit, page: page.page + 1 });
    links.push(`<${pageLink(page.page + 1)}>; rel="next"`);
  }
  if (slice.totalPages > 0) links.push(`<${pageLink(slice.totalPages)}>; rel="last"`);
  headers.link = links.join(', ');
  return headers;
}
