// Whether a 404 body says that the user does not exist, as opposed to a route that does not exist. OneLogin's OpenAPI
// document gives "No Route Exists" as the 404 example of DELETE /api/2/users/{user_id}: a wrong base path answers 404
// to every call, and only a body that names the missing resource may turn a DELETE into `already-absent`.
import { isRecord } from './api-messages.ts';

const ROUTE_WORDING = /\broute\b|request-uri/i;
const MISSING_RESOURCE_WORDING = /\b(user|resource)\b[^.]*\bnot\b[^.]*\bfound\b/i;

/** True only for a JSON body that names the missing user or resource (v2 `NotFoundError`, v1 "User not found"). */
export function saysUserNotFound(text: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    return false;
  }
  if (!isRecord(body)) return false;
  const envelope = isRecord(body.status) ? body.status : undefined;
  const message = firstText(body.message, body.description, envelope?.message);
  if (message === undefined || ROUTE_WORDING.test(message)) return false;
  return body.name === 'NotFoundError' || MISSING_RESOURCE_WORDING.test(message);
}

function firstText(...values: unknown[]): string | undefined {
  for (const value of values) if (typeof value === 'string' && value.trim() !== '') return value;
  return undefined;
}
