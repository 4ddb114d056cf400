// Shows a run's progress: a bar on an interactive terminal, plain timestamped lines otherwise (logs, CI, pipes).
import cliProgress from 'cli-progress';
import type { JobProgress, Phase } from '../engine/job.ts';
import type { OutcomeCounts } from '../engine/outcomes.ts';
import { OUTCOMES } from '../engine/outcomes.ts';

export interface ProgressDisplay {
  update(progress: JobProgress): void;
  /** A line of its own (a warning, the plan, a wait notice) that must not be overwritten by the bar. */
  log(line: string): void;
  stop(): void;
}

type Writable = { write(chunk: string): unknown };

const PHASE_LABELS: Record<Phase, string> = {
  validate: 'Reading',
  resolve: 'Looking up',
  apply: 'Deleting',
  report: 'Reporting',
  done: 'Done',
};

export function formatCounts(counts: OutcomeCounts): string {
  const parts = OUTCOMES.filter((outcome) => counts[outcome] > 0).map((outcome) => `${outcome} ${counts[outcome]}`);
  return parts.length > 0 ? parts.join(', ') : 'no outcomes yet';
}

/** Plain lines, at most one every `intervalMs` unless the phase changes. */
export class PlainProgressLines implements ProgressDisplay {
  private lastLineAt = Number.NEGATIVE_INFINITY;
  private lastPhase: Phase | undefined;

  constructor(
    private readonly out: Writable,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 5_000,
  ) {}

  update(progress: JobProgress): void {
    const at = this.now();
    if (progress.phase === this.lastPhase && at - this.lastLineAt < this.intervalMs) return;
    this.lastPhase = progress.phase;
    this.lastLineAt = at;
    const total = progress.rowsTotal > 0 ? `/${progress.rowsTotal}` : '';
    this.out.write(
      `[${new Date(at).toISOString().slice(11, 19)}] ${PHASE_LABELS[progress.phase]}: ${progress.rowsDone}${total} rows done` +
        ` (${formatCounts(progress.counts)}), ${progress.apiCalls} API calls\n`,
    );
  }

  log(line: string): void {
    this.out.write(`${line}\n`);
  }

  stop(): void {}
}

/** A cli-progress bar: rows done/total, outcome counts, API calls and an ETA at the current rate. */
export class TerminalProgressBar implements ProgressDisplay {
  private readonly bar: cliProgress.SingleBar;
  private readonly rate: RowRate;
  private started = false;

  constructor(
    private readonly out: Writable & NodeJS.WritableStream,
    now: () => number = Date.now,
  ) {
    this.rate = new RowRate(now);
    this.bar = new cliProgress.SingleBar({
      stream: out,
      format: '{phase} [{bar}] {value}/{total} rows | {counts} | {apiCalls} API calls | ETA {etaText}',
      barsize: 24,
      hideCursor: true,
      gracefulExit: false,
      linewrap: false,
      fps: 5,
      // Stopping clears the bar's line, so a confirmation prompt or the summary starts on a clean line.
      clearOnComplete: true,
    });
  }

  update(progress: JobProgress): void {
    const total = Math.max(progress.rowsTotal, progress.rowsDone, 1);
    const payload = {
      phase: PHASE_LABELS[progress.phase].padEnd(10),
      counts: formatCounts(progress.counts),
      apiCalls: progress.apiCalls,
      etaText: formatEta(this.rate.etaSeconds(progress.rowsDone, total)),
    };
    if (!this.started) {
      this.bar.start(total, progress.rowsDone, payload);
      this.started = true;
      return;
    }
    if (total !== this.bar.getTotal()) this.bar.setTotal(total);
    this.bar.update(progress.rowsDone, payload);
  }

  log(line: string): void {
    if (this.started) {
      // Clear the bar's line, write ours, and let the next render draw the bar below it. cli-progress restores the
      // cursor it saved (ESC 7) when it stops, so save the bar's new line, or stopping would erase the line we wrote.
      this.out.write(`\r\x1b[2K${line}\n\x1b7`);
      this.bar.render();
    } else {
      this.out.write(`${line}\n`);
    }
  }

  stop(): void {
    if (this.started) this.bar.stop();
    this.started = false;
  }
}

/** Rows per second over the last minute or so: the rate limit makes the long-run rate, not the first burst, what counts. */
export class RowRate {
  private readonly samples: Array<{ at: number; done: number }> = [];

  constructor(
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  /** Seconds until `total` rows are done at the current rate; undefined while the rate is unknown. */
  etaSeconds(done: number, total: number): number | undefined {
    const at = this.now();
    const last = this.samples[this.samples.length - 1];
    if (last && done < last.done) this.samples.length = 0;
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - (this.samples[1]?.at ?? at) >= this.windowMs) this.samples.shift();
    if (done >= total) return 0;
    const first = this.samples[0];
    if (!first || at <= first.at || done <= first.done) return undefined;
    const perMs = (done - first.done) / (at - first.at);
    return Math.ceil((total - done) / perMs / 1000);
  }
}

export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined) return '--';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  return `${hours}h${String(minutes % 60).padStart(2, '0')}m`;
}
