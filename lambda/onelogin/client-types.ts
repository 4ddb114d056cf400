// The OneLogin client's configuration. The client itself is lambda/onelogin/onelogin-client.ts.
import type { Dispatcher } from 'undici';

export interface OneLoginCredentials {
  clientId: string;
  clientSecret: string;
}

import type { OneLoginHost } from '../settings/onelogin-host.ts';

export type { OneLoginHost } from '../settings/onelogin-host.ts';

/** A wait the client is about to make, for a console that says why it is quiet (optional observer, never a control). */
export interface ClientWait {
  /** 'rate-limit': the pacer holds calls back (the window is used up, or a 429); 'retry': a failed call is tried again. */
  reason: 'rate-limit' | 'retry';
  ms: number;
  /** A retry: the attempt about to be made (the first call is attempt 1) and the most allowed. */
  attempt?: number;
  of?: number;
  /** A retry: which request (token, get, list, delete) and why its last attempt failed (the error's reason code). */
  request?: string;
  cause?: string;
  /** A retry: the failed attempt's message (redacted like every client error). */
  detail?: string;
}

export interface OneLoginClientOptions extends OneLoginHost {
  credentials: OneLoginCredentials;
  /** Injectable for tests; defaults to a pooled undici Agent. */
  dispatcher?: Dispatcher;
  /** Largest number of requests in flight (default 4). */
  concurrency?: number;
  /** Share (0–1) of the account's rate limit this client may use (default 0.8): the limit is shared with other integrations. */
  rateShare?: number;
  /** Attempts per call, first included (default 6), and total time per call across retries (default 120 s). */
  maxAttempts?: number;
  maxRetryTimeMs?: number;
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
  /**
   * Epoch ms (on `now`) by which every wait — pacing, a 429, a retry backoff — must end: a call that would wait longer
   * throws OneLoginWaitRequiredError at once, before sending anything (default: no deadline). Asked before each wait.
   */
  waitDeadline?: () => number;
  /**
   * From its abort on, nothing waits and no DELETE is sent: a call waiting for a slot, the pacer or a retry backoff, and
   * a DELETE not yet sent, reject with OneLoginStoppedError at once. Requests already sent are awaited (each bounded by
   * requestTimeoutMs). Reads that need no wait still go (they can tell whether a DELETE in flight went through).
   */
  stopSignal?: AbortSignal;
  /**
   * When answers carry no X-RateLimit headers, ask GET /auth/rate_limit once per window and pace from it instead of
   * learning the window from 429s (default false; the CLI and the Lambda handlers turn it on).
   */
  probeRateStatus?: boolean;
  /** Backoff ceiling of the first retry in ms (default 500; doubles per retry) and its largest value (default 30 s). */
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Told before every wait of a rate-limit pause or a retry backoff (not before waits too short to notice). */
  onWait?: (info: ClientWait) => void;
  /** Deterministic jitter for tests. */
  random?: () => number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}
