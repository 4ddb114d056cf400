// The client's stop: from the stop signal on nothing waits (a slot, the pacer, a retry backoff) and no change (DELETE, PUT, POST) is sent.
// Requests already on the wire are left to finish, bounded by the request timeout: their answer says what happened.
import { OneLoginStoppedError } from './onelogin-errors.ts';
import type { Semaphore } from './semaphore.ts';

export class StopGate {
  constructor(private readonly signal: AbortSignal | undefined) {}

  get stopped(): boolean {
    return this.signal?.aborted === true;
  }

  throwIfStopped(): void {
    if (this.stopped) throw new OneLoginStoppedError();
  }

  /** A sleep that rejects with OneLoginStoppedError at once when the stop signal fires (or has fired). */
  sleeper(sleep: (ms: number) => Promise<void>): (ms: number) => Promise<void> {
    return (ms) => this.race(sleep(ms));
  }

  /** A slot, or OneLoginStoppedError when the stop comes first; a slot granted after the stop is handed back. */
  async acquire(semaphore: Semaphore): Promise<void> {
    let abandoned = false;
    const acquired = semaphore.acquire().then(() => {
      if (abandoned) semaphore.release();
    });
    try {
      await this.race(acquired);
    } catch (error) {
      abandoned = true;
      throw error;
    }
  }

  private race<T>(work: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (signal === undefined) return work;
    if (signal.aborted) {
      work.catch(() => undefined);
      return Promise.reject(new OneLoginStoppedError());
    }
    return new Promise<T>((resolve, reject) => {
      const onStop = () => reject(new OneLoginStoppedError());
      signal.addEventListener('abort', onStop, { once: true });
      work.then(
        (value) => {
          signal.removeEventListener('abort', onStop);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onStop);
          reject(error);
        },
      );
    });
  }
}
