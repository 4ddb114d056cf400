// A UserDirectory that refuses every call: the run is then rejected by the engine before any API call, with a clear reason.
import { DirectoryUnavailableError } from '../engine/directory-errors.ts';
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

export class UnavailableDirectory implements UserDirectory {
  readonly idBatchSize = 100;
  readonly pageSize = 100;

  constructor(
    readonly code: string,
    readonly message: string,
  ) {}

  private refuse(): never {
    throw new DirectoryUnavailableError(this.code, this.message);
  }

  async account(): Promise<AccountRef> {
    return this.refuse();
  }

  async countUsers(): Promise<number> {
    return this.refuse();
  }

  async getUsersByIds(_ids: readonly number[]): Promise<ResolvedUser[]> {
    return this.refuse();
  }

  async findUsers(_field: 'email' | 'username', _value: string): Promise<ResolvedUser[]> {
    return this.refuse();
  }

  // An iterable that fails on its first step, like a listing whose first call is refused.
  // biome-ignore lint/correctness/useYield: it refuses before its first page, as the real listing does when its first call is refused.
  async *listAllUsers(): AsyncIterable<UserPage> {
    this.refuse();
  }

  async deleteUser(_id: number): Promise<DeleteResult> {
    return this.refuse();
  }

  async getUserRecords(_ids: readonly number[]): Promise<UserRecord[]> {
    return this.refuse();
  }

  async getUserRecord(_id: number): Promise<UserRecord | null> {
    return this.refuse();
  }

  async getUserRoleIds(_id: number): Promise<number[] | null> {
    return this.refuse();
  }

  async setUserStatus(_id: number, _status: number): Promise<'updated' | 'absent'> {
    return this.refuse();
  }

  async logOutUser(_id: number): Promise<'done' | 'absent'> {
    return this.refuse();
  }

  async createUser(_fields: Readonly<Record<string, unknown>>): Promise<CreateResult> {
    return this.refuse();
  }

  async addRoleUsers(_roleId: number, _userIds: readonly number[]): Promise<void> {
    return this.refuse();
  }

  callCounts(): ApiCallCounts {
    return emptyApiCalls();
  }
}
