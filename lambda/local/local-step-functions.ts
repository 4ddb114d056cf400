// Step Functions in-process: named executions (a name is used once, like ExecutionAlreadyExists), the step loop with
// real (optionally scaled) waits between steps, a fake Lambda context per step, and stop → finalize.
import type { JobInput, StepOutput } from '../handlers/handler-contract.ts';

export interface LambdaContextLike {
  getRemainingTimeInMillis(): number;
}

export type StepFunction = (input: JobInput | StepOutput, context: LambdaContextLike) => Promise<StepOutput>;
/** How an execution ended without its step reporting done: stopped by an operator, or a step failing after its retries. */
export interface ExecutionEnding {
  status: 'ABORTED' | 'FAILED';
  error?: string;
}
export type FinalizeFunction = (
  input: JobInput,
  ending: ExecutionEnding,
  context: LambdaContextLike,
) => Promise<unknown>;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface ExecutionRecord {
  name: string;
  input: JobInput;
  status: ExecutionStatus;
  steps: number;
  /** Seconds the handler asked to wait, in order (before scaling). */
  waits: number[];
  output?: StepOutput;
  error?: string;
}

export interface LocalStepFunctionsOptions {
  step: StepFunction;
  finalize: FinalizeFunction;
  /** Lambda timeout each step believes it has (default 60 s), measured on `now`. */
  stepTimeMs?: number;
  /** Multiplies every Wait state (1 = real time; tests use a small factor together with a matching `now`). */
  waitScale?: number;
  /** The clock the steps' remaining time is measured on (default Date.now). */
  now?: () => number;
  /** Stops a runaway loop (default 10,000 steps). */
  maxSteps?: number;
  /** Attempts per step, first included, as the task's Retry would allow (default 3); 2 s, 4 s, … between them (scaled like waits). */
  stepAttempts?: number;
  onEvent?: (message: string, execution: ExecutionRecord) => void;
}

export interface LocalStepFunctions {
  startExecution(input: JobInput): Promise<'started' | 'duplicate'>;
  /** Like StopExecution: no further step starts; the step in flight finishes and is ignored; then finalize runs (ABORTED). */
  stop(name: string): Promise<boolean>;
  get(name: string): ExecutionRecord | undefined;
  list(): ExecutionRecord[];
  /** Resolves when the named execution has ended (after finalize for a stopped one). */
  waitFor(name: string): Promise<ExecutionRecord>;
  running(): number;
  /** Resolves when no execution is running. */
  idle(): Promise<void>;
}

interface Run {
  record: ExecutionRecord;
  done: Promise<void>;
  stopRequested: boolean;
  /** True once the loop and any finalize have returned. */
  settled: boolean;
  wakeUp?: () => void;
}

export function createLocalStepFunctions(options: LocalStepFunctionsOptions): LocalStepFunctions {
  const stepTimeMs = options.stepTimeMs ?? 60_000;
  const waitScale = options.waitScale ?? 1;
  const maxSteps = options.maxSteps ?? 10_000;
  const now = options.now ?? Date.now;
  const stepAttempts = options.stepAttempts ?? 3;
  const runs = new Map<string, Run>();

  const contextForStep = (): LambdaContextLike => {
    const startedAt = now();
    return { getRemainingTimeInMillis: () => Math.max(0, stepTimeMs - (now() - startedAt)) };
  };

  const sleep = (run: Run, ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish(): void {
        clearTimeout(timer);
        run.wakeUp = undefined;
        resolve();
      }
      run.wakeUp = finish;
    });

  const attemptStep = async (run: Run, state: JobInput | StepOutput): Promise<StepOutput> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await options.step(state, contextForStep());
      } catch (error) {
        if (attempt >= stepAttempts || run.stopRequested) throw error;
        options.onEvent?.(`retrying a failed step (${messageOf(error)})`, run.record);
        await sleep(run, 2_000 * 2 ** (attempt - 1) * waitScale);
        if (run.stopRequested) throw error;
      }
    }
  };

  const finalize = async (run: Run, ending: ExecutionEnding): Promise<void> => {
    try {
      await options.finalize(run.record.input, ending, contextForStep());
    } catch (error) {
      run.record.error = `${run.record.error ?? ''}${run.record.error ? '; ' : ''}finalize failed: ${messageOf(error)}`;
    }
  };

  const execute = async (run: Run): Promise<void> => {
    const { record } = run;
    let state: JobInput | StepOutput = record.input;
    try {
      while (!run.stopRequested) {
        if (record.steps >= maxSteps) throw new Error(`gave up after ${maxSteps} steps`);
        record.steps += 1;
        const output = await attemptStep(run, state);
        if (run.stopRequested) break;
        record.output = output;
        state = output;
        if (output.done) {
          record.status = 'SUCCEEDED';
          options.onEvent?.('succeeded', record);
          return;
        }
        record.waits.push(output.waitSeconds);
        if (output.waitSeconds > 0) {
          options.onEvent?.(`waiting ${output.waitSeconds} s`, record);
          await sleep(run, output.waitSeconds * 1000 * waitScale);
        }
      }
    } catch (error) {
      if (!run.stopRequested) {
        record.status = 'FAILED';
        record.error = messageOf(error);
        options.onEvent?.('failed', record);
        await finalize(run, { status: 'FAILED', error: record.error });
        return;
      }
    }
    record.status = 'ABORTED';
    options.onEvent?.('aborted', record);
    await finalize(run, { status: 'ABORTED' });
  };

  return {
    async startExecution(input) {
      if (runs.has(input.jobId)) return 'duplicate';
      const record: ExecutionRecord = { name: input.jobId, input, status: 'RUNNING', steps: 0, waits: [] };
      const run: Run = { record, stopRequested: false, settled: false, done: Promise.resolve() };
      runs.set(input.jobId, run);
      options.onEvent?.('started', record);
      // Let the caller (the on-upload handler) return before the first step, as StartExecution does.
      run.done = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => execute(run))
        .finally(() => {
          run.settled = true;
        });
      return 'started';
    },
    async stop(name) {
      const run = runs.get(name);
      if (run?.record.status !== 'RUNNING' || run.stopRequested) return false;
      run.stopRequested = true;
      run.wakeUp?.();
      await run.done;
      return true;
    },
    get: (name) => runs.get(name)?.record,
    list: () => [...runs.values()].map((run) => run.record),
    async waitFor(name) {
      const run = runs.get(name);
      if (!run) throw new Error(`no execution named ${name}`);
      await run.done;
      return run.record;
    },
    running: () => [...runs.values()].filter((run) => !run.settled).length,
    async idle() {
      for (;;) {
        const pending = [...runs.values()].filter((run) => !run.settled);
        if (pending.length === 0) return;
        await Promise.all(pending.map((run) => run.done));
      }
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
