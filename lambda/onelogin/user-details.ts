// The fields of a OneLogin user that a report shows a reviewer and a reviewed plan records beside the identifiers.
import type { OneLoginUser } from './api-messages.ts';

type Details = Omit<OneLoginUser, 'id' | 'username' | 'email'>;

/** From an API user object; a field the answer does not carry stays absent (the reviewer sees "unknown", not "none"). */
export function userDetails(item: Record<string, unknown>): Details {
  const details: Details = {};
  if ('firstname' in item || 'lastname' in item) {
    const parts = [item.firstname, item.lastname].filter(
      (part): part is string => typeof part === 'string' && part.trim() !== '',
    );
    details.name = parts.length > 0 ? parts.map((part) => part.trim()).join(' ') : null;
  }
  if ('firstname' in item) details.firstname = textOrNull(item.firstname);
  if ('lastname' in item) details.lastname = textOrNull(item.lastname);
  if ('status' in item) details.status = integerOrNull(item.status);
  if ('state' in item) details.state = integerOrNull(item.state);
  // The directory guard depends on it: any value that is not clearly "none" counts as a directory.
  if ('directory_id' in item) details.directory_id = directoryIdOf(item.directory_id);
  if ('updated_at' in item) details.updatedAt = textOrNull(item.updated_at);
  if ('last_login' in item) details.lastLogin = textOrNull(item.last_login);
  return details;
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function integerOrNull(value: unknown): number | null {
  return Number.isSafeInteger(value) ? (value as number) : null;
}

/** null for "no directory" (null, absent, 0, ""); the id otherwise; a value of another shape counts as a directory (-1). */
function directoryIdOf(value: unknown): number | null {
  if (value === null || value === undefined || value === 0 || value === '') return null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^[0-9]+$/.test(value.trim())) return Number(value.trim()) || null;
  return -1;
}
