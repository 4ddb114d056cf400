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
  updated_at: string;
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
  tenant?: { seed: number; count: number };
  clientId: string;
  clientSecret: string;
  /** Token lifetime in seconds (OneLogin: 36,000). */
  tokenTtlSeconds?: number;
  /** Invalidate the current token after every N resource calls (forces 401 → refresh). */
  invalidateTokenEvery?: number;
  /** Fixed-window rate limit shared by all tokens of the account; null turns it off. */
  rateLimit?: RateLimitConfig | null;
  /** Default and maximum `limit` of a list page. */
  defaultPageSize?: number;
  maxPageSize?: number;
  faults?: FaultConfig;
  host?: string;
  port?: number;
  /** The user who owns the API credentials: once deleted, the token endpoint answers 500 (OneLogin D-tok2). */
  credentialOwnerId?: number;
  /** account_id in token responses (default 189185). */
  accountId?: number;
  /** Clock in epoch ms for token expiry and rate-limit windows (default Date.now); injectable for tests. */
  now?: () => number;
}

export type CallKind = 'token' | 'get' | 'list' | 'delete' | 'other';

export interface EmulatorStats {
  calls: Record<CallKind, number>;
  /** 429s sent, in total and per rate-limit window index. */
  rateLimited: number;
  rateLimitedByWindow: Record<number, number>;
  /** Successful deletions (204/200) per user id: more than 1 for an id would be a double delete. */
  deletions: Array<{ id: number; at: number }>;
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
  close(): Promise<void>;
}
