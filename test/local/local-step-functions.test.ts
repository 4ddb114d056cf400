// The local Step Functions runs the deployed job definition: the step loop, Wait (asked or default), the Retry and
// Catch of the step task, Fail, the execution timeout, StopExecution, and the ended rule (finalize).
import { describe, expect, it } from 'vitest';
import type { ExecutionStatusChangeEvent } from '../../lambda/handlers/finalize-handler.ts';
import type { JobInput, StepOutput } from '../../lambda/handlers/handler-contract.ts';
import type { AslDefinition } from '../../lambda/local/asl-types.ts';
import { JOB_FUNCTION_ARNS, jobDefinition } from '../../lambda/local/job-definition.ts';
import type {
  LambdaContextLike,
  LocalLambda,
  LocalStepFunctionsOptions,
} from '../../lambda/local/local-step-functions.ts';
import { createLocalStepFunctions } from '../../lambda/local/local-step-functions.ts';

const job = (jobId: string): JobInput => ({
  jobId,
  bucket: 'b',
  key: 'dry-run/a.csv',
  mode: 'dry-run',
  reportPrefix: `reports/dry-run/a/${jobId}/`,
  statePrefix: `state/${jobId}/`,
});

/** A step handler that needs `steps` calls, asking for `waitSeconds` between them. */
function scriptedStep(steps: number, waitSeconds: number) {
  const seen: Array<{ input: JobInput | StepOutput; remaining: number }> = [];
  const step = async (input: JobInput | StepOutput, context: LambdaContextLike): Promise<StepOutput> => {
    seen.push({ input, remaining: context.getRemainingTimeInMillis() });
    const done = seen.length >= steps;
    return { ...job(input.jobId), done, waitSeconds: done ? 0 : waitSeconds, status: done ? 'completed' : 'running' };
  };
  return { step, seen };
}

/** The stand-in over the job definition, with the finalize task's and the ended rule's calls recorded. */
function localSfn(step: LocalLambda, options: Partial<LocalStepFunctionsOptions> = {}) {
  const finalized: unknown[] = [];
  const ended: ExecutionStatusChangeEvent[] = [];
  const sfn = createLocalStepFunctions({
    functions: {
      [JOB_FUNCTION_ARNS.step]: step,
      [JOB_FUNCTION_ARNS.finalize]: async (payload: unknown) => {
        finalized.push(payload);
        return 'aborted';
      },
    },
    onExecutionEnded: async (event) => void ended.push(event),
    ...options,
  });
  return { sfn, finalized, ended };
}

const failing = (error: Error, failures = Number.POSITIVE_INFINITY) => {
  let calls = 0;
  const step = async (input: JobInput): Promise<StepOutput> => {
    calls += 1;
    if (calls <= failures) throw error;
    return { ...job(input.jobId), done: true, waitSeconds: 0, status: 'completed' };
  };
  return { step, calls: () => calls };
};

const named = (name: string, message: string): Error => Object.assign(new Error(message), { name });

describe('local Step Functions', () => {
  it('loops the step handler until done, feeding each output back, with the configured step time', async () => {
    const { step, seen } = scriptedStep(3, 0);
    const { sfn, finalized, ended } = localSfn(step, { stepTimeMs: 30_000 });

    expect(await sfn.startExecution(job('j1'))).toBe('started');
    const record = await sfn.waitFor('j1');

    expect(record.status).toBe('SUCCEEDED');
    expect(record.steps).toBe(3);
    expect(record.output).toMatchObject({ done: true, status: 'completed' });
    expect(seen[0]?.input).toEqual(job('j1'));
    expect(seen[1]?.input).toMatchObject({ done: false, status: 'running' });
    expect(seen.every(({ remaining }) => remaining > 0 && remaining <= 30_000)).toBe(true);
    expect(finalized).toEqual([]);
    expect(ended).toEqual([]);
  });

  it('refuses a second execution with the same name, even after the first has ended', async () => {
    const { step, seen } = scriptedStep(1, 0);
    const { sfn } = localSfn(step);
    expect(await sfn.startExecution(job('same'))).toBe('started');
    expect(await sfn.startExecution(job('same'))).toBe('duplicate');
    await sfn.idle();
    expect(await sfn.startExecution(job('same'))).toBe('duplicate');
    await sfn.idle();
    expect(seen).toHaveLength(1);
  });

  it('waits the seconds a step asks for, scaled, and records them', async () => {
    const { step } = scriptedStep(3, 50);
    const { sfn } = localSfn(step, { waitScale: 0.001 });
    const startedAt = Date.now();
    await sfn.startExecution(job('w'));
    const record = await sfn.waitFor('w');
    expect(record.waits).toEqual([50, 50]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(95);
    expect(record.status).toBe('SUCCEEDED');
  });

  it('waits the default 60 s when a step says nothing about waiting', async () => {
    let calls = 0;
    const { sfn } = localSfn(
      async (input: JobInput) => {
        calls += 1;
        return { ...job(input.jobId), done: calls >= 2, status: 'running' };
      },
      { waitScale: 0.0001 },
    );
    await sfn.startExecution(job('d'));
    expect(await sfn.waitFor('d')).toMatchObject({ status: 'SUCCEEDED', steps: 2, waits: [60] });
  });

  it('stop ends a waiting execution: no further step, then the ended rule with the job input', async () => {
    const { step, seen } = scriptedStep(100, 3600);
    const { sfn, finalized, ended } = localSfn(step);
    await sfn.startExecution(job('s'));
    while (sfn.get('s')?.waits.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    expect(await sfn.stop('s')).toBe(true);

    expect(sfn.get('s')?.status).toBe('ABORTED');
    expect(seen).toHaveLength(1);
    expect(finalized).toEqual([]);
    expect(ended).toHaveLength(1);
    expect(ended[0]?.detail).toMatchObject({ status: 'ABORTED', name: 's', error: null });
    expect(JSON.parse(ended[0]?.detail.input ?? '')).toEqual(job('s'));
    expect(await sfn.stop('s')).toBe(false);
    expect(sfn.running()).toBe(0);
  });

  it('a failing step is retried 3 times after 30, 60 and 120 s (scaled), then caught: finalize, Fail, the ended rule', async () => {
    const { step, calls } = failing(new Error('boom'));
    const { sfn, finalized, ended } = localSfn(step, { waitScale: 0.001 });
    const startedAt = Date.now();
    await sfn.startExecution(job('f'));
    const record = await sfn.waitFor('f');

    expect(calls()).toBe(4);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(205);
    expect(record).toMatchObject({ status: 'FAILED', steps: 1 });
    expect(record.error).toContain('JobFailed');
    expect(finalized).toEqual([
      { ...job('f'), error: { Error: 'Error', Cause: JSON.stringify({ errorType: 'Error', errorMessage: 'boom' }) } },
    ]);
    expect(ended.map((event) => event.detail)).toMatchObject([{ status: 'FAILED', name: 'f', error: 'JobFailed' }]);
  });

  it('Lambda service errors have their own retrier (6 retries from 2 s) before the catch', async () => {
    const { step, calls } = failing(named('Lambda.TooManyRequestsException', 'slow down'));
    const { sfn, finalized } = localSfn(step, { waitScale: 0.0001 });
    await sfn.startExecution(job('l'));
    expect(await sfn.waitFor('l')).toMatchObject({ status: 'FAILED' });
    expect(calls()).toBe(7);
    expect(finalized).toMatchObject([{ error: { Error: 'Lambda.TooManyRequestsException' } }]);
  });

  it('a step that fails and then succeeds does not fail the execution', async () => {
    const { step, calls } = failing(new Error('transient'), 2);
    const { sfn, finalized, ended } = localSfn(step, { waitScale: 0.0001 });
    await sfn.startExecution(job('t'));
    expect(await sfn.waitFor('t')).toMatchObject({ status: 'SUCCEEDED', steps: 1 });
    expect(calls()).toBe(3);
    expect(finalized).toEqual([]);
    expect(ended).toEqual([]);
  });

  it('an execution past the definition timeout ends TIMED_OUT, and the ended rule runs', async () => {
    let clock = 0;
    const { step } = scriptedStep(100, 3600);
    const shortTimeout: AslDefinition = { ...jobDefinition(), TimeoutSeconds: 1 };
    const { sfn, ended } = localSfn(
      async (input: JobInput, context: LambdaContextLike) => {
        clock += 2_000;
        return step(input, context);
      },
      { definition: shortTimeout, now: () => clock },
    );
    await sfn.startExecution(job('o'));
    expect(await sfn.waitFor('o')).toMatchObject({ status: 'TIMED_OUT', steps: 1 });
    expect(ended.map((event) => event.detail.status)).toEqual(['TIMED_OUT']);
  });

  it('refuses a definition it cannot run, or one that names a function it was not given', () => {
    const { step } = scriptedStep(1, 0);
    const definition = jobDefinition();
    const withMap = { ...definition, States: { ...definition.States, Extra: { Type: 'Map', End: true } as never } };
    expect(() => localSfn(step, { definition: withMap })).toThrow('state type Map is not supported');
    expect(() => createLocalStepFunctions({ functions: { [JOB_FUNCTION_ARNS.step]: step } })).toThrow(
      JOB_FUNCTION_ARNS.finalize,
    );
  });
});
