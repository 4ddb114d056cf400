// The account's access token. OneLogin v2 hands the same token back until it expires or is
// invalidated, so there is at most one valid token at a time.
import { randomBytes } from 'node:crypto';

export interface IssuedToken {
  accessToken: string;
  refreshToken: string;
  createdAt: number;
  expiresAt: number;
  uses: number;
}

export class AccessTokens {
  private current: IssuedToken | undefined;
  issuedCount = 0;

  constructor(
    private readonly ttlSeconds: number,
    private readonly invalidateEvery: number | undefined,
    private readonly now: () => number,
  ) {}

  /** v2: reuse the valid token; v1 legacy (`replace`): a new request invalidates the previous token. */
  issue(replace: boolean): IssuedToken {
    const now = this.now();
    if (!replace && this.current && this.isLive(this.current, now)) return this.current;
    this.current = {
      accessToken: randomBytes(32).toString('hex'),
      refreshToken: randomBytes(32).toString('hex'),
      createdAt: now,
      expiresAt: now + this.ttlSeconds * 1000,
      uses: 0,
    };
    this.issuedCount += 1;
    return this.current;
  }

  /** Whether `accessToken` is valid now; a valid use is counted towards invalidateEvery. */
  use(accessToken: string): boolean {
    const token = this.current;
    if (!token || token.accessToken !== accessToken || !this.isLive(token, this.now())) return false;
    token.uses += 1;
    return true;
  }

  revoke(accessToken?: string): boolean {
    if (!this.current || (accessToken !== undefined && this.current.accessToken !== accessToken)) return false;
    this.current = undefined;
    return true;
  }

  private isLive(token: IssuedToken, now: number): boolean {
    if (now >= token.expiresAt) return false;
    return this.invalidateEvery === undefined || token.uses < this.invalidateEvery;
  }
}
