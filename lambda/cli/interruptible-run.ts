// Drives the job to its end while listening for Ctrl-C / SIGTERM (run-stop.ts): the first stops it with a report, the
// second has the report written at once from the saved state (hurried-report.ts).

import type { EngineDeps, JobSpec, PlanSummary, StepResult } from '../engine/job.ts';
import { abortJob, runJobStep } from '../engine/job-runner.ts';
import { runTitle, wordsFor } from './action-words.ts';
import type { ApprovalContext } from './approve-plan.ts';
import { approvePlan } from './approve-plan.ts';
import type { CliIo } from './cli-io.ts';
import { describeStepWait } from './console-messages.ts';
import type { DriveResult } from './drive-job.ts';
import { abortableSleep, driveJob } from './drive-job.ts';
import type { HandOverStore } from './hand-over-store.ts';
import { writeHurriedReport } from './hurried-report.ts';
import type { CliOptions } from './parse-args.ts';
import type { ProgressDisplay } from './progress-display.ts';
import type { RunStop } from './run-stop.ts';

export interface InterruptibleRun {
  spec: JobSpec;
  /** deps.store is `store`. */
  deps: EngineDeps;
  store: HandOverStore;
  options: Pick<CliOptions, 'mode' | 'file' | 'yes' | 'action'>;
  host: string;
  io: CliIo;
  display: ProgressDisplay;
  stop: RunStop;
  approval: Pick<ApprovalContext, 'accountId' | 'reportDir'>;
}

/** How a run ends once a stop has been turned into an aborted report; `hurried` when a second signal cut it short. */
export type EndedRun = Exclude<DriveResult, { kind: 'interrupted' }> & { hurried?: boolean };

export async function runWithInterrupts(run: InterruptibleRun): Promise<EndedRun> {
  const { options, host, display, stop } = run;
  const stopListening = stop.listen(run.io, (stage) => display.log(stopMessage(run, stage)));
  display.log(`${runTitle(options.mode, options.action)} of ${options.file} on ${host}`);
  try {
    const hurried = aborted(stop.hurrySignal).then(async (): Promise<EndedRun> => {
      const result = await writeHurriedReport(run.spec, run.deps, run.store, stopReason(stop));
      return { kind: 'finished', result, hurried: true };
    });
    return await Promise.race([driveToEnd(run), hurried]);
  } finally {
    display.stop();
    stopListening();
  }
}

async function driveToEnd(run: InterruptibleRun): Promise<EndedRun> {
  const { spec, deps, options, host, io, display, stop } = run;
  const approval: ApprovalContext = {
    ...run.approval,
    yes: options.yes,
    action: options.action,
    host,
    io,
    display,
    signal: stop.signal,
    store: run.store,
    statePrefix: spec.statePrefix,
  };
  const outcome = await driveJob({
    runStep: runJobStep,
    spec,
    deps,
    signal: stop.signal,
    ...(options.mode === 'live' ? { beforeApply: (plan: PlanSummary) => approvePlan(plan, approval) } : {}),
    onWait: (seconds) => display.log(describeStepWait(seconds)),
    sleep: abortableSleep,
  });
  return outcome.kind === 'interrupted' ? { kind: 'finished', result: await finishAborted(run) } : outcome;
}

function stopMessage({ options, stop }: InterruptibleRun, stage: 'stopping' | 'hurrying'): string {
  if (stage === 'hurrying')
    return 'Writing the report now from what is saved; calls still on the wire are left behind.';
  const { noun } = wordsFor(options.action);
  const what =
    options.mode === 'live'
      ? `Stopping after the ${noun}s in flight: no new ${noun} is sent; the report will say how far the run got.`
      : 'Stopping; the report will say how far the run got.';
  return `${stop.label()} received. ${what} (Ctrl-C again: write the report at once.)`;
}

function stopReason(stop: RunStop): { code: string; message: string } {
  return { code: stop.received === 'SIGTERM' ? 'terminated' : 'interrupted', message: stop.describe() };
}

/** The engine stopped on the signal before writing its report: have it write the aborted report. */
function finishAborted(run: InterruptibleRun): Promise<StepResult> {
  return abortJob(run.spec, run.deps, stopReason(run.stop));
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
