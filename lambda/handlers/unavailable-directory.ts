// A UserDirectory that refuses every call: the run is then rejected by the engine before any API call, with a clear reason.
import { DirectoryUnavailableError } from '../engine/directory-errors.ts';
import type { ResolvedUser } from '../engine/outcomes.ts';
import type { AccountRef } from '../engine/plan/plan-document.ts';
import type { ApiCallCounts, DeleteResult, UserDirectory, UserPage } from '../engine/ports.ts';

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

  callCounts(): ApiCallCounts {
    return { token: 0, get: 0, list: 0, delete: 0 };
  }
}
