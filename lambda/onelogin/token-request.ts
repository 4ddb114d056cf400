// POST /auth/oauth2/v2/token with the client credentials, and the reading of its answer (v2 and the v1 envelope).
import type { IssuedToken } from './access-token-cache.ts';
import type { ApiRequest, ApiResponse } from './api-messages.ts';
import { isRecord } from './api-messages.ts';
import type { ClientErrorFactory } from './client-error-factory.ts';
import { OneLoginCredentialsError } from './onelogin-errors.ts';
import type { SecretRedactor } from './secret-redactor.ts';

const TOKEN_REQUEST: ApiRequest = {
  kind: 'token',
  method: 'POST',
  path: '/auth/oauth2/v2/token',
  auth: 'basic',
  jsonBody: { grant_type: 'client_credentials' },
  // A second token request after a lost answer only issues another token.
  resendable: true,
};
const DEFAULT_TOKEN_TTL_S = 3600;

export async function requestAccessToken(
  send: (apiRequest: ApiRequest) => Promise<ApiResponse>,
  errors: ClientErrorFactory,
  redactor: SecretRedactor,
): Promise<IssuedToken> {
  const response = await send(TOKEN_REQUEST);
  if (response.status === 400 || response.status === 401 || response.status === 403) {
    throw new OneLoginCredentialsError(response.status, errors.detail(response));
  }
  if (response.status === 404) throw errors.noRoute(response, TOKEN_REQUEST);
  errors.expectSuccess(response, TOKEN_REQUEST);
  const body = errors.parseJson(response.text);
  // v1 legacy wraps the token as {status, data:[{…}]}
  const fields = isRecord(body) && Array.isArray(body.data) ? body.data[0] : body;
  if (!isRecord(fields) || typeof fields.access_token !== 'string' || fields.access_token === '') {
    throw errors.error('invalid-response', 'OneLogin token endpoint answered without an access token');
  }
  // The document types token_type as a string; OneLogin's samples may carry null for it, which says nothing.
  if (
    fields.token_type !== undefined &&
    fields.token_type !== null &&
    String(fields.token_type).toLowerCase() !== 'bearer'
  ) {
    throw errors.error('invalid-response', 'OneLogin token endpoint answered with a token type other than bearer');
  }
  redactor.add(fields.access_token);
  if (typeof fields.refresh_token === 'string') redactor.add(fields.refresh_token);
  const ttlSeconds = Number(fields.expires_in);
  const lifetimeS = Number.isFinite(ttlSeconds) && ttlSeconds > 0 ? ttlSeconds : DEFAULT_TOKEN_TTL_S;
  const issued: IssuedToken = { value: fields.access_token, lifetimeMs: lifetimeS * 1000 };
  const accountId = Number(fields.account_id);
  if (fields.account_id !== undefined && fields.account_id !== null && Number.isSafeInteger(accountId) && accountId > 0)
    issued.accountId = accountId;
  return issued;
}
