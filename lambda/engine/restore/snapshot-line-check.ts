// What a restore accepts as one snapshot line (docs/restore.md): the contract of snapshot/snapshot-line.ts, checked
// field by field so that a bad line is rejected with a message naming its problem, never half-read.
import type { SnapshotLine } from '../snapshot/snapshot-line.ts';
import { isJsonObject as isObject, SNAPSHOT_SCHEMA_VERSION } from '../snapshot/snapshot-line.ts';

export type LineCheck = { line: SnapshotLine } | { problem: string };

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function hasText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** The first problem of the line's envelope (version, action, account), or undefined. */
function envelopeProblem(value: Record<string, unknown>): string | undefined {
  if (value.schemaVersion !== SNAPSHOT_SCHEMA_VERSION)
    return `unknown schemaVersion ${JSON.stringify(value.schemaVersion) ?? 'missing'} (this version reads ${SNAPSHOT_SCHEMA_VERSION})`;
  if (value.action !== 'delete' && value.action !== 'suspend')
    return `action must be "delete" or "suspend", not ${JSON.stringify(value.action) ?? 'missing'}`;
  const account = value.account;
  if (!isObject(account) || !hasText(account.host))
    return 'account.host is missing: the line cannot be bound to an account';
  if (account.accountId !== undefined && !isPositiveInteger(account.accountId))
    return 'account.accountId must be a positive integer';
  return undefined;
}

/** The first problem of what the line says of the user (record, roles, previous status), or undefined. */
function userProblem(value: Record<string, unknown>): string | undefined {
  const user = value.user;
  if (!isObject(user)) return 'user is missing or not an object';
  if (!isPositiveInteger(user.id)) return 'user.id must be a positive integer';
  if (!hasText(user.username) && !hasText(user.email)) return 'user has neither a username nor an email';
  for (const field of ['username', 'email'] as const) {
    const text = user[field];
    if (text !== undefined && text !== null && typeof text !== 'string') return `user.${field} must be text`;
  }
  if (!Array.isArray(value.roles) || !value.roles.every(isPositiveInteger))
    return 'roles must be an array of positive integer role ids';
  const previous = value.previousStatus;
  if (previous !== null && !(typeof previous === 'number' && Number.isSafeInteger(previous)))
    return 'previousStatus must be a number or null';
  if (value.action === 'suspend' && previous === null)
    return 'a suspend line without previousStatus: there is no status to give back';
  if (value.missingFields !== undefined && !(Array.isArray(value.missingFields) && value.missingFields.every(hasText)))
    return 'missingFields must be an array of field names';
  return undefined;
}

/** One non-empty line of the file, read as a snapshot line or refused with the reason. */
export function checkSnapshotLine(text: string): LineCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `invalid JSON: ${(error as Error).message}` };
  }
  if (!isObject(value)) return { problem: 'not a JSON object' };
  const problem = envelopeProblem(value) ?? userProblem(value);
  if (problem !== undefined) return { problem };
  return { line: value as unknown as SnapshotLine };
}

/** The identifiers a line names, as text for the report (whatever parts of it could be read). */
export function inputOfText(text: string): { id?: string; username?: string; email?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  const user = isObject(value) && isObject(value.user) ? value.user : undefined;
  if (user === undefined) return {};
  return inputOfUser(user);
}

export function inputOfUser(user: Record<string, unknown>): { id?: string; username?: string; email?: string } {
  const input: { id?: string; username?: string; email?: string } = {};
  if (typeof user.id === 'number' || typeof user.id === 'string') input.id = String(user.id).slice(0, 40);
  if (typeof user.username === 'string') input.username = user.username.slice(0, 320);
  if (typeof user.email === 'string') input.email = user.email.slice(0, 320);
  return input;
}
