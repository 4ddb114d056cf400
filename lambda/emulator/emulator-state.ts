// Everything one emulator instance knows: its account (users, roles), tokens, limits, faults and counters.
import { AccessTokens } from './access-tokens.ts';
import { emptyStats } from './emulator-stats.ts';
import type { EmulatorOptions, EmulatorStats } from './emulator-types.ts';
import { FaultPlan } from './fault-plan.ts';
import { RateLimitWindow } from './rate-limit-window.ts';
import { RoleStore } from './role-store.ts';
import { generateTenant, TENANT_ROLES } from './tenant-generator.ts';
import { UserStore } from './user-store.ts';

const DEFAULT_ACCOUNT_ID = 189_185;

export class EmulatorState {
  readonly now: () => number;
  readonly store: UserStore;
  readonly roles: RoleStore;
  readonly tokens: AccessTokens;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly accountId: number;
  rateLimit: RateLimitWindow | undefined;
  faults: FaultPlan | undefined;
  revoked = false;
  credentialOwnerDeleted = false;
  stats: EmulatorStats = emptyStats();
  inFlight = 0;
  /** Resource calls seen, for `rateLimitBurst.afterCalls`. */
  resourceCalls = 0;
  /** Epoch ms (on `now`) until which a 429 burst answers every resource call. */
  burstUntil = Number.NEGATIVE_INFINITY;
  /** Set once the server listens; links in paging headers are built on it. */
  url = '';
  private readonly pendingTimers = new Set<NodeJS.Timeout>();

  constructor(readonly options: EmulatorOptions) {
    this.now = options.now ?? Date.now;
    const tenant = options.tenant;
    this.store = new UserStore(options.users ?? (tenant ? generateTenant(tenant) : []));
    this.roles = new RoleStore(options.roles ?? (tenant && !options.users ? TENANT_ROLES : []));
    this.tokens = new AccessTokens(options.tokenTtlSeconds ?? 36_000, options.invalidateTokenEvery, this.now);
    this.defaultPageSize = options.defaultPageSize ?? 50;
    this.maxPageSize = options.maxPageSize ?? 1000;
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.rateLimit = options.rateLimit ? new RateLimitWindow(options.rateLimit, this.now()) : undefined;
    this.faults = options.faults ? new FaultPlan(options.faults) : undefined;
  }

  /** A timer that close() cancels, so a slow fault never keeps the process alive. */
  delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingTimers.delete(timer);
        resolve();
      }, ms);
      this.pendingTimers.add(timer);
    });
  }

  cancelTimers(): void {
    for (const timer of this.pendingTimers) clearTimeout(timer);
    this.pendingTimers.clear();
  }

  /** A deletion through the API: counted in stats, and fatal to the credentials when it removes their owner. */
  deleteUser(id: number): boolean {
    if (!this.store.delete(id)) return false;
    this.stats.deletions.push({ id, at: this.now() });
    if (this.options.credentialOwnerId === id) this.credentialOwnerDeleted = true;
    return true;
  }

  /** Counts a resource call; true while a 429 burst is on (started by this call when `rateLimitBurst` says so). */
  inRateLimitBurst(): boolean {
    this.resourceCalls += 1;
    const burst = this.options.rateLimitBurst;
    if (burst !== undefined && this.resourceCalls === burst.afterCalls + 1) this.startBurst(burst.seconds);
    return this.now() < this.burstUntil;
  }

  startBurst(seconds: number): void {
    this.burstUntil = this.now() + seconds * 1000;
  }

  resetStats(): void {
    this.stats = emptyStats();
    this.stats.maxInFlight = this.inFlight;
  }

  credentialsMatch(clientId: string, clientSecret: string): boolean {
    return !this.revoked && clientId === this.options.clientId && clientSecret === this.options.clientSecret;
  }
}
