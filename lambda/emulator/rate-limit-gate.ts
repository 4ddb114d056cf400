// Counting a resource call against the account's window: a 429 page when over, X-RateLimit-* headers when on,
// and GET /auth/rate_limit.
import type { ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.ts';
import { countRateLimited } from './emulator-stats.ts';
import { SUCCESS_STATUS, TOO_MANY_REQUESTS_HTML } from './error-bodies.ts';
import { type Headers, sendHtml, sendJson } from './http-replies.ts';
import type { RateLimitDecision } from './rate-limit-window.ts';
import type { RouteContext } from './route-context.ts';

const UNLIMITED_BUDGET = 1_000_000_000;

export interface Admission {
  decision: RateLimitDecision | undefined;
  headers: Headers;
}

/** What the burst's 429s show when no rate limit is configured: the figures of the issue that asked for this switch. */
const BURST_QUOTA: RateLimitDecision = {
  allowed: false,
  windowIndex: 0,
  limit: 5000,
  remaining: 4995,
  resetSeconds: 3597,
};

/**
 * Counts the call; answers 429 and returns undefined when the window's budget is spent (its headers, when sent, then
 * show Remaining 0) or while a burst is on (its headers show the quota left).
 */
export function admitCall(state: EmulatorState, res: ServerResponse): Admission | undefined {
  const window = state.rateLimit;
  if (state.inRateLimitBurst()) {
    const quota = window?.peek(state.now()) ?? BURST_QUOTA;
    countRateLimited(state.stats, quota.windowIndex);
    sendHtml(res, 429, TOO_MANY_REQUESTS_HTML, window?.sendHeaders === false ? {} : rateHeaders(quota));
    return undefined;
  }
  if (!window) return { decision: undefined, headers: {} };
  const decision = window.count(state.now());
  const headers: Headers = window.sendHeaders ? rateHeaders(decision) : {};
  if (!decision.allowed) {
    countRateLimited(state.stats, decision.windowIndex);
    sendHtml(res, 429, TOO_MANY_REQUESTS_HTML, headers);
    return undefined;
  }
  return { decision, headers };
}

function rateHeaders(decision: RateLimitDecision): Headers {
  return {
    'x-ratelimit-limit': String(decision.limit),
    'x-ratelimit-remaining': String(decision.remaining),
    'x-ratelimit-reset': String(decision.resetSeconds),
  };
}

export function rateLimitStatus(context: RouteContext): void {
  const decision = context.rateLimit;
  // With the limit off, report a budget no run can use up, so that a client pacing from this answer runs unthrottled.
  const data = decision
    ? {
        'X-RateLimit-Limit': decision.limit,
        'X-RateLimit-Remaining': decision.remaining,
        'X-RateLimit-Reset': decision.resetSeconds,
      }
    : { 'X-RateLimit-Limit': UNLIMITED_BUDGET, 'X-RateLimit-Remaining': UNLIMITED_BUDGET, 'X-RateLimit-Reset': 3600 };
  sendJson(context.res, 200, { status: SUCCESS_STATUS, data }, context.headers);
}
