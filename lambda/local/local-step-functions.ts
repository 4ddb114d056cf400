// Step Functions in-process: runs the deployed job definition (job-definition.ts) with asl-interpreter.ts. Named
// executions (a name is used once, like ExecutionAlreadyExists), real (optionally scaled) waits, a fake Lambda context
// per task, StopExecution, and the stack's EventBridge rule: an execution that ends ABORTED, FAILED or TIMED_OUT is
// handed to `onExecutionEnded` (finalize).
import type { ExecutionStatusChangeEvent } from '../handlers/finalize-handler.ts';
import type { JobInput } from '../handlers/handler-contract.ts';
import type { LambdaContextLike } from '../handlers/handler-types.ts';
import type { AslOutcome } from './asl-interpreter.ts';
import { runAsl } from './asl-interpreter.ts';
import { assertSupported, taskResources } from './asl-support.ts';
import type { AslDefinition } from './asl-types.ts';
import { jobDefinition } from './job-definition.ts';

export type { LambdaContextLike } from '../handlers/handler-types.ts';

/** A Lambda handler as a Task state calls it; the payload is whatever the state's input is. */
export type LocalLambda = (payload: never, context: LambdaContextLike) => Promise<unknown>;

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED' | 'TIMED_OUT';

export interface ExecutionRecord {
  name: string;
  input: JobInput;
  status: ExecutionStatus;
  /** Times the workflow entered its first state (the step). */
  steps: number;
  /** Seconds of every Wait state entered, in order (before scaling). */
  waits: number[];
  /** The execution's output, once it succeeded. */
  output?: unknown;
  error?: string;
}

export interface LocalStepFunctionsOptions {
  /** The handler for each function ARN the definition's Task states name. */
  functions: Readonly<Record<string, LocalLambda>>;
  /** The EventBridge rule on executions that ended ABORTED, FAILED or TIMED_OUT (the stack sends these to finalize). */
  onExecutionEnded?: (event: ExecutionStatusChangeEvent) => Promise<unknown>;
  /** Default: the job workflow the stack deploys. */
  definition?: AslDefinition;
  /** Lambda timeout each task believes it has (default 60 s), measured on `now`. */
  stepTimeMs?: number;
  /** Multiplies every Wait and retry delay (1 = real time; tests use a small factor together with a matching `now`). */
  waitScale?: number;
  /** The clock task contexts and the execution timeout are measured on (default Date.now). */
  now?: () => number;
  /** Stops a runaway loop (default 10,000 steps): the execution fails. */
  maxSteps?: number;
  onEvent?: (message: string, execution: ExecutionRecord) => void;
}

export interface LocalStepFunctions {
  startExecution(input: JobInput): Promise<'started' | 'duplicate'>;
  /** Like StopExecution: no further state starts; a task in flight finishes and is ignored; then the ended rule runs. */
  stop(name: string): Promise<boolean>;
  get(name: string): ExecutionRecord | undefined;
  list(): ExecutionRecord[];
  /** Resolves when the named execution has ended (after the ended rule for one that did not succeed). */
  waitFor(name: string): Promise<ExecutionRecord>;
  running(): number;
  /** Resolves when no execution is running. */
  idle(): Promise<void>;
}

interface Run {
  record: ExecutionRecord;
  done: Promise<void>;
  stopRequested: boolean;
  /** True once the workflow and any ended rule have returned. */
  settled: boolean;
  wakeUp?: () => void;
}

export function createLocalStepFunctions(options: LocalStepFunctionsOptions): LocalStepFunctions {
  const definition = options.definition ?? jobDefinition();
  assertSupported(definition);
  const unknown = taskResources(definition).filter((resource) => options.functions[resource] === undefined);
  if (unknown.length > 0) throw new Error(`no local function for ${unknown.join(', ')}`);
  const runs = new Map<string, Run>();
  const execute = executor(definition, options);

  return {
    async startExecution(input) {
      if (runs.has(input.jobId)) return 'duplicate';
      const record: ExecutionRecord = { name: input.jobId, input, status: 'RUNNING', steps: 0, waits: [] };
      const run: Run = { record, stopRequested: false, settled: false, done: Promise.resolve() };
      runs.set(input.jobId, run);
      options.onEvent?.('started', record);
      // Let the caller (the on-upload handler) return before the first state, as StartExecution does.
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

/** Runs one execution to its end and records how it ended. */
function executor(definition: AslDefinition, options: LocalStepFunctionsOptions): (run: Run) => Promise<void> {
  const stepTimeMs = options.stepTimeMs ?? 60_000;
  const waitScale = options.waitScale ?? 1;
  const maxSteps = options.maxSteps ?? 10_000;
  const now = options.now ?? Date.now;

  const contextForTask = (): LambdaContextLike => {
    const startedAt = now();
    return { getRemainingTimeInMillis: () => Math.max(0, stepTimeMs - (now() - startedAt)) };
  };

  return async (run) => {
    const { record } = run;
    const outcome = await runAsl(definition, record.input, {
      invoke: (resource, payload) => {
        const handler = options.functions[resource];
        if (handler === undefined) throw new Error(`no local function for ${resource}`);
        return handler(payload as never, contextForTask());
      },
      sleep: (ms) => sleep(run, ms * waitScale),
      isStopped: () => run.stopRequested,
      now,
      onState: (name) => {
        if (name !== definition.StartAt) return;
        if (record.steps >= maxSteps) throw new Error(`gave up after ${maxSteps} steps`);
        record.steps += 1;
      },
      onWait: (seconds) => {
        record.waits.push(seconds);
        if (seconds > 0) options.onEvent?.(`waiting ${seconds} s`, record);
      },
      onRetry: (_name, failure) => options.onEvent?.(`retrying a failed step (${causeMessage(failure.Cause)})`, record),
    });
    await settle(run, outcome, options);
  };
}

async function settle(run: Run, outcome: AslOutcome, options: LocalStepFunctionsOptions): Promise<void> {
  const { record } = run;
  record.status = outcome.status;
  if (outcome.status === 'SUCCEEDED') record.output = outcome.output;
  if (outcome.status === 'FAILED') record.error = `${outcome.error}: ${causeMessage(outcome.cause)}`;
  options.onEvent?.(outcome.status === 'TIMED_OUT' ? 'timed out' : outcome.status.toLowerCase(), record);
  if (outcome.status === 'SUCCEEDED' || options.onExecutionEnded === undefined) return;
  try {
    await options.onExecutionEnded(statusChangeEvent(record, outcome));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    record.error = `${record.error ?? ''}${record.error ? '; ' : ''}finalize failed: ${message}`;
  }
}

/** What EventBridge delivers for a Step Functions execution that ended without succeeding. */
function statusChangeEvent(record: ExecutionRecord, outcome: AslOutcome): ExecutionStatusChangeEvent {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      status: record.status,
      name: record.name,
      input: JSON.stringify(record.input),
      error: outcome.status === 'FAILED' ? outcome.error : null,
      cause: outcome.status === 'FAILED' ? outcome.cause : null,
    },
  };
}

function sleep(run: Run, ms: number): Promise<void> {
  // A 0-second Wait passes at once. Yielding a timer tick there lets the steps of concurrent local jobs overlap, and
  // jobs sharing one client bound each other's waits by the earliest deadline (directory-provider.ts): two throttled
  // jobs then cut each other's steps short and hardly progress (fault-matrix-pipeline's duplicate-upload case).
  if (run.stopRequested || ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    function finish(): void {
      clearTimeout(timer);
      run.wakeUp = undefined;
      resolve();
    }
    run.wakeUp = finish;
  });
}

/** A Lambda Cause is JSON {errorType, errorMessage}: its message; any other text as it is. */
function causeMessage(cause: string): string {
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // plain text
  }
  return cause;
}
