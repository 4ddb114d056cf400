// Every call to OneLogin goes through here: a concurrency slot, the pacer, a fresh token, the exchange, and the retries
// (5xx and network failures with full-jitter backoff, 429s through the pacer, a 401 with a new token).
import type { AccessTokenCache } from './access-token-cache.ts';
import type { ApiRequest, ApiResponse } from './api-messages.ts';
import { header, isChange, mayResend, RATE_LIMIT_PATH, rateHeaders } from './api-messages.ts';
import { fullJitterDelay, parseRetryAfterMs } from './backoff.ts';
import type { ClientErrorFactory } from './client-error-factory.ts';
import type { ClientWait } from './client-types.ts';
import type { HttpSender } from './http-sender.ts';
import { OneLoginError, OneLoginWaitRequiredError } from './onelogin-errors.ts';
import type { RatePacer } from './rate-pacer.ts';
import type { RateStatusProbe } from './rate-status-probe.ts';
import type { Semaphore } from './semaphore.ts';
import type { StopGate } from './stop-gate.ts';

export interface RetryPolicy {
  maxAttempts: number;
  /** Bounds the time spent retrying failures, not the time spent waiting for the rate limit. */
  maxRetryTimeMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  requestTimeoutMs: number;
}

export interface RetryingTransportParts {
  http: HttpSender;
  semaphore: Semaphore;
  pacer: RatePacer;
  tokens: AccessTokenCache;
  probe: RateStatusProbe;
  errors: ClientErrorFactory;
  policy: RetryPolicy;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Epoch ms (on `now`) by which every wait must end. */
  waitDeadline: () => number;
  /** The stop: `sleep` already rejects once it fires; here it also bounds the wait for a slot and holds back changes. */
  gate: StopGate;
  onWait?: (info: ClientWait) => void;
}

const MAX_CONSECUTIVE_429 = 12;
const MAX_RETOKENS = 3;

/** One call's retry bookkeeping. */
interface CallAttempts {
  failedAttempts: number;
  firstFailureAt: number;
  consecutive429: number;
  retokens: number;
  /**
   * A 401 right after a fresh token means the credentials no longer work; a 401 after some other answer (a 5xx, a
   * reset) may just be a token that expired meanwhile, so it earns another token, up to MAX_RETOKENS per call.
   */
  answeredSinceRetoken: boolean;
}

type Verdict = { kind: 'done'; response: ApiResponse } | { kind: 'again' };

export class RetryingTransport {
  retries = 0;
  rateLimited = 0;

  constructor(private readonly parts: RetryingTransportParts) {}

  async send(apiRequest: ApiRequest): Promise<ApiResponse> {
    const attempts: CallAttempts = {
      failedAttempts: 0,
      firstFailureAt: 0,
      consecutive429: 0,
      retokens: 0,
      answeredSinceRetoken: true,
    };
    let lostAnswer: string | undefined;
    for (;;) {
      let exchanged: { response: ApiResponse; token: string | undefined };
      try {
        exchanged = await this.exchange(apiRequest);
      } catch (error) {
        // Our own errors are final here (config, refused credentials, a wait past the deadline, a failed token fetch).
        if (error instanceof OneLoginError) throw error;
        attempts.answeredSinceRetoken = true;
        const lost = this.parts.errors.transportError(error, apiRequest, this.timeoutMs);
        if (!mayResend(apiRequest)) throw this.parts.errors.answerLost(apiRequest, lost.reason);
        lostAnswer ??= lost.reason;
        await this.backOffOrThrow(lost, attempts, apiRequest);
        continue;
      }
      const verdict = await this.judge(exchanged.response, exchanged.token, apiRequest, attempts);
      if (verdict.kind === 'done')
        return lostAnswer === undefined ? verdict.response : { ...verdict.response, afterLostAnswer: lostAnswer };
      if (exchanged.response.status >= 500) lostAnswer ??= `http-${exchanged.response.status}`;
    }
  }

  private get timeoutMs(): number {
    return this.parts.policy.requestTimeoutMs;
  }

  /** What an answer means: the caller's to read, or another attempt (after a 429, a 401 re-token or a 5xx backoff). */
  private async judge(
    response: ApiResponse,
    token: string | undefined,
    apiRequest: ApiRequest,
    attempts: CallAttempts,
  ): Promise<Verdict> {
    const { errors, pacer, tokens } = this.parts;
    if (response.status !== 401) attempts.answeredSinceRetoken = true;
    if (response.status === 429) {
      this.rateLimited += 1;
      attempts.consecutive429 += 1;
      const retryAfterMs = parseRetryAfterMs(header(response.headers, 'retry-after'), this.parts.now());
      pacer.rateLimited(retryAfterMs, rateHeaders(response.headers));
      if (attempts.consecutive429 >= MAX_CONSECUTIVE_429) throw errors.httpError(response, apiRequest, 'rate-limited');
      return { kind: 'again' };
    }
    pacer.succeeded();
    if (response.status === 401 && token !== undefined) {
      if (!attempts.answeredSinceRetoken || attempts.retokens >= MAX_RETOKENS)
        throw errors.httpError(response, apiRequest, 'unauthorized');
      attempts.retokens += 1;
      attempts.answeredSinceRetoken = false;
      this.retries += 1;
      tokens.drop(token);
      return { kind: 'again' };
    }
    if (response.status >= 300 && response.status < 400) throw errors.redirect(response, apiRequest);
    if (response.status >= 500) {
      if (!mayResend(apiRequest))
        throw errors.answerLost(apiRequest, `http-${response.status}`, this.parts.errors.detail(response));
      await this.backOffOrThrow(
        errors.httpError(response, apiRequest, `http-${response.status}`, true),
        attempts,
        apiRequest,
      );
      return { kind: 'again' };
    }
    return { kind: 'done', response };
  }

  private async backOffOrThrow(error: OneLoginError, attempts: CallAttempts, apiRequest: ApiRequest): Promise<void> {
    const { policy, random } = this.parts;
    const now = this.parts.now();
    attempts.failedAttempts += 1;
    if (attempts.failedAttempts === 1) attempts.firstFailureAt = now;
    if (attempts.failedAttempts >= policy.maxAttempts) throw error;
    const delay = fullJitterDelay(attempts.failedAttempts, policy.backoffBaseMs, policy.backoffCapMs, random);
    if (now - attempts.firstFailureAt + delay > policy.maxRetryTimeMs) throw error;
    if (now + delay > this.parts.waitDeadline()) throw new OneLoginWaitRequiredError(delay);
    this.retries += 1;
    this.parts.onWait?.({
      reason: 'retry',
      ms: delay,
      attempt: attempts.failedAttempts + 1,
      of: policy.maxAttempts,
      request: apiRequest.kind,
      cause: error.reason,
      detail: error.message,
    });
    await this.parts.sleep(delay);
  }

  /**
   * One attempt: a concurrency slot, the pacer's permission, a fresh token, the HTTP exchange. The token is taken
   * only once the call is about to go out, so that it cannot go stale while the call queues. A token fetch runs
   * inside the slot of the call that needs it, which keeps the number of requests in flight within the bound.
   */
  private async exchange(apiRequest: ApiRequest): Promise<{ response: ApiResponse; token: string | undefined }> {
    const { semaphore, pacer, tokens, probe, gate } = this.parts;
    if (apiRequest.kind === 'token') {
      await pacer.admit();
      return { response: await this.http(apiRequest, undefined), token: undefined };
    }
    // The rate status call is never queued behind the calls it paces: they hold their slots while they wait for it.
    const isRateStatus = apiRequest.path === RATE_LIMIT_PATH;
    if (!isRateStatus) await gate.acquire(semaphore);
    try {
      if (!isRateStatus) await probe.beforeCall();
      await pacer.admit();
      const token = apiRequest.auth === 'bearer' ? await tokens.get() : undefined;
      // After the stop no change goes out, however far the call had come; reads may still settle what happened.
      if (isChange(apiRequest)) gate.throwIfStopped();
      return { response: await this.http(apiRequest, token), token };
    } finally {
      if (!isRateStatus) semaphore.release();
    }
  }

  private async http(apiRequest: ApiRequest, token: string | undefined): Promise<ApiResponse> {
    const response = await this.parts.http.send(apiRequest, token);
    const rate = rateHeaders(response.headers);
    this.parts.pacer.observe(rate);
    this.parts.probe.noteAnswer(apiRequest, rate);
    return response;
  }
}
