// What a phase tells the runner (job-runner.ts owns what follows): go on, stop this step here, or end the job early.
import type { Unfinished } from './checkpoint.ts';
import type { JobError } from './job.ts';

/** The job stops before its end: refused as a whole (`rejected`, nothing changed) or stopped part-way (`aborted`). */
export interface JobEnd {
  kind: 'end';
  status: 'rejected' | 'aborted';
  error: JobError;
  /** How rows without an outcome end; without it they end as the plan left them (e.g. over-budget). */
  unfinished?: Unfinished;
}

export type PhaseResult = { kind: 'next' } | { kind: 'yield'; waitSeconds: number } | JobEnd;

export const NEXT: PhaseResult = { kind: 'next' };
export const YIELD_NOW: PhaseResult = { kind: 'yield', waitSeconds: 0 };
