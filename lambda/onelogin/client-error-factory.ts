// Builds the client's errors from answers and transport failures, every message passed through the redactor.
import type { ApiRequest, ApiResponse } from './api-messages.ts';
import { describePath, header, isRecord } from './api-messages.ts';
import { describeErrorBody } from './error-body.ts';
import { OneLoginError } from './onelogin-errors.ts';
import type { SecretRedactor } from './secret-redactor.ts';

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_ABORTED',
  'ETIMEDOUT',
]);

export class ClientErrorFactory {
  constructor(private readonly redactor: SecretRedactor) {}

  error(reason: string, message: string, status?: number, retryable = false): OneLoginError {
    return new OneLoginError(reason, this.redactor.redact(message), status, retryable);
  }

  /** The error body's short detail, redacted. */
  detail(response: ApiResponse): string {
    return this.redactor.redact(describeErrorBody(response.text, header(response.headers, 'content-type')));
  }

  httpError(response: ApiResponse, apiRequest: ApiRequest, reason: string, retryable = false): OneLoginError {
    const detail = this.detail(response);
    return this.error(
      reason,
      `OneLogin ${apiRequest.method} ${describePath(apiRequest)} answered ${response.status}${detail ? `: ${detail}` : ''}`,
      response.status,
      retryable,
    );
  }

  /** Throws unless the answer is a 2xx. */
  expectSuccess(response: ApiResponse, apiRequest: ApiRequest): void {
    if (response.status >= 200 && response.status < 300) return;
    throw this.httpError(response, apiRequest, response.status === 401 ? 'unauthorized' : `http-${response.status}`);
  }

  /** A 404 that names no missing resource: the route does not exist here (a wrong base path or host). */
  noRoute(response: ApiResponse, apiRequest: ApiRequest): OneLoginError {
    return this.httpError(response, apiRequest, 'no-route');
  }

  redirect(response: ApiResponse, apiRequest: ApiRequest): OneLoginError {
    return this.error(
      'redirect',
      `OneLogin ${apiRequest.method} ${describePath(apiRequest)} answered a redirect (${response.status}); redirects are never followed — check the host setting`,
      response.status,
    );
  }

  transportError(error: unknown, apiRequest: ApiRequest, timeoutMs: number): OneLoginError {
    const code = isRecord(error) && typeof error.code === 'string' ? error.code : '';
    const name = error instanceof Error ? error.name : '';
    const timedOut = name === 'TimeoutError' || name === 'AbortError' || TIMEOUT_CODES.has(code);
    const where = `OneLogin ${apiRequest.method} ${describePath(apiRequest)}`;
    if (timedOut) return this.error('timeout', `${where} timed out after ${timeoutMs} ms`, undefined, true);
    return this.error(
      'network',
      `${where} failed on the network (${code || name || 'connection error'})`,
      undefined,
      true,
    );
  }

  /**
   * A call that must not be sent twice (a POST that creates) lost its answer: it may or may not have taken effect, and
   * only a read (by username or email) can tell. Final, never retried.
   */
  answerLost(apiRequest: ApiRequest, cause: string, detail = ''): OneLoginError {
    return this.error(
      'answer-lost',
      `OneLogin ${apiRequest.method} ${describePath(apiRequest)}: the answer was lost (${cause}${detail ? `: ${detail}` : ''}); the request may have taken effect and is not sent again: check before retrying`,
    );
  }

  parseJson(text: string): unknown {
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw this.error('invalid-response', 'OneLogin answered a body that is not JSON');
    }
  }
}
