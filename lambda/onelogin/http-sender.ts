// One HTTP exchange with OneLogin over undici: the configured origin only, no redirects, the whole call time-bounded.
import type { Dispatcher } from 'undici';
import { request } from 'undici';
import type { ApiRequest, ApiResponse, CallCounts } from './api-messages.ts';
import { emptyCallCounts } from './api-messages.ts';
import type { ClientErrorFactory } from './client-error-factory.ts';

export interface HttpSenderOptions {
  dispatcher: Dispatcher;
  baseUrl: string;
  /** The one origin credentials and tokens may go to. */
  origin: string;
  /** The value of the Authorization header of the token request. */
  basicAuthorization: string;
  requestTimeoutMs: number;
  errors: ClientErrorFactory;
}

export class HttpSender {
  readonly counts: CallCounts = emptyCallCounts();

  constructor(private readonly options: HttpSenderOptions) {}

  async send(apiRequest: ApiRequest, token: string | undefined): Promise<ApiResponse> {
    const { baseUrl, origin, requestTimeoutMs } = this.options;
    const url = new URL(baseUrl + apiRequest.path);
    if (apiRequest.query !== undefined) url.search = apiRequest.query.toString();
    // Defence in depth: credentials and tokens go to the configured origin only.
    if (url.origin !== origin)
      throw this.options.errors.error('config', 'refusing to send a request outside the configured OneLogin host');
    const headers: Record<string, string> = { accept: 'application/json' };
    if (apiRequest.auth === 'basic') headers.authorization = this.options.basicAuthorization;
    else if (token !== undefined) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (apiRequest.jsonBody !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(apiRequest.jsonBody);
    }
    this.counts[apiRequest.kind] += 1;
    // undici's request follows no redirect; the signal bounds the whole exchange, the two timeouts only its idle gaps.
    const response = await request(url, {
      dispatcher: this.options.dispatcher,
      method: apiRequest.method,
      headers,
      body,
      headersTimeout: requestTimeoutMs,
      bodyTimeout: requestTimeoutMs,
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  }
}
