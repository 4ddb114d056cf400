// One resource call, in OneLogin's order: counted, rate-limited, maybe faulted, token-checked, then routed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.ts';
import { DOCUMENTED_NO_ROUTE, V1_NO_ROUTE, V2_UNAUTHORIZED, v1Status } from './error-bodies.ts';
import { applyFault } from './fault-injection.ts';
import type { Fault } from './fault-plan.ts';
import { type Headers, readBody, sendJson } from './http-replies.ts';
import { admitCall } from './rate-limit-gate.ts';
import type { RouteContext } from './route-context.ts';
import { findRoute } from './route-table.ts';
import { bearerToken } from './token-request.ts';

export async function handleResource(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  const body = method === 'GET' ? discardBody(req) : await readBody(req);
  const matched = findRoute(method, path);
  state.stats.calls[matched?.route.kind ?? 'other'] += 1;
  if (state.options.noRoute !== undefined) {
    sendJson(res, 404, DOCUMENTED_NO_ROUTE);
    return;
  }
  const admission = admitCall(state, res);
  if (!admission) return;
  let fault: Fault = { kind: 'none' };
  if (state.faults) {
    fault = state.faults.next(matched?.route.kind === 'delete');
    if (await applyFault(state, fault, req, res)) return;
  }
  const { headers } = admission;
  if (!matched) {
    sendJson(res, 404, V1_NO_ROUTE, headers);
    return;
  }
  if (!authorized(state, req, res, matched.route.version, headers)) return;
  const context: RouteContext = {
    state,
    req,
    res,
    url,
    headers,
    body,
    rateLimit: admission.decision,
    loseAnswer: fault.kind === 'deleteThenReset',
  };
  if (matched.pathId !== undefined) context.pathId = matched.pathId;
  matched.route.handle(context);
}

/** A GET has no body worth waiting for: answering it stays synchronous, as before writes had routes. */
function discardBody(req: IncomingMessage): string {
  req.resume();
  return '';
}

/** The bearer token must be the account's live token; v1 answers a missing header with 400 (docs/onelogin-api-notes.md, bearer forms). */
function authorized(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  version: 1 | 2,
  headers: Headers,
): boolean {
  const token = bearerToken(req.headers.authorization);
  if (token === undefined && version === 1) {
    sendJson(res, 400, v1Status(400, 'bad request', 'Authorization Information is incorrect'), headers);
    return false;
  }
  if (token === undefined || state.revoked || !state.tokens.use(token)) {
    if (version === 1) sendJson(res, 401, v1Status(401, 'Unauthorized', 'Authentication Failure'), headers);
    else sendJson(res, 401, V2_UNAUTHORIZED, headers);
    return false;
  }
  return true;
}
