// What one step of a job carries around: the checkpoint, the API-call accounting across steps, the deadline, progress.

import type { Checkpoint } from './checkpoint.ts';
import { saveCheckpoint } from './checkpoint.ts';
import type { EngineTuning } from './engine-tuning.ts';
import { resolveTuning } from './engine-tuning.ts';
import type { EngineDeps, JobProgress, JobSpec, StepLimits } from './job.ts';
import type { Outcome, OutcomeCounts } from './outcomes.ts';
import { OUTCOMES } from './outcomes.ts';
import type { ApiCallCounts } from './ports.ts';
import { API_CALL_KINDS, emptyApiCalls } from './ports.ts';
import type { PhaseProgress, RunStatus } from './status-document.ts';
import { writeStatusDocument } from './status-document.ts';
import type { WantedKeys } from './user-index.ts';

// Every kind the directory counts (creates and role calls of a restore too): the report's apiCalls total covers them all.
export { API_CALL_KINDS };

export class StepContext {
  /** Calls the directory had counted when this step began; the checkpoint's total grows by what this step adds. */
  private readonly callsAtStart: ApiCallCounts;
  private readonly callsBefore: ApiCallCounts;
  /** Identifier values the file looks up, when this step built them while validating (saves a pass over the chunks). */
  wanted: WantedKeys | undefined;
  readonly tuning: EngineTuning;
  /** status.json as of the last saved checkpoint: what the heartbeat rewrites, so a reader never runs ahead of it. */
  private savedStatus: RunStatus | undefined;
  /** Status writes in order: a heartbeat's write never lands after a later one. */
  private statusWrites: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: JobSpec,
    readonly deps: EngineDeps,
    readonly limits: StepLimits,
    readonly checkpoint: Checkpoint,
  ) {
    this.callsAtStart = deps.directory.callCounts();
    this.callsBefore = { ...checkpoint.apiCalls };
    this.tuning = resolveTuning(deps.tuning);
  }

  get store() {
    return this.deps.store;
  }

  apiCalls(): ApiCallCounts {
    const now = this.deps.directory.callCounts();
    const total = emptyApiCalls();
    for (const kind of API_CALL_KINDS)
      total[kind] = (this.callsBefore[kind] ?? 0) + Math.max(0, now[kind] - this.callsAtStart[kind]);
    return total;
  }

  /** Changes this step has sent (apply phase). */
  private changesSent = 0;

  noteChangeSent(): void {
    this.changesSent += 1;
  }

  /**
   * The apply phase must send no further change: the step was cancelled, or its deadline passed once it has changed
   * someone. A step past its deadline still sends its first changes (at most one per concurrent slot; the client never
   * waits past the deadline for one), so that a slow store cannot use up every step before a change and stall the run.
   */
  shouldStopChanging(): boolean {
    if (this.limits.signal?.aborted) return true;
    return this.changesSent > 0 && this.shouldYield();
  }

  /** The step must stop now (its deadline passed or it was cancelled) and leave the rest to the next step. */
  shouldYield(): boolean {
    if (this.limits.signal?.aborted) return true;
    return this.limits.deadline !== undefined && this.deps.clock.now() >= this.limits.deadline;
  }

  count(outcome: Outcome, by = 1): void {
    this.checkpoint.counts[outcome] += by;
  }

  async save(): Promise<void> {
    this.checkpoint.apiCalls = this.apiCalls();
    await saveCheckpoint(this.store, this.spec.statePrefix, this.checkpoint);
    this.savedStatus = this.statusDocument();
  }

  progress(): JobProgress {
    const cp = this.checkpoint;
    const calls = this.apiCalls();
    return {
      phase: cp.phase,
      rowsTotal: cp.rowsTotal,
      rowsDone: rowsDone(cp.counts),
      counts: { ...cp.counts },
      apiCalls: API_CALL_KINDS.reduce((sum, kind) => sum + calls[kind], 0),
    };
  }

  reportProgress(): void {
    this.deps.onProgress?.(this.progress());
  }

  /** status.json from the saved state; `waitSeconds` > 0 when the job now pauses for the rate-limit window. */
  async writeStatus(waitSeconds = 0): Promise<void> {
    const status = this.savedStatus ?? this.statusDocument();
    const now = this.deps.clock.now();
    const nextWait =
      waitSeconds > 0
        ? {
            seconds: waitSeconds,
            reason: 'rate-limit-window' as const,
            until: new Date(now + waitSeconds * 1000).toISOString(),
          }
        : undefined;
    await this.queueStatus({ ...status, ...(nextWait ? { nextWait } : {}), updatedAt: new Date(now).toISOString() });
  }

  /**
   * Rewrites status.json every statusIntervalMs while the step runs (a long rate-limit wait inside the client makes no
   * progress to report, and the reader should still see the run is alive). Returns the stop, which awaits the writes.
   */
  startStatusHeartbeat(): () => Promise<void> {
    const timer = setInterval(() => {
      if (this.savedStatus !== undefined) void this.writeStatus().catch(() => undefined);
    }, this.tuning.statusIntervalMs);
    timer.unref?.();
    return async () => {
      clearInterval(timer);
      await this.statusWrites.catch(() => undefined);
    };
  }

  private queueStatus(status: RunStatus): Promise<void> {
    const write = this.statusWrites.then(() => writeStatusDocument(this.store, this.spec.reportPrefix, status));
    this.statusWrites = write.catch((error: unknown) => {
      this.deps.logger.warn('status.json could not be written', { error: (error as Error).name });
    });
    return write;
  }

  private statusDocument(): RunStatus {
    const cp = this.checkpoint;
    const progress = this.progress();
    return {
      jobId: cp.jobId,
      status: cp.status,
      phase: cp.phase,
      rowsTotal: progress.rowsTotal,
      rowsDone: progress.rowsDone,
      counts: progress.counts,
      apiCalls: progress.apiCalls,
      apiCallsByKind: this.apiCalls(),
      phases: this.phaseProgress(),
      ...(cp.error ? { error: cp.error } : {}),
      updatedAt: new Date(this.deps.clock.now()).toISOString(),
    };
  }

  private phaseProgress(): PhaseProgress {
    const cp = this.checkpoint;
    const looked =
      cp.phase === 'validate'
        ? 0
        : cp.phase === 'resolve'
          ? Math.min(cp.rowsTotal, cp.resolveCursor.chunk * this.tuning.chunkRows + cp.resolveCursor.row)
          : cp.rowsTotal;
    return {
      resolve: { rowsDone: looked, rowsTotal: cp.rowsTotal },
      apply: { deleted: cp.counts.deleted, planned: cp.planned },
    };
  }
}

export function rowsDone(counts: OutcomeCounts): number {
  return OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
}
