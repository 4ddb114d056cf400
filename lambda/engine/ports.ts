// The ports through which the engine reaches the world. The engine imports nothing from AWS, the CLI or HTTP code.
import type { ResolvedUser } from './outcomes.ts';
import type { AccountRef } from './plan/plan-document.ts';

export type Body = string | Uint8Array | AsyncIterable<string | Uint8Array>;

/** Reports, checkpoints and spooled chunks. Adapters: S3 (lambda/adapters/s3-object-store.ts), local folder (lambda/adapters/local-file-store.ts). */
export interface ObjectStore {
  /** The object's bytes, or null when it does not exist. */
  get(key: string): Promise<AsyncIterable<Uint8Array> | null>;
  put(key: string, body: Body, contentType?: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Where the input CSV comes from (an S3 object pinned to its version, a local file). Opened once per validation pass. */
export interface InputSource {
  /** A human-readable name for reports (file path or s3 key). */
  readonly name: string;
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** What a DELETE found (UserDirectory.deleteUser). */
export type DeleteResult = 'deleted' | 'absent' | 'absent-after-retry';

export const API_CALL_KINDS = ['token', 'get', 'list', 'delete', 'update', 'create', 'roles'] as const;
export type ApiCallKind = (typeof API_CALL_KINDS)[number];
export type ApiCallCounts = Record<ApiCallKind, number>;

export function emptyApiCalls(): ApiCallCounts {
  return Object.fromEntries(API_CALL_KINDS.map((kind) => [kind, 0])) as ApiCallCounts;
}

/**
 * A user exactly as OneLogin returned it: every field it sent (custom_attributes and role_ids when it sent them). What a
 * snapshot keeps (docs/undo.md).
 */
export type UserRecord = { id: number } & Record<string, unknown>;

/** What creating a user gave: the new record, or OneLogin's refusal because its username or email is taken. */
export type CreateResult = { created: UserRecord } | { conflict: string };

/** One page of a listing plus the account size when the server tells it (Total-Count). */
export interface UserPage {
  users: ResolvedUser[];
  totalCount?: number;
  /**
   * Optional, opaque: given to listAllUsers, continues the listing with the page after this one (absent on the last page,
   * or when the directory cannot resume). A listing that spans several steps needs it: without it an interrupted listing
   * starts again from the first page.
   */
  nextCursor?: string;
}

/**
 * OneLogin as the engine sees it. Adapter: lambda/adapters/onelogin-user-directory.ts over the OneLogin client.
 * Every method paces itself to the rate limit and retries transient failures; what it throws is final.
 */
export interface UserDirectory {
  /** The account the credentials reach (host, token's account id): the token call when none is held, no other call. */
  account(): Promise<AccountRef>;
  /** Users in the account (a one-item listing that reads Total-Count). */
  countUsers(): Promise<number>;
  /** Users whose id is in `ids` (batched `user_ids` listing); missing ids are simply absent from the result. */
  getUsersByIds(ids: readonly number[]): Promise<ResolvedUser[]>;
  /** Candidates for an exact value (the server may widen the match; the engine re-checks every candidate). */
  findUsers(field: 'email' | 'username', value: string): Promise<ResolvedUser[]>;
  /** The whole account, page by page; from `startCursor` (a page's nextCursor) when given. */
  listAllUsers(startCursor?: string): AsyncIterable<UserPage>;
  /**
   * 'deleted' on 204; 'absent' on a 404 to the first attempt; 'absent-after-retry' on a 404 to a retry after an attempt
   * whose answer was lost (that attempt most likely deleted the user).
   */
  deleteUser(id: number): Promise<DeleteResult>;
  /**
   * Full records of the users whose id is in `ids` (one batched `user_ids` listing asking for every field a snapshot
   * needs, custom_attributes and role_ids included: a listing may still leave them out). Missing ids are absent.
   */
  getUserRecords(ids: readonly number[]): Promise<UserRecord[]>;
  /** One user's full record (GET /api/2/users/:id), null when the user is gone. */
  getUserRecord(id: number): Promise<UserRecord | null>;
  /** The ids of the user's roles (for a record without role_ids), null when the user is gone. */
  getUserRoleIds(id: number): Promise<number[] | null>;
  /** Sets the user's status (PUT /api/2/users/:id `{status}`): 'absent' when the user is gone. */
  setUserStatus(id: number, status: number): Promise<'updated' | 'absent'>;
  /** Ends the user's sessions (PUT /api/1/users/:id/logout): 'absent' when the user is gone. */
  logOutUser(id: number): Promise<'done' | 'absent'>;
  /** Creates a user (POST /api/2/users). A username or email already taken is `{ conflict }`, not an error. */
  createUser(fields: Readonly<Record<string, unknown>>): Promise<CreateResult>;
  /** Gives the role to the users (one POST /api/2/roles/:id/users for all of them). */
  addRoleUsers(roleId: number, userIds: readonly number[]): Promise<void>;
  /** How many ids fit one getUsersByIds call, and how many users one listing page holds: inputs to the engine's cost model. */
  readonly idBatchSize: number;
  readonly pageSize: number;
  callCounts(): ApiCallCounts;
}

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
