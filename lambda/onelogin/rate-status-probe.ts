// Paces a server whose answers carry no rate headers from GET /auth/rate_limit instead of learning its window from 429s.
import type { ApiRequest } from './api-messages.ts';
import { RATE_LIMIT_PATH } from './api-messages.ts';
import { OneLoginWaitRequiredError } from './onelogin-errors.ts';
import type { RateHeaders, RatePacer } from './rate-pacer.ts';

const MIN_RATE_STATUS_INTERVAL_MS = 1_000;

export interface RateStatusProbeOptions {
  enabled: boolean;
  pacer: RatePacer;
  now: () => number;
  fetchStatus: () => Promise<RateHeaders>;
}

/**
 * Answers without rate headers leave the pacer blind until 429s teach it the window. Once an answer has shown
 * that, and while no known window covers the present, every call waits for one GET /auth/rate_limit (one per
 * window, at most one a second) and the pacer works from its figures. A server that refuses that call is not asked again.
 */
export class RateStatusProbe {
  private probe: Promise<void> | undefined;
  private unsupported = false;
  private answersLackRateHeaders = false;
  private lastProbeAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RateStatusProbeOptions) {}

  private get active(): boolean {
    return this.options.enabled && this.answersLackRateHeaders && !this.unsupported;
  }

  /** Records whether an answer to a users call carried the rate headers. */
  noteAnswer(apiRequest: ApiRequest, rate: RateHeaders): void {
    if (rate.limit === undefined && apiRequest.kind !== 'token' && apiRequest.path !== RATE_LIMIT_PATH)
      this.answersLackRateHeaders = true;
  }

  async beforeCall(): Promise<void> {
    if (!this.active) return;
    if (this.probe === undefined) {
      const now = this.options.now();
      if (!this.options.pacer.needsRateStatus() || now - this.lastProbeAt < MIN_RATE_STATUS_INTERVAL_MS) return;
      this.lastProbeAt = now;
      this.probe = this.options
        .fetchStatus()
        .then(
          (status) => this.options.pacer.observe(status),
          (error: unknown) => {
            if (!(error instanceof OneLoginWaitRequiredError)) this.unsupported = true;
          },
        )
        .finally(() => {
          this.probe = undefined;
        });
    }
    await this.probe;
  }

  /** Waits for a probe in flight. */
  async settled(): Promise<void> {
    await this.probe;
  }
}
