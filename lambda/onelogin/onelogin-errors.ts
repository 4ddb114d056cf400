// Typed errors of the OneLogin client. Messages are built only from safe parts; the client redacts them again anyway.

/**
 * Stable cause codes: `http-<status>`, `timeout`, `network`, `rate-limited`, `unauthorized`, `redirect`,
 * `no-route` (a 404 that names no missing resource: wrong base path), `credentials-refused`, `config`, `invalid-argument`, `invalid-response`, `wait-required`,
 * `answer-lost` (a call that is never sent twice, e.g. a create, lost its answer: it may have taken effect).
 */
export type OneLoginErrorReason = string;

export class OneLoginError extends Error {
  override readonly name: string = 'OneLoginError';
  constructor(
    readonly reason: OneLoginErrorReason,
    message: string,
    readonly status?: number,
    /** Whether another attempt of the same call may succeed. */
    readonly retryable = false,
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, reason: this.reason, status: this.status, message: this.message };
  }
}

/** The host settings cannot be used (bad subdomain, plain http to a non-loopback host, several hosts given…). */
export class OneLoginConfigError extends OneLoginError {
  override readonly name = 'OneLoginConfigError';
  constructor(message: string) {
    super('config', message);
  }
}

/** The token endpoint refused the client id/secret (401 or 400): no call can succeed with them. */
export class OneLoginCredentialsError extends OneLoginError {
  override readonly name = 'OneLoginCredentialsError';
  constructor(status: number, detail: string) {
    super(
      'credentials-refused',
      `OneLogin refused the API client id/secret (token endpoint answered ${status}${detail ? `: ${detail}` : ''}); check the credentials and their scope`,
      status,
    );
  }
}

/** The call would have to wait (pacing, a 429, a retry backoff) past the client's wait deadline; nothing was sent. */
export class OneLoginWaitRequiredError extends OneLoginError {
  override readonly name = 'OneLoginWaitRequiredError';
  constructor(readonly waitMs: number) {
    super('wait-required', `rate limit: next call allowed in ${Math.ceil(waitMs / 1000)} s`);
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), waitMs: this.waitMs };
  }
}

/** The client was stopped (its stop signal fired) while this call waited or before it was sent; nothing was sent. */
export class OneLoginStoppedError extends OneLoginError {
  override readonly name = 'OneLoginStoppedError';
  constructor() {
    super('stopped', 'the run was stopped before this call was sent');
  }
}
