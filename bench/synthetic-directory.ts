// A UserDirectory over an arithmetic account (user n: id BASE_ID + n, username user<n>, email user<n>@example.com) that
// stores nothing, so that the memory measured while planning a huge file is the engine's own.
import type { ResolvedUser } from '../lambda/engine/outcomes.ts';
import type { AccountRef } from '../lambda/engine/plan/plan-document.ts';
import type { ApiCallCounts, CreateResult, UserDirectory, UserPage, UserRecord } from '../lambda/engine/ports.ts';
import { emptyApiCalls } from '../lambda/engine/ports.ts';

export const BASE_ID = 10_000_001;

export function syntheticUser(index: number): ResolvedUser {
  return { id: BASE_ID + index, username: `user${index}`, email: `user${index}@example.com` };
}

/** A full record as OneLogin's GET returns one, for a snapshot. */
export function syntheticRecord(index: number): UserRecord {
  return {
    ...syntheticUser(index),
    firstname: 'User',
    lastname: String(index),
    status: 1,
    state: 1,
    custom_attributes: {},
    role_ids: [],
  };
}

export class SyntheticUserDirectory implements UserDirectory {
  readonly idBatchSize = 100;
  readonly pageSize = 1000;
  private readonly counts: ApiCallCounts = emptyApiCalls();
  private created = 0;

  constructor(private readonly accountUsers: number) {}

  async account(): Promise<AccountRef> {
    return { host: 'synthetic.invalid' };
  }

  async countUsers(): Promise<number> {
    this.counts.list += 1;
    return this.accountUsers;
  }

  async getUsersByIds(ids: readonly number[]): Promise<ResolvedUser[]> {
    this.counts.list += 1;
    const found: ResolvedUser[] = [];
    for (const id of new Set(ids))
      if (id >= BASE_ID && id < BASE_ID + this.accountUsers) found.push(syntheticUser(id - BASE_ID));
    return found;
  }

  async findUsers(field: 'email' | 'username', value: string): Promise<ResolvedUser[]> {
    this.counts.list += 1;
    const index = this.indexOf(field, value);
    return index === undefined ? [] : [syntheticUser(index)];
  }

  async *listAllUsers(): AsyncIterable<UserPage> {
    for (let start = 0; start < this.accountUsers; start += this.pageSize) {
      this.counts.list += 1;
      const users: ResolvedUser[] = [];
      for (let index = start; index < Math.min(this.accountUsers, start + this.pageSize); index += 1)
        users.push(syntheticUser(index));
      yield { users, totalCount: this.accountUsers };
    }
  }

  async deleteUser(): Promise<'deleted' | 'absent'> {
    throw new Error('the synthetic directory never deletes: the large-file benchmark stops after the plan');
  }

  async getUserRecords(ids: readonly number[]): Promise<UserRecord[]> {
    this.counts.list += 1;
    return [...new Set(ids)].flatMap((id) => (this.holds(id) ? [syntheticRecord(id - BASE_ID)] : []));
  }

  async getUserRecord(id: number): Promise<UserRecord | null> {
    this.counts.get += 1;
    return this.holds(id) ? syntheticRecord(id - BASE_ID) : null;
  }

  async getUserRoleIds(id: number): Promise<number[] | null> {
    this.counts.roles += 1;
    return this.holds(id) ? [] : null;
  }

  /** Stores nothing: the change is counted, and the user reads back as before. */
  async setUserStatus(id: number, _status: number): Promise<'updated' | 'absent'> {
    this.counts.update += 1;
    return this.holds(id) ? 'updated' : 'absent';
  }

  async logOutUser(id: number): Promise<'done' | 'absent'> {
    this.counts.update += 1;
    return this.holds(id) ? 'done' : 'absent';
  }

  /** A username or email of the arithmetic account is taken; anything else gets an id after the account's. */
  async createUser(fields: Readonly<Record<string, unknown>>): Promise<CreateResult> {
    this.counts.create += 1;
    const taken =
      this.indexOf('username', String(fields.username ?? '')) !== undefined ||
      this.indexOf('email', String(fields.email ?? '')) !== undefined;
    if (taken) return { conflict: 'Validation failed: Username or email has already been taken' };
    this.created += 1;
    return { created: { ...fields, id: BASE_ID + this.accountUsers + this.created } };
  }

  async addRoleUsers(_roleId: number, userIds: readonly number[]): Promise<void> {
    this.counts.roles += Math.ceil(userIds.length / 100);
  }

  private indexOf(field: 'email' | 'username', value: string): number | undefined {
    const match = (field === 'email' ? /^user(\d+)@example\.com$/i : /^user(\d+)$/i).exec(value);
    const index = match ? Number(match[1]) : -1;
    return index >= 0 && index < this.accountUsers ? index : undefined;
  }

  private holds(id: number): boolean {
    return id >= BASE_ID && id < BASE_ID + this.accountUsers;
  }

  callCounts(): ApiCallCounts {
    return { ...this.counts };
  }
}
