// Runs one execution of an ASL definition (the subset in asl-types.ts) as Step Functions would: Task (a function
// call, with Retry and Catch), Choice, Wait (Seconds or SecondsPath), Pass, Succeed, Fail, and the execution timeout.
import { ruleMatches } from './asl-choice.ts';
import { placeResult, readPath } from './asl-paths.ts';
import type { AslDefinition, AslRetrier, AslState, AslTask, AslWait } from './asl-types.ts';

/** A task failure as Step Functions names it: Error (the thrown error's name) and Cause (Lambda's JSON of it). */
export interface TaskFailure {
  Error: string;
  Cause: string;
}

export interface AslHooks {
  /** Calls the function a Task state names; a throw is the task's failure. */
  invoke(resource: string, input: unknown): Promise<unknown>;
  /** Resolves after `ms`, or early once the execution is stopped. */
  sleep(ms: number): Promise<void>;
  isStopped(): boolean;
  now(): number;
  onState?(name: string, state: AslState): void;
  onWait?(seconds: number): void;
  onRetry?(name: string, failure: TaskFailure, delaySeconds: number): void;
}

export type AslOutcome =
  | { status: 'SUCCEEDED'; output: unknown }
  | { status: 'FAILED'; error: string; cause: string }
  | { status: 'ABORTED' }
  | { status: 'TIMED_OUT' };

type Transition = { next: string; data: unknown } | { outcome: AslOutcome };

export async function runAsl(definition: AslDefinition, input: unknown, hooks: AslHooks): Promise<AslOutcome> {
  const deadline =
    definition.TimeoutSeconds === undefined ? Number.POSITIVE_INFINITY : hooks.now() + definition.TimeoutSeconds * 1000;
  let name = definition.StartAt;
  let data = input;
  for (;;) {
    if (hooks.isStopped()) return { status: 'ABORTED' };
    if (hooks.now() >= deadline) return { status: 'TIMED_OUT' };
    const state = definition.States[name];
    if (state === undefined) throw new Error(`no state named ${name}`);
    let transition: Transition;
    try {
      hooks.onState?.(name, state);
      transition = await runState(name, state, data, hooks, deadline);
    } catch (error) {
      // A bad path or value in the definition's data: Step Functions fails the execution with States.Runtime.
      transition = failed('States.Runtime', error instanceof Error ? error.message : String(error));
    }
    // A stop while a task was in flight: its result is ignored, as StopExecution does.
    if (hooks.isStopped()) return { status: 'ABORTED' };
    if ('outcome' in transition) return transition.outcome;
    ({ next: name, data } = transition);
  }
}

async function runState(
  name: string,
  state: AslState,
  data: unknown,
  hooks: AslHooks,
  deadline: number,
): Promise<Transition> {
  switch (state.Type) {
    case 'Task':
      return runTask(name, state, data, hooks);
    case 'Choice': {
      const next = state.Choices.find((rule) => ruleMatches(rule, data))?.Next ?? state.Default;
      if (next === undefined) return failed('States.NoChoiceMatched', `no choice rule of ${name} matched`);
      return { next, data };
    }
    case 'Wait': {
      const seconds = waitSeconds(name, state, data);
      hooks.onWait?.(seconds);
      await hooks.sleep(Math.min(seconds * 1000, Math.max(0, deadline - hooks.now())));
      return after(state, data);
    }
    case 'Pass':
      return after(state, state.Result === undefined ? data : placeResult(data, state.Result, state.ResultPath));
    case 'Succeed':
      return { outcome: { status: 'SUCCEEDED', output: data } };
    case 'Fail':
      return failed(state.Error ?? 'States.Fail', state.Cause ?? '');
  }
}

function after(state: { Next?: string; End?: boolean }, data: unknown): Transition {
  if (state.End === true || state.Next === undefined) return { outcome: { status: 'SUCCEEDED', output: data } };
  return { next: state.Next, data };
}

function failed(error: string, cause: string): Transition {
  return { outcome: { status: 'FAILED', error, cause } };
}

function waitSeconds(name: string, state: AslWait, data: unknown): number {
  if (state.Seconds !== undefined) return state.Seconds;
  const { found, value } = readPath(data, state.SecondsPath ?? '$');
  if (!found || typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${name}: SecondsPath ${state.SecondsPath} is not a whole number of seconds ≥ 0`);
  }
  return value;
}

async function runTask(name: string, state: AslTask, data: unknown, hooks: AslHooks): Promise<Transition> {
  // Retry counts start afresh each time the state is entered.
  const retries = new Map<AslRetrier, number>();
  for (;;) {
    let failure: TaskFailure;
    try {
      return after(state, placeResult(data, await hooks.invoke(state.Resource, data), state.ResultPath));
    } catch (error) {
      failure = taskFailureOf(error);
    }
    if (hooks.isStopped()) return { outcome: { status: 'ABORTED' } };
    // Only the first retrier whose errors match is used; once its attempts are spent the error goes to Catch.
    const retrier = state.Retry?.find((candidate) => errorMatches(candidate.ErrorEquals, failure.Error));
    const done = retrier === undefined ? 0 : (retries.get(retrier) ?? 0);
    if (retrier !== undefined && done < (retrier.MaxAttempts ?? 3)) {
      retries.set(retrier, done + 1);
      const delaySeconds = retryDelaySeconds(retrier, done);
      hooks.onRetry?.(name, failure, delaySeconds);
      await hooks.sleep(delaySeconds * 1000);
      if (hooks.isStopped()) return { outcome: { status: 'ABORTED' } };
      continue;
    }
    const catcher = state.Catch?.find((candidate) => errorMatches(candidate.ErrorEquals, failure.Error));
    if (catcher === undefined) return failed(failure.Error, failure.Cause);
    return { next: catcher.Next, data: placeResult(data, { ...failure }, catcher.ResultPath) };
  }
}

/**
 * IntervalSeconds × BackoffRate^retries, capped by MaxDelaySeconds. With JitterStrategy FULL, AWS waits a random part of
 * that; locally the whole of it, so runs and tests are repeatable (never shorter than the deployed machine may wait).
 */
export function retryDelaySeconds(retrier: AslRetrier, retriesDone: number): number {
  const delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** retriesDone;
  return Math.min(delay, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
}

/** States.ALL matches any error; States.TaskFailed any but States.Timeout; otherwise the name itself. */
export function errorMatches(names: readonly string[], error: string): boolean {
  return names.some(
    (name) => name === 'States.ALL' || name === error || (name === 'States.TaskFailed' && error !== 'States.Timeout'),
  );
}

/** How Lambda reports a thrown error: its name as Error, {errorType, errorMessage} as Cause (no stack trace kept here). */
export function taskFailureOf(error: unknown): TaskFailure {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  return { Error: errorType, Cause: JSON.stringify({ errorType, errorMessage }) };
}
