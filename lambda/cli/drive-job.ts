// Runs the engine's steps back to back until the job is done: the CLI is one long process, so no checkpoint round-trips
// through a scheduler are needed, but the engine's step contract (waitSeconds, stopAfterPlan, signal) is honoured.
import type { EngineDeps, JobSpec, PlanSummary, StepLimits, StepResult } from '../engine/job.ts';

export type RunStep = (spec: JobSpec, deps: EngineDeps, limits?: StepLimits) => Promise<StepResult>;

export interface DriveOptions {
  runStep: RunStep;
  spec: JobSpec;
  deps: EngineDeps;
  signal: AbortSignal;
  /** Called once the plan is made and before any deletion; false stops the run before it changes anything. */
  beforeApply?: (plan: PlanSummary) => Promise<boolean>;
  /** Told before the driver waits for the rate-limit window. */
  onWait?: (seconds: number) => void;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export type DriveResult =
  | { kind: 'finished'; result: StepResult }
  | { kind: 'declined'; plan: PlanSummary; result: StepResult }
  /** The signal fired and the engine returned without finishing the job (no report written yet). */
  | { kind: 'interrupted'; result: StepResult };

export async function driveJob(options: DriveOptions): Promise<DriveResult> {
  const { runStep, spec, deps, signal, beforeApply } = options;
  let planApproved = beforeApply === undefined;
  for (;;) {
    const limits: StepLimits = { signal, ...(planApproved ? {} : { stopAfterPlan: true }) };
    const result = await runStep(spec, deps, limits);
    if (result.done) return { kind: 'finished', result };
    if (signal.aborted) return { kind: 'interrupted', result };
    if (!planApproved && result.plan && beforeApply) {
      if (!(await beforeApply(result.plan))) return { kind: 'declined', plan: result.plan, result };
      planApproved = true;
      continue;
    }
    if (result.waitSeconds > 0) {
      options.onWait?.(result.waitSeconds);
      await options.sleep(result.waitSeconds * 1000, signal);
      if (signal.aborted) return { kind: 'interrupted', result };
    }
  }
}

/** A sleep that ends early when the signal fires. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
