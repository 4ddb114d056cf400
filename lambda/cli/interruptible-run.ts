// Drives the job to its end while listening for Ctrl-C / SIGTERM: the first stops it with a report, the second quits.
import type { EngineDeps, JobSpec, PlanSummary, StepResult } from '../engine/job.ts';
import { abortJob, runJobStep } from '../engine/job-runner.ts';
import { approvePlan } from './approve-plan.ts';
import type { CliIo } from './cli-io.ts';
import { describeStepWait } from './console-messages.ts';
import type { DriveResult } from './drive-job.ts';
import { abortableSleep, driveJob } from './drive-job.ts';
import { EXIT } from './exit-status.ts';
import type { CliOptions } from './parse-args.ts';
import type { ProgressDisplay } from './progress-display.ts';

export interface InterruptibleRun {
  spec: JobSpec;
  deps: EngineDeps;
  options: Pick<CliOptions, 'mode' | 'file' | 'yes'>;
  host: string;
  io: CliIo;
  display: ProgressDisplay;
}

/** How a run ends once Ctrl-C has been turned into an aborted report. */
export type EndedRun = Exclude<DriveResult, { kind: 'interrupted' }>;

export async function runWithInterrupts(run: InterruptibleRun): Promise<EndedRun> {
  const { spec, deps, options, host, io, display } = run;
  const controller = new AbortController();
  const stopListening = io.onInterrupt(interruptHandler(run, controller));
  display.log(`${options.mode === 'live' ? 'Live run' : 'Dry run'} of ${options.file} on ${host}`);
  try {
    const outcome = await driveJob({
      runStep: runJobStep,
      spec,
      deps,
      signal: controller.signal,
      ...(options.mode === 'live'
        ? {
            beforeApply: (plan: PlanSummary) => approvePlan(plan, options.yes, host, io, display, controller.signal),
          }
        : {}),
      onWait: (seconds) => display.log(describeStepWait(seconds)),
      sleep: abortableSleep,
    });
    return outcome.kind === 'interrupted' ? { kind: 'finished', result: await finishAborted(spec, deps) } : outcome;
  } finally {
    display.stop();
    stopListening();
  }
}

function interruptHandler({ options, io, display }: InterruptibleRun, controller: AbortController): () => void {
  let interrupts = 0;
  return () => {
    interrupts += 1;
    if (interrupts === 1) {
      display.log(
        options.mode === 'live'
          ? 'Stopping after the deletions in flight; the report will say how far the run got. (Ctrl-C again quits at once.)'
          : 'Stopping; the report will say how far the run got. (Ctrl-C again quits at once.)',
      );
      controller.abort();
    } else {
      display.stop();
      io.forceExit(EXIT.aborted);
    }
  };
}

/** The engine stopped on the signal before writing its report: have it write the aborted report. */
function finishAborted(spec: JobSpec, deps: EngineDeps): Promise<StepResult> {
  return abortJob(spec, deps, { code: 'interrupted', message: 'interrupted from the command line (Ctrl-C)' });
}
