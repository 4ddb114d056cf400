// A UserDirectory over an array of users, for pure-core tests and benchmarks. It counts calls the way a real server
// would (every GET /users is a 'list' call, a DELETE is a 'delete' call) and lets a test inject failures.

import type { ResolvedUser } from '../engine/outcomes.ts';
import type { AccountRef } from '../engine/plan/plan-document.ts';
import type {
  ApiCallCounts,
  CreateResult,
  DeleteResult,
  UserDirectory,
  UserPage,
  UserRecord,
} from '../engine/ports.ts';
import { emptyApiCalls } from '../engine/ports.ts';

export type DirectoryMethod =
  | 'account'
  | 'countUsers'
  | 'getUsersByIds'
  | 'findUsers'
  | 'listAllUsers'
  | 'deleteUser'
  | 'getUserRecords'
  | 'getUserRecord'
  | 'getUserRoleIds'
  | 'setUserStatus'
  | 'logOutUser'
  | 'createUser'
  | 'addRoleUsers';

/** What a user holds beyond a ResolvedUser: the fields a snapshot keeps and a restore gives back. */
export interface UserExtras {
  custom_attributes?: Record<string, unknown>;
  role_ids?: number[];
  title?: string | null;
  department?: string | null;
}

export interface DirectoryCall {
  method: DirectoryMethod;
  /** ids for getUsersByIds, the value for findUsers, the id for deleteUser, the page number for listAllUsers. */
  argument?: unknown;
}

export interface InMemoryDirectoryOptions {
  pageSize?: number;
  idBatchSize?: number;
  /** Search matches every user whose value starts with the searched one, as a lax server might: the engine must re-check. */
  widenSearch?: boolean;
  /** Called before every call; throw from it to inject a failure (DirectoryCallError, WaitRequiredError, …). */
  beforeCall?: (call: DirectoryCall) => void;
  /** Called after a DELETE took effect and before it answers; throw to simulate an answer lost on the way back. */
  afterDelete?: (id: number) => void;
  /** What account() answers (default host 'memory.invalid', no account id). */
  account?: AccountRef;
  /** Fields the batched listing (getUserRecords) leaves out, as OneLogin's may. Default: custom_attributes and role_ids. */
  listingOmits?: readonly (keyof UserExtras)[];
  /** Extra fields per user id. */
  extras?: ReadonlyMap<number, UserExtras>;
}

export class InMemoryUserDirectory implements UserDirectory {
  readonly pageSize: number;
  readonly idBatchSize: number;
  beforeCall: ((call: DirectoryCall) => void) | undefined;
  afterDelete: ((id: number) => void) | undefined;
  private readonly widenSearch: boolean;
  private readonly accountRef: AccountRef;
  private readonly users = new Map<number, ResolvedUser>();
  private readonly counts: ApiCallCounts = emptyApiCalls();
  readonly callsByMethod: Record<DirectoryMethod, number> = {
    account: 0,
    countUsers: 0,
    getUsersByIds: 0,
    findUsers: 0,
    listAllUsers: 0,
    deleteUser: 0,
    getUserRecords: 0,
    getUserRecord: 0,
    getUserRoleIds: 0,
    setUserStatus: 0,
    logOutUser: 0,
    createUser: 0,
    addRoleUsers: 0,
  };
  readonly extras = new Map<number, UserExtras>();
  /** Ids signed out by logOutUser, in order. */
  readonly loggedOut: number[] = [];
  private readonly listingOmits: readonly (keyof UserExtras)[];
  /** Ids whose DELETE took effect, in order: a user appears here at most once by construction of a real server. */
  readonly deletedIds: number[] = [];
  /** Every id a DELETE was sent for (including 404s). */
  readonly deleteRequests: number[] = [];

  constructor(users: Iterable<ResolvedUser>, options: InMemoryDirectoryOptions = {}) {
    for (const user of users) this.users.set(user.id, { ...user });
    this.pageSize = options.pageSize ?? 100;
    this.idBatchSize = options.idBatchSize ?? 50;
    this.widenSearch = options.widenSearch ?? false;
    this.beforeCall = options.beforeCall;
    this.afterDelete = options.afterDelete;
    this.accountRef = options.account ?? { host: 'memory.invalid' };
    this.listingOmits = options.listingOmits ?? ['custom_attributes', 'role_ids'];
    for (const [id, extra] of options.extras ?? []) this.extras.set(id, structuredClone(extra));
  }

  get size(): number {
    return this.users.size;
  }

  /** Someone else removes a user (no call is counted): the engine should find it absent. */
  removeOutOfBand(id: number): void {
    this.users.delete(id);
  }

  has(id: number): boolean {
    return this.users.has(id);
  }

  callCounts(): ApiCallCounts {
    return { ...this.counts };
  }

  /** Counts no call: a real directory's account() is its token call, which this one does not count either. */
  async account(): Promise<AccountRef> {
    this.callsByMethod.account += 1;
    this.beforeCall?.({ method: 'account' });
    await Promise.resolve();
    return { ...this.accountRef };
  }

  /** Changes a user without a call (someone edits them in the admin console meanwhile). */
  changeOutOfBand(id: number, changes: Partial<Omit<ResolvedUser, 'id'>>): void {
    const user = this.users.get(id);
    if (user) this.users.set(id, { ...user, ...changes });
  }

  async countUsers(): Promise<number> {
    this.enter({ method: 'countUsers' }, 'list');
    await Promise.resolve();
    return this.users.size;
  }

  async getUsersByIds(ids: readonly number[]): Promise<ResolvedUser[]> {
    if (ids.length > this.idBatchSize)
      throw new Error(`getUsersByIds: ${ids.length} ids, more than ${this.idBatchSize}`);
    this.enter({ method: 'getUsersByIds', argument: [...ids] }, 'list');
    await Promise.resolve();
    const found: ResolvedUser[] = [];
    for (const id of new Set(ids)) {
      const user = this.users.get(id);
      if (user) found.push({ ...user });
    }
    return found;
  }

  async findUsers(field: 'email' | 'username', value: string): Promise<ResolvedUser[]> {
    this.enter({ method: 'findUsers', argument: value }, 'list');
    await Promise.resolve();
    const wanted = value.toLowerCase();
    const found: ResolvedUser[] = [];
    for (const user of this.users.values()) {
      const actual = user[field]?.toLowerCase();
      if (actual === undefined) continue;
      if (actual === wanted || (this.widenSearch && actual.startsWith(wanted))) found.push({ ...user });
    }
    return found;
  }

  /** Set false to act like a directory that cannot resume a listing (no nextCursor). */
  resumableListing = true;

  async *listAllUsers(startCursor?: string): AsyncIterable<UserPage> {
    const all = [...this.users.values()].sort((a, b) => a.id - b.id);
    const pages = Math.max(1, Math.ceil(all.length / this.pageSize));
    for (let page = startCursor === undefined ? 0 : Number(startCursor); page < pages; page += 1) {
      this.enter({ method: 'listAllUsers', argument: page }, 'list');
      await Promise.resolve();
      const users = all.slice(page * this.pageSize, (page + 1) * this.pageSize).map((user) => ({ ...user }));
      const result: UserPage = { users, totalCount: all.length };
      if (this.resumableListing && page + 1 < pages) result.nextCursor = String(page + 1);
      yield result;
    }
  }

  async deleteUser(id: number): Promise<DeleteResult> {
    this.enter({ method: 'deleteUser', argument: id }, 'delete');
    await Promise.resolve();
    this.deleteRequests.push(id);
    if (!this.users.delete(id)) return 'absent';
    this.extras.delete(id);
    this.deletedIds.push(id);
    this.afterDelete?.(id);
    return 'deleted';
  }

  async getUserRecords(ids: readonly number[]): Promise<UserRecord[]> {
    if (ids.length > this.idBatchSize)
      throw new Error(`getUserRecords: ${ids.length} ids, more than ${this.idBatchSize}`);
    this.enter({ method: 'getUserRecords', argument: [...ids] }, 'list');
    await Promise.resolve();
    const records: UserRecord[] = [];
    for (const id of new Set(ids)) {
      const record = this.recordOf(id);
      if (!record) continue;
      for (const field of this.listingOmits) delete record[field];
      records.push(record);
    }
    return records;
  }

  async getUserRecord(id: number): Promise<UserRecord | null> {
    this.enter({ method: 'getUserRecord', argument: id }, 'get');
    await Promise.resolve();
    return this.recordOf(id) ?? null;
  }

  async getUserRoleIds(id: number): Promise<number[] | null> {
    this.enter({ method: 'getUserRoleIds', argument: id }, 'roles');
    await Promise.resolve();
    if (!this.users.has(id)) return null;
    return [...(this.extras.get(id)?.role_ids ?? [])];
  }

  async setUserStatus(id: number, status: number): Promise<'updated' | 'absent'> {
    this.enter({ method: 'setUserStatus', argument: { id, status } }, 'update');
    await Promise.resolve();
    const user = this.users.get(id);
    if (!user) return 'absent';
    this.users.set(id, { ...user, status });
    return 'updated';
  }

  async logOutUser(id: number): Promise<'done' | 'absent'> {
    this.enter({ method: 'logOutUser', argument: id }, 'update');
    await Promise.resolve();
    if (!this.users.has(id)) return 'absent';
    this.loggedOut.push(id);
    return 'done';
  }

  /** Refuses a username or email already taken (compared case-insensitively), as OneLogin does. */
  async createUser(fields: Readonly<Record<string, unknown>>): Promise<CreateResult> {
    this.enter({ method: 'createUser', argument: { ...fields } }, 'create');
    await Promise.resolve();
    for (const field of ['username', 'email'] as const) {
      const wanted = typeof fields[field] === 'string' ? (fields[field] as string).toLowerCase() : undefined;
      if (wanted === undefined) continue;
      for (const user of this.users.values())
        if (user[field]?.toLowerCase() === wanted) return { conflict: `${field} already exists` };
    }
    const id = Math.max(0, ...this.users.keys(), ...this.deletedIds) + 1;
    const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : null);
    this.users.set(id, {
      id,
      username: text('username'),
      email: text('email'),
      firstname: text('firstname'),
      lastname: text('lastname'),
      status: typeof fields.status === 'number' ? fields.status : 7,
      state: typeof fields.state === 'number' ? fields.state : 1,
      directory_id: null,
    });
    const extra: UserExtras = { role_ids: [] };
    if (fields.custom_attributes !== undefined)
      extra.custom_attributes = structuredClone(fields.custom_attributes) as Record<string, unknown>;
    this.extras.set(id, extra);
    return { created: this.recordOf(id) as UserRecord };
  }

  async addRoleUsers(roleId: number, userIds: readonly number[]): Promise<void> {
    this.enter({ method: 'addRoleUsers', argument: { roleId, userIds: [...userIds] } }, 'roles');
    await Promise.resolve();
    for (const id of userIds) {
      if (!this.users.has(id)) continue;
      const extra = this.extras.get(id) ?? {};
      extra.role_ids = [...new Set([...(extra.role_ids ?? []), roleId])];
      this.extras.set(id, extra);
    }
  }

  /** The user as OneLogin's GET /api/2/users/:id gives it (every field, custom_attributes and role_ids included). */
  private recordOf(id: number): UserRecord | undefined {
    const user = this.users.get(id);
    if (!user) return undefined;
    const extra = this.extras.get(id) ?? {};
    return {
      id,
      username: user.username,
      email: user.email,
      firstname: user.firstname ?? null,
      lastname: user.lastname ?? null,
      status: user.status ?? null,
      state: user.state ?? null,
      directory_id: user.directory_id ?? null,
      updated_at: user.updatedAt ?? null,
      last_login: user.lastLogin ?? null,
      title: extra.title ?? null,
      department: extra.department ?? null,
      custom_attributes: structuredClone(extra.custom_attributes ?? {}),
      role_ids: [...(extra.role_ids ?? [])],
    };
  }

  private enter(call: DirectoryCall, kind: keyof ApiCallCounts): void {
    this.callsByMethod[call.method] += 1;
    this.beforeCall?.(call);
    this.counts[kind] += 1;
  }
}
