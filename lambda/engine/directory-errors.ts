// Errors a UserDirectory adapter throws, in the engine's terms. The adapter maps its client's errors onto these.

/** No further call can succeed (credentials refused or revoked, host misconfigured): the engine stops the run. */
export class DirectoryUnavailableError extends Error {
  override readonly name = 'DirectoryUnavailableError';
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** One call failed after its retries; the row it served ends `failed` with this reason (`http-500`, `timeout`, `network`, `rate-limited`, …). */
export class DirectoryCallError extends Error {
  override readonly name = 'DirectoryCallError';
  constructor(
    readonly reason: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The next call would have to wait longer than the caller allows: checkpoint and come back after waitMs. */
export class WaitRequiredError extends Error {
  override readonly name = 'WaitRequiredError';
  constructor(
    readonly waitMs: number,
    options?: ErrorOptions,
  ) {
    super(`rate limit: next call allowed in ${Math.ceil(waitMs / 1000)} s`, options);
  }
}
