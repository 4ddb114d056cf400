// Creating and changing users in the store, shared by the API routes and the test controls: new ids only
// grow, updated_at moves on every change, and a username or email may not be taken twice.
import type { EmulatorUser, EmulatorUserChanges } from './emulator-types.ts';
import type { UserStore } from './user-store.ts';

/** An ISO time after `previous`, so that updated_at moves even when the clock has not. */
export function laterTimestamp(now: number, previous: string | undefined): string {
  const previousTime = previous === undefined ? Number.NaN : Date.parse(previous);
  const time = Number.isNaN(previousTime) || now > previousTime ? now : previousTime + 1;
  return new Date(time).toISOString();
}

/** The attributes already held by another user, in OneLogin's validation wording ("Email has already been taken"). */
export function takenAttributes(store: UserStore, fields: EmulatorUserChanges, ownId?: number): string[] {
  const taken: string[] = [];
  const heldByOther = (ids: number[]): boolean => ids.some((id) => id !== ownId);
  if (typeof fields.email === 'string' && heldByOther(store.idsWithEmail(fields.email.toLowerCase())))
    taken.push('Email has already been taken');
  if (typeof fields.username === 'string' && heldByOther(store.idsWithUsername(fields.username.toLowerCase())))
    taken.push('Username has already been taken');
  return taken;
}

export function createUser(store: UserStore, fields: EmulatorUserChanges, now: number): EmulatorUser {
  const createdAt = new Date(now).toISOString();
  const user: EmulatorUser = {
    username: null,
    email: null,
    firstname: null,
    lastname: null,
    status: 7,
    state: 1,
    ...fields,
    id: store.nextId(),
    created_at: createdAt,
    updated_at: createdAt,
  };
  store.put(user);
  return user;
}

export function changeUser(
  store: UserStore,
  id: number,
  changes: EmulatorUserChanges,
  now: number,
): EmulatorUser | undefined {
  const user = store.get(id);
  if (!user) return undefined;
  const changed: EmulatorUser = {
    ...user,
    ...changes,
    id,
    created_at: user.created_at,
    updated_at: changes.updated_at ?? laterTimestamp(now, user.updated_at),
  };
  // Pin what activated_at showed before (see user-views), so that suspending an active user keeps it.
  if (changed.activated_at === undefined) {
    if (user.status === 1) changed.activated_at = user.created_at;
    else changed.activated_at = changed.status === 1 ? changed.updated_at : null;
  }
  store.put(changed);
  return changed;
}
