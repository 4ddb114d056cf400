// A UserDirectory over an array of users, for pure-core tests and benchmarks. It counts calls the way a real server
// would (every GET /users is a 'list' call, a DELETE is a 'delete' call) and lets a test inject failures.

import type { ResolvedUser } from '../engine/outcomes.ts';
import type { AccountRef } from '../engine/plan/plan-document.ts';
import type { ApiCallCounts, DeleteResult, UserDirectory, UserPage } from '../engine/ports.ts';

export type DirectoryMethod = 'account' | 'countUsers' | 'getUsersByIds' | 'findUsers' | 'listAllUsers' | 'deleteUser';

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
}

export class InMemoryUserDirectory implements UserDirectory {
  readonly pageSize: number;
  readonly idBatchSize: number;
  beforeCall: ((call: DirectoryCall) => void) | undefined;
  afterDelete: ((id: number) => void) | undefined;
  private readonly widenSearch: boolean;
  private readonly accountRef: AccountRef;
  private readonly users = new Map<number, ResolvedUser>();
  private readonly counts: ApiCallCounts = { token: 0, get: 0, list: 0, delete: 0 };
  readonly callsByMethod: Record<DirectoryMethod, number> = {
    account: 0,
    countUsers: 0,
    getUsersByIds: 0,
    findUsers: 0,
    listAllUsers: 0,
    deleteUser: 0,
  };
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
    this.deletedIds.push(id);
    this.afterDelete?.(id);
    return 'deleted';
  }

  private enter(call: DirectoryCall, kind: keyof ApiCallCounts): void {
    this.callsByMethod[call.method] += 1;
    this.beforeCall?.(call);
    this.counts[kind] += 1;
  }
}
