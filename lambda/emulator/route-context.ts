// What a resource route is handed once the request passed the rate limit, the fault plan and the token check.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.ts';
import type { CallKind } from './emulator-types.ts';
import type { Headers } from './http-replies.ts';
import type { RateLimitDecision } from './rate-limit-window.ts';

export interface RouteContext {
  state: EmulatorState;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Rate-limit headers to send with the answer. */
  headers: Headers;
  /** The request body as text ('' for none). */
  body: string;
  /** The `:id` path segment (user or role), still undecoded as a number. */
  pathId?: string;
  /** Rate-limit state after counting this call, when the limit is on. */
  rateLimit: RateLimitDecision | undefined;
  /** A deleteThenReset fault: do the work, then drop the connection instead of answering. */
  loseAnswer: boolean;
}

export interface Route {
  kind: CallKind;
  /** Which error style the route speaks: v1 `status` envelope or v2 `{message,name,statusCode}`. */
  version: 1 | 2;
  handle: (context: RouteContext) => void;
}
