// One ObjectStore made of several: keys under a route's prefix go to that route's store, the rest to the fallback.
// The CLI keeps the engine's checkpoints and status.json in a temporary folder and the reports in the report folder.
import type { Body, ObjectStore } from '../engine/ports.ts';

export interface StoreRoute {
  prefix: string;
  store: ObjectStore;
}

export class RoutingObjectStore implements ObjectStore {
  constructor(
    private readonly routes: readonly StoreRoute[],
    private readonly fallback: ObjectStore,
  ) {}

  get(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    return this.storeFor(key).get(key);
  }

  put(key: string, body: Body, contentType?: string): Promise<void> {
    return this.storeFor(key).put(key, body, contentType);
  }

  delete(key: string): Promise<void> {
    return this.storeFor(key).delete(key);
  }

  private storeFor(key: string): ObjectStore {
    return this.routes.find((route) => key.startsWith(route.prefix))?.store ?? this.fallback;
  }
}
