// The token endpoints: issue (v2 and the legacy v1 envelope) and revoke (docs/onelogin-api-notes.md, tokens).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.ts';
import { SUCCESS_STATUS, v1Status } from './error-bodies.ts';
import { applyFault } from './fault-injection.ts';
import { readBody, sendJson } from './http-replies.ts';
import { parseTokenRequest } from './token-request.ts';

const AUTHENTICATION_FAILURE = v1Status(401, 'Unauthorized', 'Authentication Failure');

export async function handleToken(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  legacy: boolean,
): Promise<void> {
  state.stats.calls.token += 1;
  const body = await readBody(req);
  if (state.faults?.includesToken && (await applyFault(state, state.faults.next(false), req, res))) return;
  const request = parseTokenRequest(req.headers.authorization, req.headers['content-type'], body, !legacy);
  if (request.grantType !== 'client_credentials') {
    sendJson(res, 400, v1Status(400, 'bad request', 'grant_type is incorrect/absent'));
    return;
  }
  if (state.credentialOwnerDeleted) {
    sendJson(res, 500, v1Status(500, 'Internal Server Error', 'Internal Server Error'));
    return;
  }
  const credentials = request.credentials;
  if (!credentials || !state.credentialsMatch(credentials.clientId, credentials.clientSecret)) {
    sendJson(res, 401, AUTHENTICATION_FAILURE);
    return;
  }
  const before = state.tokens.issuedCount;
  const token = state.tokens.issue(legacy);
  state.stats.tokensIssued += state.tokens.issuedCount - before;
  const payload = {
    access_token: token.accessToken,
    created_at: new Date(token.createdAt).toISOString(),
    expires_in: Math.max(0, Math.floor((token.expiresAt - state.now()) / 1000)),
    refresh_token: token.refreshToken,
    token_type: 'bearer',
    account_id: state.accountId,
  };
  sendJson(res, 200, legacy ? { status: SUCCESS_STATUS, data: [payload] } : payload);
}

export async function handleRevoke(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  state.stats.calls.other += 1;
  const body = await readBody(req);
  const credentials = parseTokenRequest(req.headers.authorization, 'application/json', body, false).credentials;
  if (!credentials) {
    sendJson(res, 400, v1Status(400, 'bad request', 'The authorization information is missing'));
    return;
  }
  if (!state.credentialsMatch(credentials.clientId, credentials.clientSecret)) {
    sendJson(res, 401, AUTHENTICATION_FAILURE);
    return;
  }
  const accessToken = accessTokenOf(body);
  if (accessToken === undefined) {
    sendJson(res, 400, v1Status(400, 'bad request', 'Access Token Missing'));
    return;
  }
  state.tokens.revoke(accessToken);
  sendJson(res, 200, { status: SUCCESS_STATUS });
}

function accessTokenOf(body: string): string | undefined {
  try {
    const value = (JSON.parse(body) as { access_token?: unknown }).access_token;
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}
