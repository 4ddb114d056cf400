// The fields of a OneLogin user beside the identifiers: name, status, last login (for the reviewer), directory (a guard).
import type { OneLoginUser } from './api-messages.ts';

type Details = Pick<OneLoginUser, 'name' | 'status' | 'lastLogin' | 'directory_id'>;

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
  // The directory guard depends on it: any value that is not clearly "none" counts as a directory.
  if ('directory_id' in item) details.directory_id = directoryIdOf(item.directory_id);
  return details;
}

/** null for "no directory" (null, absent, 0, ""); the id otherwise; a value of another shape counts as a directory (-1). */
function directoryIdOf(value: unknown): number | null {
  if (value === null || value === undefined || value === 0 || value === '') return null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^[0-9]+$/.test(value.trim())) return Number(value.trim()) || null;
  return -1;
}
