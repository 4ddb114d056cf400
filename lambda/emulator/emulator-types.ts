// The OneLogin emulator's configuration and control surface, shared by tests, the demo, the local pipeline and benchmarks.

export interface EmulatorUser {
  id: number;
  username: string | null;
  email: string | null;
  firstname: string | null;
  lastname: string | null;
  status: number;
  state: number;
  created_at: string;
  /** Moves on every change made through the API or the test controls. */
  updated_at: string;
  /** Set for a user synced from a directory (AD, LDAP, …); absent means null. */
  directory_id?: number | null;
  last_login?: string | null;
  /** Keyed by the attribute's shortname; absent means {}. */
  custom_attributes?: Record<string, string | null>;
  role_ids?: number[];
  /** Further optional attributes of OneLogin's user object (absent means null). */
  title?: string | null;
  department?: string | null;
  company?: string | null;
  comment?: string | null;
  phone?: string | null;
  group_id?: number | null;
  samaccountname?: string | null;
  userprincipalname?: string | null;
  member_of?: string | null;
  distinguished_name?: string | null;
  external_id?: string | null;
  manager_ad_id?: string | null;
  manager_user_id?: string | null;
  trusted_idp_id?: number | null;
  preferred_locale_code?: string | null;
  invitation_sent_at?: string | null;
  activated_at?: string | null;
}

/** Fields a test control may change on a user (the id and created_at stay). */
export type EmulatorUserChanges = Partial<Omit<EmulatorUser, 'id' | 'created_at'>>;

export interface EmulatorRole {
  id: number;
  name: string;
}

export interface RateLimitConfig {
  /** Calls allowed per window (OneLogin: 5,000 per 3,600 s). */
  limit: number;
  windowSeconds: number;
  /** Send X-RateLimit-Limit/Remaining/Reset on responses (default true). */
  sendHeaders?: boolean;
}

export interface FaultConfig {
  /** Seed of the fault generator, so that a run is reproducible. */
  seed: number;
  /** Share (0–1) of resource calls answered 5xx (500, 502, 503 or 504). */
  error5xxRate?: number;
  /** Share of resource calls whose connection is destroyed without an answer. */
  resetRate?: number;
  /** Share of resource calls answered only after `slowMs`. */
  slowRate?: number;
  slowMs?: number;
  /** Also inject faults on the token endpoint (default false). */
  includeToken?: boolean;
  /** Share of DELETE calls that delete the user and then lose the answer (connection reset): a retry sees 404. */
  deleteThenResetRate?: number;
}

export interface EmulatorOptions {
  /** Users to seed; or generate `count` users from `seed` with the tenant generator. */
  users?: EmulatorUser[];
  /** `directoryShare`: share of generated users synced from a directory (default 0.05; 0 for none). */
  tenant?: { seed: number; count: number; directoryShare?: number };
  clientId: string;
  clientSecret: string;
  /** Token lifetime in seconds (OneLogin: 36,000). */
  tokenTtlSeconds?: number;
  /** Invalidate the current token after every N resource calls (forces 401 → refresh). */
  invalidateTokenEvery?: number;
  /** Fixed-window rate limit shared by all tokens of the account; null turns it off. */
  rateLimit?: RateLimitConfig | null;
  /** Default and maximum `limit` of a list page (a larger `limit` is clamped to the maximum). */
  defaultPageSize?: number;
  maxPageSize?: number;
  /** GET /api/2/users refuses a `limit` above `above` with `status` instead of clamping it (the document: "max 100"). */
  limitRefusal?: { above: number; status: 400 | 422 };
  /**
   * Every route answers 404 "No Route Exists", as behind a wrong base path: 'everything' includes the token endpoint,
   * 'resources' keeps tokens working and refuses every /api/* and /auth/rate_limit call.
   */
  noRoute?: 'everything' | 'resources';
  /** After `afterCalls` resource calls, a 429 burst (see startRateLimitBurst). */
  rateLimitBurst?: { afterCalls: number; seconds: number };
  faults?: FaultConfig;
  host?: string;
  port?: number;
  /** The user who owns the API credentials: once deleted, the token endpoint answers 500 (OneLogin D-tok2). */
  credentialOwnerId?: number;
  /** account_id in token responses (default 189185). */
  accountId?: number;
  /** The account's roles (default: the tenant generator's roles with `tenant`, none with `users`). */
  roles?: EmulatorRole[];
  /**
   * GET /api/2/users items carry custom_attributes and role_ids (default false: OneLogin's list items omit both, even
   * when `fields=` asks for them; a snapshot then reads each user with GET /api/2/users/:id).
   */
  listIncludesCustomAttributes?: boolean;
  /** Clock in epoch ms for token expiry and rate-limit windows (default Date.now); injectable for tests. */
  now?: () => number;
}

export type CallKind =
  | 'token'
  | 'get'
  | 'list'
  | 'delete'
  | 'create'
  | 'update'
  | 'logout'
  /** Reading roles: the account's, or a user's. */
  | 'roles'
  /** Adding or removing a user's roles. */
  | 'assignRoles'
  | 'other';

export interface EmulatorStats {
  calls: Record<CallKind, number>;
  /** 429s sent, in total and per rate-limit window index. */
  rateLimited: number;
  rateLimitedByWindow: Record<number, number>;
  /** Successful deletions (204/200) per user id: more than 1 for an id would be a double delete. */
  deletions: Array<{ id: number; at: number }>;
  /** Users signed out through PUT /api/1/users/:id/logout. */
  logouts: Array<{ id: number; at: number }>;
  /** `reset` also counts deleteThenReset faults. */
  faultsInjected: { error5xx: number; reset: number; slow: number };
  /** Highest number of requests being handled at once. */
  maxInFlight: number;
  tokensIssued: number;
}

export interface OneLoginEmulator {
  /** Base URL, e.g. http://127.0.0.1:43123 */
  readonly url: string;
  stats(): EmulatorStats;
  resetStats(): void;
  /** Users currently in the account. */
  users(): EmulatorUser[];
  addUsers(users: EmulatorUser[]): void;
  setFaults(faults: FaultConfig | undefined): void;
  setRateLimit(rateLimit: RateLimitConfig | null): void;
  /** From now on the token endpoint answers 401 and every issued token is invalid (credentials revoked). */
  revokeCredentials(): void;
  /** The account's roles. */
  roles(): EmulatorRole[];
  /**
   * Test control (no API call, not counted): change a user's fields, as an administrator would between a
   * dry run and a live run; updated_at moves unless the changes set it. Returns the user, or undefined for an unknown id.
   */
  updateUser(id: number, changes: EmulatorUserChanges): EmulatorUser | undefined;
  /** Test control: remove a user as someone else would (not counted in stats().deletions). */
  removeUser(id: number): boolean;
  /**
   * Test control: for `seconds` from now every resource call is answered 429 while the X-RateLimit headers still
   * show quota (a short burst limit, as a leaky bucket gives); the calls refused do not use the window's budget.
   */
  startRateLimitBurst(seconds: number): void;
  /** Test control: create a user with the given fields under a new id (above every id used so far). */
  recreateUser(fields: EmulatorUserChanges): EmulatorUser;
  close(): Promise<void>;
}
