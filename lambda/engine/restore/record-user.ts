// A full user record (a snapshot's, or the one a create returned) as the report shows a user.
import type { ResolvedUser } from '../outcomes.ts';
import type { UserRecord } from '../ports.ts';

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

export function userOfRecord(record: UserRecord): ResolvedUser {
  const firstname = textOrNull(record.firstname);
  const lastname = textOrNull(record.lastname);
  const name = [firstname, lastname].filter((part) => part !== null && part !== '').join(' ');
  return {
    id: record.id,
    username: textOrNull(record.username),
    email: textOrNull(record.email),
    name: name === '' ? null : name,
    firstname,
    lastname,
    status: numberOrNull(record.status),
    state: numberOrNull(record.state),
    directory_id: numberOrNull(record.directory_id),
    lastLogin: textOrNull(record.last_login),
    updatedAt: textOrNull(record.updated_at),
  };
}
