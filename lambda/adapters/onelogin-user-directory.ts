// The engine's UserDirectory over the OneLogin client: batching, paging, and the mapping of client errors to engine errors.
import { DirectoryCallError, DirectoryUnavailableError, WaitRequiredError } from '../engine/directory-errors.ts';
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
import type { OneLoginClient, UserQuery } from '../onelogin/onelogin-client.ts';
import { OneLoginError, OneLoginStoppedError, OneLoginWaitRequiredError } from '../onelogin/onelogin-errors.ts';
import { BatchedAbsenceCheck } from './batched-absence-check.ts';

export interface OneLoginUserDirectoryOptions {
  /** Page size asked for when listing the whole account (default 1000; the server may clamp it). */
  listPageLimit?: number;
  /** Ids per `user_ids` lookup (default 100). */
  idBatchSize?: number;
}

/** Client failures after which no further call can succeed: the run must stop. */
const UNAVAILABLE_REASONS = new Set(['credentials-refused', 'config', 'unauthorized', 'redirect', 'no-route']);

export class OneLoginUserDirectory implements UserDirectory {
  readonly idBatchSize: number;
  private readonly listPageLimit: number;
  /** Conservative until a full listing page shows what the server really returns. */
  private observedPageSize = 100;
  private readonly absence: BatchedAbsenceCheck;

  constructor(
    private readonly client: OneLoginClient,
    options: OneLoginUserDirectoryOptions = {},
  ) {
    this.idBatchSize = options.idBatchSize ?? 100;
    this.listPageLimit = options.listPageLimit ?? 1000;
    this.absence = new BatchedAbsenceCheck(
      async (ids) => new Set((await this.getUsersByIds(ids)).map((user) => user.id)),
      this.idBatchSize,
    );
  }

  /** What one listing page holds: as observed, and never more than the limit the client learned the server allows. */
  get pageSize(): number {
    return Math.min(this.observedPageSize, this.client.listLimitCap ?? Number.POSITIVE_INFINITY);
  }

  async account(): Promise<AccountRef> {
    return this.mapped(() => this.client.account());
  }

  /**
   * Reads Total-Count from a first full page rather than a one-user page: the same single call also tells the page
   * size the server really grants, which the engine's cost model needs to price a full listing before choosing it.
   */
  async countUsers(): Promise<number> {
    return this.mapped(async () => {
      const first = await this.client.listUsersPage({}, { limit: this.listPageLimit });
      this.learnPageSize(first);
      if (first.totalCount !== undefined) return first.totalCount;
      let count = first.users.length;
      if (first.afterCursor !== undefined) {
        for await (const page of this.client.listUsers({}, undefined, first.afterCursor)) count += page.users.length;
      }
      return count;
    });
  }

  async getUsersByIds(ids: readonly number[]): Promise<ResolvedUser[]> {
    const wanted = [...new Set(ids)];
    const found = new Map<number, ResolvedUser>();
    for (let start = 0; start < wanted.length; start += this.idBatchSize) {
      const batch = wanted.slice(start, start + this.idBatchSize);
      const batchSet = new Set(batch);
      const users = await this.collect({ userIds: batch }, batch.length);
      for (const user of users) if (batchSet.has(user.id)) found.set(user.id, user);
    }
    return [...found.values()];
  }

  async findUsers(field: 'email' | 'username', value: string): Promise<ResolvedUser[]> {
    const query: UserQuery = field === 'email' ? { email: value } : { username: value };
    return this.collect(query, undefined);
  }

  async *listAllUsers(startCursor?: string): AsyncIterable<UserPage> {
    let first = startCursor === undefined;
    try {
      for await (const page of this.client.listUsers({}, this.listPageLimit, startCursor)) {
        if (first) this.learnPageSize(page);
        first = false;
        const out: UserPage = { users: page.users };
        if (page.totalCount !== undefined) out.totalCount = page.totalCount;
        if (page.afterCursor !== undefined) out.nextCursor = page.afterCursor;
        yield out;
      }
    } catch (error) {
      throw toDirectoryError(error);
    }
  }

  /**
   * A 404 without a body that names the missing user (OneLogin's document gives "No Route Exists" as DELETE's 404)
   * is `absent` only once a `user_ids` lookup shows the user gone. A user still there after such a 404 means the
   * DELETE route does not work here: no deletion can succeed, so the run stops.
   */
  async deleteUser(id: number): Promise<DeleteResult> {
    const answer = await this.mapped(() => this.client.deleteUser(id));
    if (answer !== 'absence-unproven') return answer;
    if (await this.absence.isAbsent(id)) return 'absent';
    throw new DirectoryUnavailableError(
      'no-route',
      'OneLogin answered 404 to DELETE /api/2/users/:id for a user that still exists: the DELETE route is not reached (check the API base URL)',
    );
  }

  /** A full first page (one with a cursor after it) tells the server's real page size; a last one, a lower bound. */
  private learnPageSize(page: { users: readonly unknown[]; afterCursor?: string }): void {
    if (page.users.length === 0) return;
    if (page.afterCursor !== undefined) this.observedPageSize = page.users.length;
    else this.observedPageSize = Math.max(this.observedPageSize, page.users.length);
  }

  /** Batched like getUsersByIds; the client asks every field a snapshot needs (the listing may still omit some). */
  async getUserRecords(ids: readonly number[]): Promise<UserRecord[]> {
    const wanted = [...new Set(ids)];
    const found = new Map<number, UserRecord>();
    for (let start = 0; start < wanted.length; start += this.idBatchSize) {
      const batch = wanted.slice(start, start + this.idBatchSize);
      const batchSet = new Set(batch);
      const records = await this.mapped(() => this.client.getUserRecords(batch));
      for (const record of records) if (batchSet.has(record.id)) found.set(record.id, record);
    }
    return [...found.values()];
  }

  async getUserRecord(id: number): Promise<UserRecord | null> {
    return this.mapped(() => this.client.getUserRecord(id));
  }

  async getUserRoleIds(id: number): Promise<number[] | null> {
    return this.mapped(() => this.client.getUserRoleIds(id));
  }

  /** A 404 that names no user is `absent` only once a `user_ids` lookup shows the user gone (as for DELETE). */
  async setUserStatus(id: number, status: number): Promise<'updated' | 'absent'> {
    const answer = await this.mapped(() => this.client.setUserStatus(id, status));
    return answer === 'absence-unproven' ? this.provenAbsent(id, 'PUT /api/2/users/:id') : answer;
  }

  async logOutUser(id: number): Promise<'done' | 'absent'> {
    const answer = await this.mapped(() => this.client.logOutUser(id));
    return answer === 'absence-unproven' ? this.provenAbsent(id, 'PUT /api/1/users/:id/logout') : answer;
  }

  /** A lost answer surfaces as a DirectoryCallError with reason `answer-lost`: the create is never sent twice. */
  async createUser(fields: Readonly<Record<string, unknown>>): Promise<CreateResult> {
    return this.mapped(() => this.client.createUser(fields));
  }

  async addRoleUsers(roleId: number, userIds: readonly number[]): Promise<void> {
    return this.mapped(() => this.client.addRoleUsers(roleId, userIds));
  }

  private async provenAbsent(id: number, route: string): Promise<'absent'> {
    if (await this.absence.isAbsent(id)) return 'absent';
    throw new DirectoryUnavailableError(
      'no-route',
      `OneLogin answered 404 to ${route} for a user that still exists: the route is not reached (check the API base URL)`,
    );
  }

  callCounts(): ApiCallCounts {
    return { ...emptyApiCalls(), ...this.client.callCounts() };
  }

  private collect(query: UserQuery, limit: number | undefined): Promise<ResolvedUser[]> {
    return this.mapped(async () => {
      const users: ResolvedUser[] = [];
      for await (const page of this.client.listUsers(query, limit)) users.push(...page.users);
      return users;
    });
  }

  private async mapped<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toDirectoryError(error);
    }
  }
}

/** The engine's error for a client error, the client error kept as its cause; anything else unchanged. */
export function toDirectoryError(error: unknown): unknown {
  if (!(error instanceof OneLoginError)) return error;
  const cause = { cause: error };
  if (error instanceof OneLoginWaitRequiredError) return new WaitRequiredError(error.waitMs, cause);
  // A stopped call was never sent: to the engine that is a call to come back to (its row keeps no outcome), and the
  // caller that stopped the client does not come back, it aborts the job.
  if (error instanceof OneLoginStoppedError) return new WaitRequiredError(0, cause);
  if (UNAVAILABLE_REASONS.has(error.reason)) return new DirectoryUnavailableError(error.reason, error.message, cause);
  return new DirectoryCallError(error.reason, error.message, cause);
}
