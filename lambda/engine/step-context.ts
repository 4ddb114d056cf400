// What one step of a job carries around: the checkpoint, the API-call accounting across steps, the deadline, progress.

import type { Checkpoint } from './checkpoint.ts';
import { saveCheckpoint } from './checkpoint.ts';
import type { EngineTuning } from './engine-tuning.ts';
import { resolveTuning } from './engine-tuning.ts';
import type { EngineDeps, JobProgress, JobSpec, StepLimits } from './job.ts';
import type { Outcome, OutcomeCounts } from './outcomes.ts';
import { OUTCOMES } from './outcomes.ts';
import type { ApiCallCounts } from './ports.ts';
import { writeStatusDocument } from './status-document.ts';
import type { WantedKeys } from './user-index.ts';

export const API_CALL_KINDS = ['token', 'get', 'list', 'delete'] as const;

export class StepContext {
  /** Calls the directory had counted when this step began; the checkpoint's total grows by what this step adds. */
  private readonly callsAtStart: ApiCallCounts;
  private readonly callsBefore: ApiCallCounts;
  /** Identifier values the file looks up, when this step built them while validating (saves a pass over the chunks). */
  wanted: WantedKeys | undefined;
  readonly tuning: EngineTuning;

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
    const total = { token: 0, get: 0, list: 0, delete: 0 } as ApiCallCounts;
    for (const kind of API_CALL_KINDS)
      total[kind] = this.callsBefore[kind] + Math.max(0, now[kind] - this.callsAtStart[kind]);
    return total;
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

  async writeStatus(): Promise<void> {
    const cp = this.checkpoint;
    const progress = this.progress();
    await writeStatusDocument(this.store, this.spec.reportPrefix, {
      jobId: cp.jobId,
      status: cp.status,
      phase: cp.phase,
      rowsTotal: progress.rowsTotal,
      rowsDone: progress.rowsDone,
      counts: progress.counts,
      apiCalls: progress.apiCalls,
      ...(cp.error ? { error: cp.error } : {}),
      updatedAt: new Date(this.deps.clock.now()).toISOString(),
    });
  }
}

export function rowsDone(counts: OutcomeCounts): number {
  return OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
}
