// An ObjectStore that fails (or ends the step) at its Nth write: to stop a run at every point and check resuming.

import { bodyBytes, MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import type { Body, ObjectStore } from '../../lambda/engine/ports.ts';

export type FaultKind = 'throw-before-write' | 'throw-after-write' | 'deadline';

export class StopHere extends Error {
  constructor() {
    super('injected stop');
  }
}

export class FaultyStore implements ObjectStore {
  puts = 0;
  /** Write number (1-based) at which the fault fires; 0 = never. */
  failAt = 0;
  kind: FaultKind = 'throw-before-write';
  readonly controller = new AbortController();

  constructor(readonly inner: MemoryObjectStore = new MemoryObjectStore()) {}

  get(key: string) {
    return this.inner.get(key);
  }

  delete(key: string) {
    return this.inner.delete(key);
  }

  async put(key: string, body: Body, contentType?: string): Promise<void> {
    this.puts += 1;
    const fire = this.puts === this.failAt;
    if (fire && this.kind === 'throw-before-write') {
      await bodyBytes(body);
      throw new StopHere();
    }
    await this.inner.put(key, body, contentType);
    if (fire && this.kind === 'throw-after-write') throw new StopHere();
    if (fire && this.kind === 'deadline') this.controller.abort();
  }
}
