// Keeps the access token while it is fresh, refreshes it early, and fetches one token at a time however many calls need it.

export interface IssuedToken {
  value: string;
  lifetimeMs: number;
  /** The account the token was issued for (the token answer's account_id), when the server says. */
  accountId?: number;
}

interface CachedToken {
  value: string;
  refreshAt: number;
}

export class AccessTokenCache {
  tokensFetched = 0;
  /** account_id of the latest token issued. */
  accountId: number | undefined;
  private token: CachedToken | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly now: () => number,
  ) {}

  /** The cached token while it is fresh. */
  private fresh(): string | undefined {
    const cached = this.token;
    return cached !== undefined && this.now() < cached.refreshAt ? cached.value : undefined;
  }

  get(): Promise<string> {
    const fresh = this.fresh();
    if (fresh !== undefined) return Promise.resolve(fresh);
    this.pending ??= this.refresh().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets the token (a 401 answered it), unless a newer one has replaced it meanwhile. */
  drop(value: string): void {
    if (this.token?.value === value) this.token = undefined;
  }

  private async refresh(): Promise<string> {
    const issued = await this.fetchToken();
    this.tokensFetched += 1;
    this.accountId = issued.accountId;
    // Refresh early: 60 s, or 10 % of a short lifetime.
    const margin = Math.min(60_000, issued.lifetimeMs * 0.1);
    this.token = { value: issued.value, refreshAt: this.now() + issued.lifetimeMs - margin };
    return issued.value;
  }
}
