import { describe, expect, it } from 'vitest';
import type { JobInput, StepOutput } from '../../lambda/handlers/handler-contract.ts';
import type { ExecutionEnding, LambdaContextLike } from '../../lambda/local/local-step-functions.ts';
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

describe('local Step Functions', () => {
  it('loops the step handler until done, feeding each output back, with the configured step time', async () => {
    const { step, seen } = scriptedStep(3, 0);
    const finalized: JobInput[] = [];
    const sfn = createLocalStepFunctions({
      step,
      finalize: async (input) => void finalized.push(input),
      stepTimeMs: 30_000,
    });

    expect(await sfn.startExecution(job('j1'))).toBe('started');
    const record = await sfn.waitFor('j1');

    expect(record.status).toBe('SUCCEEDED');
    expect(record.steps).toBe(3);
    expect(seen[0]?.input).toEqual(job('j1'));
    expect(seen[1]?.input).toMatchObject({ done: false, status: 'running' });
    expect(seen.every(({ remaining }) => remaining > 0 && remaining <= 30_000)).toBe(true);
    expect(finalized).toEqual([]);
  });

  it('refuses a second execution with the same name, even after the first has ended', async () => {
    const { step, seen } = scriptedStep(1, 0);
    const sfn = createLocalStepFunctions({ step, finalize: async () => undefined });
    expect(await sfn.startExecution(job('same'))).toBe('started');
    expect(await sfn.startExecution(job('same'))).toBe('duplicate');
    await sfn.idle();
    expect(await sfn.startExecution(job('same'))).toBe('duplicate');
    await sfn.idle();
    expect(seen).toHaveLength(1);
  });

  it('records every requested wait and sleeps the scaled time between steps', async () => {
    const { step } = scriptedStep(3, 5);
    const sfn = createLocalStepFunctions({ step, finalize: async () => undefined, waitScale: 0.001 });
    await sfn.startExecution(job('w'));
    const record = await sfn.waitFor('w');
    expect(record.waits).toEqual([5, 5]);
    expect(record.status).toBe('SUCCEEDED');
  });

  it('stop ends a waiting execution: no further step, then finalize with the job input', async () => {
    const { step, seen } = scriptedStep(100, 3600);
    const finalized: Array<{ input: JobInput; ending: ExecutionEnding }> = [];
    const sfn = createLocalStepFunctions({
      step,
      finalize: async (input, ending) => void finalized.push({ input, ending }),
    });
    await sfn.startExecution(job('s'));
    while (sfn.get('s')?.waits.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));

    expect(await sfn.stop('s')).toBe(true);

    expect(sfn.get('s')?.status).toBe('ABORTED');
    expect(seen).toHaveLength(1);
    expect(finalized).toEqual([{ input: job('s'), ending: { status: 'ABORTED' } }]);
    expect(await sfn.stop('s')).toBe(false);
    expect(sfn.running()).toBe(0);
  });

  it('retries a throwing step, then fails the execution and finalizes it as FAILED', async () => {
    let attempts = 0;
    const finalized: Array<{ input: JobInput; ending: ExecutionEnding }> = [];
    const sfn = createLocalStepFunctions({
      step: async () => {
        attempts += 1;
        throw new Error('boom');
      },
      finalize: async (input, ending) => void finalized.push({ input, ending }),
      stepAttempts: 3,
      waitScale: 0.001,
    });
    await sfn.startExecution(job('f'));
    const record = await sfn.waitFor('f');
    expect(attempts).toBe(3);
    expect(record).toMatchObject({ status: 'FAILED', error: 'boom' });
    expect(finalized).toEqual([{ input: job('f'), ending: { status: 'FAILED', error: 'boom' } }]);
  });

  it('a step that fails once and then succeeds does not fail the execution', async () => {
    let attempts = 0;
    const sfn = createLocalStepFunctions({
      step: async (input) => {
        attempts += 1;
        if (attempts === 1) throw new Error('transient');
        return { ...job(input.jobId), done: true, waitSeconds: 0, status: 'completed' };
      },
      finalize: async () => undefined,
      waitScale: 0.001,
    });
    await sfn.startExecution(job('t'));
    expect(await sfn.waitFor('t')).toMatchObject({ status: 'SUCCEEDED', steps: 1 });
  });
});
