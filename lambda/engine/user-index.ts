// Users kept from a full listing: only those the file may mean (filtered by short hashes), looked up by the file's
// primary identifiers. Sized for a listing that keeps a million users: columns in typed arrays and one UTF-8 buffer
// (about 60 bytes per user, off the JS heap), sorted once the listing is complete, searched by bisection.

import { primaryField } from './candidate-rule.ts';
import type { ResolvedUser } from './outcomes.ts';
import type { LookupKey } from './stored-row.ts';
import { valueHash } from './text-hash.ts';
import { GrowableFloat64, lowerBound, StringColumn, sortedHas } from './typed-columns.ts';

/** The primary values a file looks up: ids, and short hashes of emails and usernames. Sorted arrays once sealed. */
export class WantedKeys {
  private readonly idList = new GrowableFloat64();
  private readonly emailList = new GrowableFloat64();
  private readonly usernameList = new GrowableFloat64();
  private ids: Float64Array = new Float64Array(0);
  private emails: Float64Array = new Float64Array(0);
  private usernames: Float64Array = new Float64Array(0);

  add(key: LookupKey): void {
    const primary = primaryField(key);
    if (primary === 'id' && key.id !== undefined) this.idList.push(key.id);
    else if (primary === 'email' && key.email !== undefined) this.emailList.push(valueHash(key.email));
    else if (primary === 'username' && key.username !== undefined) this.usernameList.push(valueHash(key.username));
  }

  /** Ends adding; returns the distinct counts (the cost model's input). */
  seal(): { distinctIds: number; distinctEmails: number; distinctUsernames: number } {
    this.ids = this.idList.takeSortedUnique();
    this.emails = this.emailList.takeSortedUnique();
    this.usernames = this.usernameList.takeSortedUnique();
    return {
      distinctIds: this.ids.length,
      distinctEmails: this.emails.length,
      distinctUsernames: this.usernames.length,
    };
  }

  wants(user: ResolvedUser): boolean {
    return (
      (this.ids.length > 0 && sortedHas(this.ids, user.id)) ||
      (this.emails.length > 0 && user.email !== null && sortedHas(this.emails, valueHash(user.email.trim()))) ||
      (this.usernames.length > 0 &&
        user.username !== null &&
        sortedHas(this.usernames, valueHash(user.username.trim())))
    );
  }
}

/** The fields of a user the index keeps (and saves in its parts): the identifiers and what the report shows. */
export function indexedUser(user: ResolvedUser): ResolvedUser {
  const kept: ResolvedUser = { id: user.id, username: user.username, email: user.email };
  for (const field of DETAIL_FIELDS) if (user[field] !== undefined) Object.assign(kept, { [field]: user[field] });
  return kept;
}

/** What the report shows and a reviewed plan records beside the identifiers. */
const TEXT_DETAILS = ['name', 'lastLogin', 'firstname', 'lastname', 'updatedAt'] as const;
const NUMBER_DETAILS = ['status', 'state', 'directory_id'] as const;
const DETAIL_FIELDS = [...TEXT_DETAILS, ...NUMBER_DETAILS] as const;

/** Column value of a number the directory did not give (absent) or gave as null; any real value (-1 included) is kept. */
const NO_STATUS = Number.NaN;
const NULL_STATUS = Number.NEGATIVE_INFINITY;

export class UserIndex {
  private readonly ids = new GrowableFloat64();
  private readonly usernames = new StringColumn();
  private readonly emails = new StringColumn();
  /** For the report and the plan only: undefined and null text both stored as null (neither tells them apart). */
  private readonly texts = TEXT_DETAILS.map(() => new StringColumn());
  private readonly numbers = NUMBER_DETAILS.map(() => new GrowableFloat64());
  private readonly indexEmails: boolean;
  private readonly indexUsernames: boolean;
  /** Sealed: positions ordered by id / email hash / username hash, with the sorted keys beside them. */
  private byId: { keys: Float64Array; positions: Uint32Array } | undefined;
  private byEmail: { keys: Uint32Array; positions: Uint32Array } | undefined;
  private byUsername: { keys: Uint32Array; positions: Uint32Array } | undefined;
  /** Line of the row that planned each user (0: none), by position. */
  private plannedLines = new Uint32Array(0);

  /** Index emails / usernames only when some row looks users up by them. */
  constructor(fields: { email: boolean; username: boolean } = { email: true, username: true }) {
    this.indexEmails = fields.email;
    this.indexUsernames = fields.username;
  }

  get size(): number {
    return this.byId ? this.byId.keys.length : this.ids.length;
  }

  add(user: ResolvedUser): void {
    if (this.byId) throw new Error('user index is sealed');
    this.ids.push(user.id);
    this.usernames.push(user.username);
    this.emails.push(user.email);
    TEXT_DETAILS.forEach((field, i) => {
      this.texts[i]?.push(user[field] ?? null);
    });
    NUMBER_DETAILS.forEach((field, i) => {
      const value = user[field];
      this.numbers[i]?.push(value === undefined ? NO_STATUS : value === null ? NULL_STATUS : value);
    });
  }

  /** Ends adding (a user added twice is kept once) and sorts the lookups. */
  seal(): void {
    const count = this.ids.length;
    const idValues = this.ids.view();
    const byId = sortedPositions(count, (p) => idValues[p] as number, new Float64Array(count));
    // Keep the first position of each id.
    let unique = 0;
    for (let i = 0; i < byId.positions.length; i += 1) {
      if (i === 0 || byId.keys[i] !== byId.keys[unique - 1]) {
        byId.keys[unique] = byId.keys[i] as number;
        byId.positions[unique] = byId.positions[i] as number;
        unique += 1;
      }
    }
    this.byId = { keys: byId.keys.slice(0, unique), positions: byId.positions.slice(0, unique) };
    const kept = this.byId.positions;
    if (this.indexEmails)
      this.byEmail = sortedPositions(
        unique,
        (i) => textHash(this.emails.get(kept[i] as number)),
        new Uint32Array(unique),
        kept,
      );
    if (this.indexUsernames) {
      this.byUsername = sortedPositions(
        unique,
        (i) => textHash(this.usernames.get(kept[i] as number)),
        new Uint32Array(unique),
        kept,
      );
    }
    this.plannedLines = new Uint32Array(count);
  }

  /** Every kept user, in id order. */
  *users(): IterableIterator<ResolvedUser> {
    const byId = this.sealed();
    for (const position of byId.positions) yield this.userAt(position);
  }

  /** Users that may carry the row's primary value (hash-equal; the candidate rule re-checks exactly). */
  candidates(key: LookupKey): ResolvedUser[] {
    const primary = primaryField(key);
    if (primary === 'id') {
      const position = key.id === undefined ? undefined : this.positionOf(key.id);
      return position === undefined ? [] : [this.userAt(position)];
    }
    const value = primary === 'email' ? key.email : primary === 'username' ? key.username : undefined;
    const lookup = primary === 'email' ? this.byEmail : this.byUsername;
    if (value === undefined || lookup === undefined) return [];
    const hash = valueHash(value.trim());
    const found: ResolvedUser[] = [];
    for (let i = lowerBound(lookup.keys, hash); i < lookup.keys.length && lookup.keys[i] === hash; i += 1) {
      found.push(this.userAt(lookup.positions[i] as number));
    }
    return found;
  }

  /** The line of the row that planned this user, if one did. */
  plannedLine(userId: number): number | undefined {
    const position = this.positionOf(userId);
    const line = position === undefined ? 0 : (this.plannedLines[position] as number);
    return line === 0 ? undefined : line;
  }

  has(userId: number): boolean {
    return this.positionOf(userId) !== undefined;
  }

  markPlanned(userId: number, line: number): void {
    const position = this.positionOf(userId);
    if (position !== undefined) this.plannedLines[position] = line;
  }

  private positionOf(id: number): number | undefined {
    const byId = this.sealed();
    const at = lowerBound(byId.keys, id);
    return at < byId.keys.length && byId.keys[at] === id ? (byId.positions[at] as number) : undefined;
  }

  private userAt(position: number): ResolvedUser {
    const user: ResolvedUser = {
      id: this.ids.get(position),
      username: this.usernames.get(position),
      email: this.emails.get(position),
    };
    TEXT_DETAILS.forEach((field, i) => {
      const value = this.texts[i]?.get(position) ?? null;
      if (value !== null) user[field] = value;
    });
    NUMBER_DETAILS.forEach((field, i) => {
      const value = this.numbers[i]?.get(position) ?? NO_STATUS;
      if (!Number.isNaN(value)) user[field] = value === NULL_STATUS ? null : value;
    });
    return user;
  }

  private sealed(): { keys: Float64Array; positions: Uint32Array } {
    if (!this.byId) throw new Error('user index is not sealed');
    return this.byId;
  }
}

/** A user without the value gets a key no hash takes (hashes have 30 bits). */
function textHash(value: string | null): number {
  return value === null ? 0xffffffff : valueHash(value.trim());
}

/** Positions 0..count-1 (or `mapped[i]`) ordered by key, with the keys sorted beside them (written into `keys`). */
function sortedPositions<K extends Float64Array | Uint32Array>(
  count: number,
  keyOf: (i: number) => number,
  keys: K,
  mapped?: Uint32Array,
): { keys: K; positions: Uint32Array } {
  for (let i = 0; i < count; i += 1) keys[i] = keyOf(i);
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) order[i] = i;
  order.sort((a, b) => (keys[a] as number) - (keys[b] as number) || a - b);
  const positions = new Uint32Array(count);
  for (let i = 0; i < count; i += 1) {
    const at = order[i] as number;
    positions[i] = mapped ? (mapped[at] as number) : at;
  }
  // Sort the keys in place last: `order` was computed from them unsorted.
  keys.sort();
  return { keys, positions };
}
