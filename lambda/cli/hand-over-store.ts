// A store whose use can be handed over: after handOver() the first holder's calls never settle (a job still running
// on it stalls instead of writing behind the new holder's back), and the new holder has the store to itself.
import type { Body, ObjectStore } from '../engine/ports.ts';

export class HandOverStore implements ObjectStore {
  private handedOver = false;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly inner: ObjectStore) {}

  get(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    return this.track(() => this.inner.get(key));
  }

  put(key: string, body: Body, contentType?: string): Promise<void> {
    return this.track(() => this.inner.put(key, body, contentType));
  }

  delete(key: string): Promise<void> {
    return this.track(() => this.inner.delete(key));
  }

  /** Waits for the calls already started, then gives the store to the caller alone. */
  async handOver(): Promise<ObjectStore> {
    this.handedOver = true;
    await Promise.allSettled([...this.pending]);
    return this.inner;
  }

  private track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.handedOver) return new Promise<T>(() => undefined);
    const running = operation();
    this.pending.add(running);
    const forget = () => this.pending.delete(running);
    running.then(forget, forget);
    return running;
  }
}
