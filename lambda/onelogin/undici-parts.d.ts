// Types for the two parts of undici the client imports directly. Importing 'undici' itself would also pull fetch,
// WebSocket, caches and mocks (about 250 KB minified) into every Lambda bundle.
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}

declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici';
  export default function request(
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
  ): Promise<Dispatcher.ResponseData>;
}
