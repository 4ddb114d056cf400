// The fields of a OneLogin user that a report shows a reviewer beside the identifiers: name, status, last login.
import type { OneLoginUser } from './api-messages.ts';

type Details = Pick<OneLoginUser, 'name' | 'status' | 'lastLogin'>;

/** From an API user object; a field the answer does not carry stays absent (the reviewer sees "unknown", not "none"). */
export function userDetails(item: Record<string, unknown>): Details {
  const details: Details = {};
  if ('firstname' in item || 'lastname' in item) {
    const parts = [item.firstname, item.lastname].filter(
      (part): part is string => typeof part === 'string' && part.trim() !== '',
    );
    details.name = parts.length > 0 ? parts.map((part) => part.trim()).join(' ') : null;
  }
  if ('status' in item) details.status = Number.isSafeInteger(item.status) ? (item.status as number) : null;
  if ('last_login' in item) details.lastLogin = typeof item.last_login === 'string' ? item.last_login : null;
  return details;
}
