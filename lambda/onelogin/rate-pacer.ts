// One pacer per client, shared by every in-flight call: spreads calls evenly over the rate-limit window,
// keeps usage under `share` of the account's limit, and holds every call back after a 429.
import { fullJitterDelay } from './backoff.ts';
import type { ClientWait } from './client-types.ts';
import { OneLoginWaitRequiredError } from './onelogin-errors.ts';

export interface RateHeaders {
  limit?: number;
  remaining?: number;
  /** Seconds until the window resets (OneLogin sends seconds remaining, not an epoch). */
  resetSeconds?: number;
}

export interface PacerOptions {
  share: number;
  /** Epoch ms (on `now`) by which every wait must end; a longer wait throws OneLoginWaitRequiredError instead. */
  waitDeadline: () => number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  backoffBaseMs: number;
  backoffCapMs: number;
  onWait?: (info: ClientWait) => void;
}

interface WindowState {
  limit: number;
  /** Our own estimate: header value, lowered by every call we issued since. */
  remaining: number;
  resetAt: number;
  /** Set when learned from 429s (no rate headers): the window rolls on by this period when it ends. */
  learnedPeriodMs?: number;
}

/**
 * What a server that sends no rate headers (and no Retry-After) lets us learn: a 429 marks a used-up window; the first
 * probe that succeeds after it marks (from above) the next window's start; the calls accepted between two such starts
 * are the window's size. Once two starts are known the pacer paces to `share` of that, as it would with headers.
 */
interface BlindState {
  /** A window was found used up and no probe has succeeded since. */
  exhaustedSince?: number;
  /** One probe at a time while exhausted, so a still-closed window costs one 429, not one per call in flight. */
  probeIssuedAt?: number;
  /** The last probe answered 429, so the window start lies after it. */
  lastFailedProbeAt?: number;
  /** Estimated start of the current window (midpoint of the last failed and the first successful probe). */
  windowStartAt?: number;
  acceptedSinceStart: number;
  /** Calls the server accepted in the last complete window, taken when it ran out. */
  acceptedInWindow?: number;
}

/** The reset estimate is an upper bound of the window's end already; this only absorbs clock and timer jitter. */
const RESET_MARGIN_MS = 50;
const WHOLE_SECOND_MS = 1000;
/** While a probe is out, other calls look again this often; a probe lost to a network error frees them after PROBE_TIMEOUT_MS. */
const PROBE_POLL_MS = 50;
const PROBE_TIMEOUT_MS = 5000;
/**
 * A 429 while the rate information still shows quota is a short burst limit (OneLogin's v2 API is described as a leaky
 * bucket): back off from a second, doubling, this many times before taking the window for used up.
 */
const BURST_BASE_MS = 1000;
const MAX_BURST_BACKOFFS = 4;

/** Spacing calls over a window makes many short waits; only a pause a person would notice is told to onWait. */
const NOTICEABLE_WAIT_MS = 1000;

export class RatePacer {
  private window: WindowState | undefined;
  private lastIssuedAt = -Infinity;
  private blockedUntil = 0;
  private consecutive429 = 0;
  /** Burst backoffs since the last success. */
  private burst429s = 0;
  /** Set once any answer carried rate headers: from then on nothing is learned from 429s alone. */
  private sawHeaders = false;
  private readonly blind: BlindState = { acceptedSinceStart: 0 };
  private turn: Promise<void> = Promise.resolve();
  waits = 0;
  waitedMs = 0;

  constructor(private readonly options: PacerOptions) {}

  /** Waits for this call's slot. Throws OneLoginWaitRequiredError when the wait would end past the wait deadline. Serialised so spacing holds across calls. */
  admit(): Promise<void> {
    const mine = this.turn.then(() => this.admitNow());
    this.turn = mine.catch(() => undefined);
    return mine;
  }

  /**
   * Headers of any answer (429 included). OneLogin's reset is whole seconds remaining, rounded up, so `now + reset`
   * bounds the window's end from above: the tightest bound seen in a window is kept, which puts the estimate within
   * one call's spacing of the true end instead of up to a second late (a 3 % loss of a 6 s window, nothing of an hour).
   * Answers to calls sent just before the end arrive just after it with a reset of 1 s: once the estimated end has
   * passed, only a reset of 2 s or more shows the next window (whose first answers carry nearly its full length).
   */
  observe(headers: RateHeaders): void {
    const { limit, remaining, resetSeconds } = headers;
    if (limit === undefined || remaining === undefined || resetSeconds === undefined || limit <= 0) return;
    const now = this.options.now();
    const resetAt = now + resetSeconds * 1000;
    const current = this.window;
    this.sawHeaders = true;
    const isNewWindow =
      current === undefined ||
      current.learnedPeriodMs !== undefined ||
      (now < current.resetAt
        ? resetAt > current.resetAt + WHOLE_SECOND_MS
        : resetSeconds >= 2 || now >= current.resetAt + WHOLE_SECOND_MS);
    if (isNewWindow) {
      this.window = { limit, remaining, resetAt };
      return;
    }
    // A late answer from the window before (it arrives after the estimated end, or bounds an end long past): nothing new.
    if (now >= current.resetAt || resetAt < current.resetAt - WHOLE_SECOND_MS) return;
    current.limit = limit;
    current.remaining = Math.min(current.remaining, remaining);
    current.resetAt = Math.min(current.resetAt, resetAt);
  }

  /**
   * True when no rate information covers the present moment (no answer carried rate headers yet, or the known window
   * has ended): a client whose answers lack the headers can then ask GET /auth/rate_limit once and pass the figures
   * to observe(), which costs one call per window instead of learning the window from 429s.
   */
  needsRateStatus(): boolean {
    const window = this.window;
    return window === undefined || window.learnedPeriodMs !== undefined || this.options.now() >= window.resetAt;
  }

  succeeded(): void {
    this.consecutive429 = 0;
    this.burst429s = 0;
    if (this.sawHeaders) return;
    const blind = this.blind;
    if (blind.exhaustedSince === undefined || blind.probeIssuedAt === undefined) {
      blind.acceptedSinceStart += 1;
      return;
    }
    // The probe went through: a new window began between the last refused probe and this one.
    const startedAt =
      blind.lastFailedProbeAt === undefined ? blind.probeIssuedAt : (blind.lastFailedProbeAt + blind.probeIssuedAt) / 2;
    const previousStart = blind.windowStartAt;
    blind.windowStartAt = startedAt;
    blind.exhaustedSince = undefined;
    blind.probeIssuedAt = undefined;
    blind.lastFailedProbeAt = undefined;
    blind.acceptedSinceStart = 1;
    const limit = blind.acceptedInWindow;
    if (previousStart === undefined || limit === undefined || limit < 1) return;
    const periodMs = startedAt - previousStart;
    if (periodMs <= 0) return;
    this.window = { limit, remaining: limit - 1, resetAt: startedAt + periodMs, learnedPeriodMs: periodMs };
  }

  /** A 429: hold every call back until the server's limit allows again. */
  rateLimited(retryAfterMs: number | undefined, headers: RateHeaders): void {
    const now = this.options.now();
    this.observe(headers);
    const blindEpisode =
      !this.sawHeaders &&
      retryAfterMs === undefined &&
      (this.window === undefined || this.window.learnedPeriodMs !== undefined);
    const blind429 = blindEpisode ? this.noteBlind429(now) : undefined;
    if (blind429 === 'sent-before') return;
    if (this.isBurst(now, headers)) {
      this.burstBackoff(now, retryAfterMs);
      return;
    }
    this.consecutive429 += 1;
    let waitMs: number;
    if (retryAfterMs !== undefined) {
      waitMs = retryAfterMs;
    } else if (this.window !== undefined && this.window.learnedPeriodMs === undefined && this.window.resetAt > now) {
      waitMs = this.window.resetAt - now + RESET_MARGIN_MS;
    } else {
      waitMs = fullJitterDelay(
        this.consecutive429,
        this.options.backoffBaseMs,
        this.options.backoffCapMs,
        this.options.random,
      );
    }
    // The first probe waits out the answers of calls sent before the window ran out, so that its success is its own.
    if (blind429 === 'window-used-up') waitMs = Math.max(waitMs, this.options.backoffBaseMs);
    if (this.window !== undefined) this.window.remaining = 0;
    this.blockedUntil = Math.max(this.blockedUntil, now + waitMs);
  }

  /** A known window (from headers or GET /auth/rate_limit) still shows quota, and bursts have not repeated too often. */
  private isBurst(now: number, headers: RateHeaders): boolean {
    const window = this.window;
    if (window === undefined || window.learnedPeriodMs !== undefined || window.resetAt <= now) return false;
    if (headers.remaining === 0 || window.remaining <= 0) return false;
    // The answer of a call sent before the current backoff began: that backoff already covers it.
    if (now < this.blockedUntil && this.burst429s > 0) return true;
    return this.burst429s < MAX_BURST_BACKOFFS;
  }

  /** From a second, doubling, never past the window's end; Retry-After, when sent, says how long instead. */
  private burstBackoff(now: number, retryAfterMs: number | undefined): void {
    if (now < this.blockedUntil && this.burst429s > 0) return;
    this.burst429s += 1;
    const window = this.window as WindowState;
    const backoffMs = Math.min(BURST_BASE_MS * 2 ** (this.burst429s - 1), window.resetAt - now + RESET_MARGIN_MS);
    const waitMs = retryAfterMs ?? backoffMs;
    this.blockedUntil = Math.max(this.blockedUntil, now + waitMs);
  }

  /**
   * Bookkeeping of a 429 without any rate information: the first of an episode, a refused probe, or the answer to a
   * call sent before the window was found used up (which needs no new backoff: the first 429 decided the wait).
   */
  private noteBlind429(now: number): 'window-used-up' | 'probe-refused' | 'sent-before' {
    const blind = this.blind;
    if (blind.exhaustedSince === undefined) {
      blind.exhaustedSince = now;
      if (blind.windowStartAt !== undefined) blind.acceptedInWindow = blind.acceptedSinceStart;
      // A learned window that still ran out was learned wrong: learn again from here.
      if (this.window?.learnedPeriodMs !== undefined) this.window = undefined;
      return 'window-used-up';
    }
    if (blind.probeIssuedAt === undefined) return 'sent-before';
    blind.lastFailedProbeAt = blind.probeIssuedAt;
    blind.probeIssuedAt = undefined;
    return 'probe-refused';
  }

  private async admitNow(): Promise<void> {
    for (;;) {
      const now = this.options.now();
      const probeWait = this.probeWait(now);
      const waitMs = Math.max(probeWait, this.requiredWait(now));
      if (waitMs <= 0) break;
      if (now + waitMs > this.options.waitDeadline()) throw new OneLoginWaitRequiredError(waitMs);
      this.waits += 1;
      this.waitedMs += waitMs;
      if (waitMs >= NOTICEABLE_WAIT_MS) this.options.onWait?.({ reason: 'rate-limit', ms: waitMs });
      await this.options.sleep(waitMs);
      if (probeWait <= 0) break;
    }
    this.issue();
  }

  /** Bookkeeping of a call let through. */
  private issue(): void {
    const issuedAt = this.options.now();
    this.lastIssuedAt = issuedAt;
    if (this.blind.exhaustedSince !== undefined && !this.sawHeaders) this.blind.probeIssuedAt = issuedAt;
    const window = this.window;
    if (window !== undefined && issuedAt < window.resetAt) window.remaining -= 1;
  }

  /** While a window is known used up and a probe is out, wait for the probe's answer before sending more. */
  private probeWait(now: number): number {
    const probeAt = this.blind.probeIssuedAt;
    if (this.sawHeaders || this.blind.exhaustedSince === undefined || probeAt === undefined) return 0;
    return now - probeAt < PROBE_TIMEOUT_MS ? PROBE_POLL_MS : 0;
  }

  private requiredWait(now: number): number {
    const blocked = Math.max(0, this.blockedUntil - now);
    const window = this.window;
    if (window !== undefined && window.learnedPeriodMs !== undefined && now >= window.resetAt) {
      const periods = Math.floor((now - window.resetAt) / window.learnedPeriodMs) + 1;
      window.resetAt += periods * window.learnedPeriodMs;
      window.remaining = window.limit;
    }
    if (window === undefined || now >= window.resetAt) return blocked;
    const untilReset = window.resetAt - now;
    const used = window.limit - window.remaining;
    const allowed = Math.floor(window.limit * this.options.share) - used;
    if (allowed <= 0) return Math.max(blocked, untilReset + RESET_MARGIN_MS);
    const spacing = untilReset / allowed;
    return Math.max(blocked, this.lastIssuedAt + spacing - now);
  }
}
