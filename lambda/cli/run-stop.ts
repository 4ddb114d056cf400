// Ctrl-C and SIGTERM during a run. The first stops it: no new change is sent, the calls on the wire are awaited, the
// report is written. A second one only hurries: the report is then written from the last saved state at once.
import type { CliIo, StopSignalName } from './cli-io.ts';

const SIGNAL_LABELS: Record<StopSignalName, string> = { SIGINT: 'Ctrl-C', SIGTERM: 'SIGTERM' };

export class RunStop {
  private readonly stopController = new AbortController();
  private readonly hurryController = new AbortController();
  /** The first signal received. */
  private first: StopSignalName | undefined;

  /** Fires on the first signal: the engine and the OneLogin client stop. */
  get signal(): AbortSignal {
    return this.stopController.signal;
  }

  /** Fires on the second signal: stop waiting, write the report from the saved state. */
  get hurrySignal(): AbortSignal {
    return this.hurryController.signal;
  }

  get received(): StopSignalName | undefined {
    return this.first;
  }

  /** How the report and the console name the stop: Ctrl-C or SIGTERM, as it came. */
  describe(): string {
    return this.first === 'SIGTERM' ? 'stopped by SIGTERM' : 'interrupted from the command line (Ctrl-C)';
  }

  label(): string {
    return SIGNAL_LABELS[this.first ?? 'SIGINT'];
  }

  /** Listens on io until the returned function is called; `onStop` tells the user what happens next. */
  listen(io: CliIo, onStop: (stage: 'stopping' | 'hurrying') => void): () => void {
    return io.onInterrupt((name = 'SIGINT') => {
      if (this.first === undefined) {
        this.first = name;
        onStop('stopping');
        this.stopController.abort();
      } else if (!this.hurryController.signal.aborted) {
        onStop('hurrying');
        this.hurryController.abort();
      }
    });
  }
}
