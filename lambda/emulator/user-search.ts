// Users API search semantics: filters with `*` wildcards (matched case-insensitively, our decision
// since OneLogin's behaviour is unconfirmed), `user_ids`, and page/cursor arithmetic.
import type { EmulatorUser } from './emulator-types.ts';
import type { UserStore } from './user-store.ts';

type TextField = 'email' | 'username' | 'firstname' | 'lastname';
const TEXT_FIELDS: readonly TextField[] = ['email', 'username', 'firstname', 'lastname'];

interface TextFilter {
  field: TextField;
  /** Lower-cased exact value, or a case-insensitive regex when the value contains `*`. */
  exact?: string;
  pattern?: RegExp;
}

export interface UserFilter {
  text: TextFilter[];
  ids?: number[];
}

export function parseUserFilter(query: URLSearchParams, idParameter: 'user_ids' | 'id'): UserFilter {
  const text: TextFilter[] = [];
  for (const field of TEXT_FIELDS) {
    const value = query.get(field);
    if (value === null || value === '') continue;
    const lower = value.toLowerCase();
    if (lower.includes('*')) text.push({ field, pattern: wildcardPattern(value) });
    else text.push({ field, exact: lower });
  }
  const idList = query.get(idParameter);
  const filter: UserFilter = { text };
  if (idList !== null && idList !== '') {
    filter.ids = idList
      .split(',')
      .map((part) => Number(part.trim()))
      .filter((id) => Number.isSafeInteger(id) && id > 0);
  }
  return filter;
}

export function isUnfiltered(filter: UserFilter): boolean {
  return filter.text.length === 0 && filter.ids === undefined;
}

/** Matching ids in ascending order. Exact email/username use the store's indexes; the rest scans. */
export function findUserIds(store: UserStore, filter: UserFilter): readonly number[] {
  if (isUnfiltered(filter)) return store.ids();
  let candidates: readonly number[];
  if (filter.ids !== undefined) {
    candidates = [...new Set(filter.ids)].filter((id) => store.get(id) !== undefined).sort((a, b) => a - b);
  } else {
    const indexed = filter.text.find((f) => f.exact !== undefined && (f.field === 'email' || f.field === 'username'));
    if (indexed?.exact !== undefined) {
      candidates = indexed.field === 'email' ? store.idsWithEmail(indexed.exact) : store.idsWithUsername(indexed.exact);
    } else {
      candidates = store.ids();
    }
  }
  if (filter.text.length === 0) return candidates;
  const matching: number[] = [];
  for (const id of candidates) {
    const user = store.get(id);
    if (user && matchesAll(user, filter.text)) matching.push(id);
  }
  return matching;
}

function matchesAll(user: EmulatorUser, filters: TextFilter[]): boolean {
  for (const filter of filters) {
    const value = user[filter.field];
    if (value === null) return false;
    if (filter.exact !== undefined) {
      // The length check spares a lower-cased copy of every scanned value.
      if (value.length !== filter.exact.length || value.toLowerCase() !== filter.exact) return false;
    } else if (!filter.pattern?.test(value)) {
      return false;
    }
  }
  return true;
}

export function wildcardPattern(value: string): RegExp {
  const body = value
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'is');
}

export interface PageRequest {
  limit: number;
  page: number;
}

/** OneLogin cursors are base64 of a query string, e.g. `limit=1000&page=3`. */
export function encodeCursor(page: PageRequest): string {
  return Buffer.from(`limit=${page.limit}&page=${page.page}`).toString('base64');
}

export function decodeCursor(cursor: string): PageRequest | undefined {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(cursor)) return undefined;
  const decoded = new URLSearchParams(Buffer.from(cursor, 'base64').toString('utf8'));
  const limit = positiveInteger(decoded.get('limit'));
  const page = positiveInteger(decoded.get('page'));
  if (limit === undefined || page === undefined) return undefined;
  return { limit, page };
}

export function positiveInteger(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

export interface PageSlice {
  ids: readonly number[];
  totalCount: number;
  totalPages: number;
  hasPrevious: boolean;
  hasNext: boolean;
}

export function slicePage(ids: readonly number[], page: PageRequest): PageSlice {
  const start = (page.page - 1) * page.limit;
  const totalPages = Math.ceil(ids.length / page.limit);
  return {
    ids: ids.slice(start, start + page.limit),
    totalCount: ids.length,
    totalPages,
    hasPrevious: page.page > 1,
    hasNext: page.page < totalPages,
  };
}
