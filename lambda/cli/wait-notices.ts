// Turns the OneLogin client's waits into console lines: long enough to notice, and not one line per paced call.
import type { ClientWait } from '../onelogin/client-types.ts';
import { describeClientWait } from './console-messages.ts';

/** A rate-limit pause shorter than this is pacing, not a wait worth a line. */
const SHORT_WAIT_MS = 2_000;
/** At most one line per reason in this time, unless the new wait is longer than what was last told. */
const QUIET_MS = 10_000;

export class WaitNotices {
  private readonly lastTold = new Map<string, { at: number; until: number }>();
  private print: ((line: string) => void) | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  /** Where the lines go once the progress display exists (the client is made before it). */
  showOn(print: (line: string) => void): void {
    this.print = print;
  }

  readonly observe = (wait: ClientWait): void => {
    if (wait.reason === 'rate-limit' && wait.ms < SHORT_WAIT_MS) return;
    const at = this.now();
    const key = wait.reason === 'retry' ? `retry:${wait.request ?? ''}:${wait.attempt ?? ''}` : wait.reason;
    const last = this.lastTold.get(key);
    if (last && at - last.at < QUIET_MS && at + wait.ms <= last.until) return;
    this.lastTold.set(key, { at, until: at + wait.ms });
    this.print?.(describeClientWait(wait));
  };
}
