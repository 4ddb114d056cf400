// OneLogin's account-level fixed window: every counted call in a window shares one budget.
import type { RateLimitConfig } from './emulator-types.ts';

export interface RateLimitDecision {
  allowed: boolean;
  windowIndex: number;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets, at least 1 (OneLogin sends seconds remaining, not an epoch). */
  resetSeconds: number;
}

export class RateLimitWindow {
  private windowIndex = 0;
  private used = 0;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly startedAt: number,
  ) {}

  get sendHeaders(): boolean {
    return this.config.sendHeaders !== false;
  }

  count(now: number): RateLimitDecision {
    this.roll(now);
    this.used += 1;
    return this.describe(now, this.used <= this.config.limit);
  }

  peek(now: number): RateLimitDecision {
    this.roll(now);
    return this.describe(now, this.used < this.config.limit);
  }

  private roll(now: number): void {
    const index = Math.floor((now - this.startedAt) / this.windowMs());
    if (index !== this.windowIndex) {
      this.windowIndex = index;
      this.used = 0;
    }
  }

  private describe(now: number, allowed: boolean): RateLimitDecision {
    const windowEnd = this.startedAt + (this.windowIndex + 1) * this.windowMs();
    return {
      allowed,
      windowIndex: this.windowIndex,
      limit: this.config.limit,
      remaining: Math.max(0, this.config.limit - this.used),
      resetSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
    };
  }

  private windowMs(): number {
    return this.config.windowSeconds * 1000;
  }
}
