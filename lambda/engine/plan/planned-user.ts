// A resolved user as a plan records them, and back: the one mapping between the engine's user and plan.json's.
import type { ResolvedUser } from '../outcomes.ts';
import type { PlannedUser } from './plan-document.ts';

export function plannedUserOf(user: ResolvedUser, line: number): PlannedUser {
  return {
    line,
    id: user.id,
    username: user.username,
    email: user.email,
    firstname: user.firstname ?? null,
    lastname: user.lastname ?? null,
    status: user.status ?? null,
    state: user.state ?? null,
    directory_id: user.directory_id ?? null,
    updated_at: user.updatedAt ?? null,
    last_login: user.lastLogin ?? null,
  };
}

/** The planned user as the report shows a row that was not fetched again (the user was gone). */
export function resolvedUserOf(planned: PlannedUser): ResolvedUser {
  const user: ResolvedUser = { id: planned.id, username: planned.username, email: planned.email };
  const name = [planned.firstname, planned.lastname].filter((part) => part !== null && part.trim() !== '');
  user.name = name.length > 0 ? name.join(' ') : null;
  user.firstname = planned.firstname;
  user.lastname = planned.lastname;
  user.status = planned.status;
  user.state = planned.state;
  user.directory_id = planned.directory_id;
  user.updatedAt = planned.updated_at;
  user.lastLogin = planned.last_login;
  return user;
}
