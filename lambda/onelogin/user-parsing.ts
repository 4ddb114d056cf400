// Reads users out of OneLogin's answers and checks the ids the client puts into paths and queries.
import type { OneLoginUser } from './api-messages.ts';
import { isRecord } from './api-messages.ts';
import type { ClientErrorFactory } from './client-error-factory.ts';
import { OneLoginError } from './onelogin-errors.ts';
import { userDetails } from './user-details.ts';

export function checkedId(id: number): number {
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new OneLoginError('invalid-argument', 'a OneLogin user id must be a positive integer');
  }
  return id;
}

export function parseUser(item: unknown, errors: ClientErrorFactory): OneLoginUser {
  if (!isRecord(item)) throw errors.error('invalid-response', 'OneLogin answered a user that is not an object');
  const id = typeof item.id === 'string' && /^\d+$/.test(item.id) ? Number(item.id) : item.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw errors.error('invalid-response', 'OneLogin answered a user without a valid id');
  }
  return { id, username: optionalText(item.username), email: optionalText(item.email), ...userDetails(item) };
}

/** The users of a listing answer: a bare array or the `{data: [...]}` envelope. */
export function parseUserList(body: unknown, errors: ClientErrorFactory): OneLoginUser[] {
  const items = Array.isArray(body) ? body : isRecord(body) && Array.isArray(body.data) ? body.data : undefined;
  if (items === undefined)
    throw errors.error('invalid-response', 'OneLogin list users answered without a list of users');
  return items.map((item) => parseUser(item, errors));
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
