// The account's users: by-id map, ids kept sorted for O(page) unfiltered listing, and lower-cased
// email/username indexes so exact searches on 100k-user tenants do not scan.
import type { EmulatorUser } from './emulator-types.ts';

export class UserStore {
  private readonly byId = new Map<number, EmulatorUser>();
  private sortedIds: number[] = [];
  private readonly byEmail = new Map<string, Set<number>>();
  private readonly byUsername = new Map<string, Set<number>>();
  /** Highest id ever stored, so that a created user never reuses a deleted user's id (OneLogin ids only grow). */
  private highestId = 0;

  constructor(users: EmulatorUser[] = []) {
    this.add(users);
  }

  get size(): number {
    return this.sortedIds.length;
  }

  get(id: number): EmulatorUser | undefined {
    return this.byId.get(id);
  }

  add(users: EmulatorUser[]): void {
    for (const user of users) {
      if (!Number.isSafeInteger(user.id) || user.id <= 0) throw new Error(`invalid user id ${user.id}`);
      const previous = this.byId.get(user.id);
      if (previous) this.unindex(previous);
      this.byId.set(user.id, user);
      this.index(user);
      if (user.id > this.highestId) this.highestId = user.id;
    }
    this.sortedIds = [...this.byId.keys()].sort((a, b) => a - b);
  }

  /** Stores one user (new or replacing the same id) without re-sorting every id. */
  put(user: EmulatorUser): void {
    if (!Number.isSafeInteger(user.id) || user.id <= 0) throw new Error(`invalid user id ${user.id}`);
    const previous = this.byId.get(user.id);
    if (previous) this.unindex(previous);
    else this.sortedIds.splice(this.positionOf(user.id), 0, user.id);
    this.byId.set(user.id, user);
    this.index(user);
    if (user.id > this.highestId) this.highestId = user.id;
  }

  nextId(): number {
    return this.highestId + 1;
  }

  delete(id: number): boolean {
    const user = this.byId.get(id);
    if (!user) return false;
    this.byId.delete(id);
    this.unindex(user);
    const position = this.positionOf(id);
    if (this.sortedIds[position] === id) this.sortedIds.splice(position, 1);
    return true;
  }

  /** Ids in ascending order; callers must not mutate. */
  ids(): readonly number[] {
    return this.sortedIds;
  }

  idsWithEmail(lowerCaseEmail: string): number[] {
    return sortedCopy(this.byEmail.get(lowerCaseEmail));
  }

  idsWithUsername(lowerCaseUsername: string): number[] {
    return sortedCopy(this.byUsername.get(lowerCaseUsername));
  }

  all(): EmulatorUser[] {
    const users: EmulatorUser[] = [];
    for (const id of this.sortedIds) {
      const user = this.byId.get(id);
      if (user) users.push(user);
    }
    return users;
  }

  private positionOf(id: number): number {
    let low = 0;
    let high = this.sortedIds.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.sortedIds[middle] ?? Infinity) < id) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private index(user: EmulatorUser): void {
    if (user.email !== null) addTo(this.byEmail, user.email.toLowerCase(), user.id);
    if (user.username !== null) addTo(this.byUsername, user.username.toLowerCase(), user.id);
  }

  private unindex(user: EmulatorUser): void {
    if (user.email !== null) removeFrom(this.byEmail, user.email.toLowerCase(), user.id);
    if (user.username !== null) removeFrom(this.byUsername, user.username.toLowerCase(), user.id);
  }
}

function addTo(index: Map<string, Set<number>>, key: string, id: number): void {
  const ids = index.get(key);
  if (ids) ids.add(id);
  else index.set(key, new Set([id]));
}

function removeFrom(index: Map<string, Set<number>>, key: string, id: number): void {
  const ids = index.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) index.delete(key);
}

function sortedCopy(ids: Set<number> | undefined): number[] {
  return ids ? [...ids].sort((a, b) => a - b) : [];
}
