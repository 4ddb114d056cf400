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

export class SyntheticUserDirectory implements UserDirectory {
  readonly idBatchSize = 100;
  readonly pageSize = 1000;
  private readonly counts: ApiCallCounts = emptyApiCalls();

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
    const match = (field === 'email' ? /^user(\d+)@example\.com$/i : /^user(\d+)$/i).exec(value);
    const index = match ? Number(match[1]) : -1;
    return index >= 0 && index < this.accountUsers ? [syntheticUser(index)] : [];
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

  // Placeholders until the OneLogin client grows these calls (issue 11 in progress).
  async getUserRecords(_ids: readonly number[]): Promise<UserRecord[]> {
    throw new Error('getUserRecords: not built yet');
  }

  async getUserRecord(_id: number): Promise<UserRecord | null> {
    throw new Error('getUserRecord: not built yet');
  }

  async getUserRoleIds(_id: number): Promise<number[] | null> {
    throw new Error('getUserRoleIds: not built yet');
  }

  async setUserStatus(_id: number, _status: number): Promise<'updated' | 'absent'> {
    throw new Error('setUserStatus: not built yet');
  }

  async logOutUser(_id: number): Promise<'done' | 'absent'> {
    throw new Error('logOutUser: not built yet');
  }

  async createUser(_fields: Readonly<Record<string, unknown>>): Promise<CreateResult> {
    throw new Error('createUser: not built yet');
  }

  async addRoleUsers(_roleId: number, _userIds: readonly number[]): Promise<void> {
    throw new Error('addRoleUsers: not built yet');
  }

  callCounts(): ApiCallCounts {
    return { ...this.counts };
  }
}
