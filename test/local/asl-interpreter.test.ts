// The interpreter's states beyond the job loop's (Pass, the other choice operators), its paths and its error matching.
import { describe, expect, it } from 'vitest';
import type { AslHooks } from '../../lambda/local/asl-interpreter.ts';
import { errorMatches, retryDelaySeconds, runAsl, taskFailureOf } from '../../lambda/local/asl-interpreter.ts';
import { placeResult, readPath } from '../../lambda/local/asl-paths.ts';
import type { AslDefinition } from '../../lambda/local/asl-types.ts';

const hooks = (invoke: AslHooks['invoke'] = async (_resource, input) => input): AslHooks => ({
  invoke,
  sleep: async () => undefined,
  isStopped: () => false,
  now: () => 0,
});

const classify: AslDefinition = {
  StartAt: 'Mark',
  States: {
    Mark: { Type: 'Pass', Result: { seen: true }, ResultPath: '$.marks', Next: 'Which?' },
    'Which?': {
      Type: 'Choice',
      Choices: [
        {
          And: [{ Variable: '$.n', NumericGreaterThan: 10 }, { Not: { Variable: '$.kind', StringEquals: 'x' } }],
          Next: 'Big',
        },
        {
          Or: [
            { Variable: '$.n', NumericLessThan: 0 },
            { Variable: '$.n', NumericEquals: 0 },
          ],
          Next: 'Small',
        },
      ],
      Default: 'Other',
    },
    Big: { Type: 'Pass', Result: 'big', End: true },
    Small: { Type: 'Succeed' },
    Other: { Type: 'Fail', Error: 'Unclassified', Cause: 'neither big nor small' },
  },
};

describe('ASL interpreter', () => {
  it('Pass places its Result; Choice combines And, Or, Not and the numeric and string operators', async () => {
    expect(await runAsl(classify, { n: 11, kind: 'y' }, hooks())).toEqual({ status: 'SUCCEEDED', output: 'big' });
    expect(await runAsl(classify, { n: 0 }, hooks())).toEqual({
      status: 'SUCCEEDED',
      output: { n: 0, marks: { seen: true } },
    });
    expect(await runAsl(classify, { n: 11, kind: 'x' }, hooks())).toEqual({
      status: 'FAILED',
      error: 'Unclassified',
      cause: 'neither big nor small',
    });
  });

  it('a comparison on a missing field fails the execution with States.Runtime', async () => {
    const outcome = await runAsl(classify, { kind: 'y' }, hooks());
    expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('an uncaught task failure fails the execution with the error and Lambda-style cause', async () => {
    const definition: AslDefinition = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'r', End: true } } };
    const outcome = await runAsl(
      definition,
      {},
      hooks(async () => {
        throw new TypeError('bad');
      }),
    );
    expect(outcome).toEqual({
      status: 'FAILED',
      error: 'TypeError',
      cause: JSON.stringify({ errorType: 'TypeError', errorMessage: 'bad' }),
    });
  });

  it('reads and places simple paths only', () => {
    expect(readPath({ a: { b: 1 } }, '$.a.b')).toEqual({ found: true, value: 1 });
    expect(readPath({ a: {} }, '$.a.b')).toEqual({ found: false });
    expect(placeResult({ a: 1 }, 2, '$.b.c')).toEqual({ a: 1, b: { c: 2 } });
    expect(placeResult({ a: 1 }, 2, null)).toEqual({ a: 1 });
    expect(placeResult({ a: 1 }, 2, '$')).toBe(2);
    expect(() => readPath({}, '$.a[0]')).toThrow('unsupported path');
  });

  it('matches errors as Step Functions does and grows retry delays by the backoff rate', () => {
    expect(errorMatches(['States.ALL'], 'States.Timeout')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'Error')).toBe(true);
    expect(errorMatches(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(errorMatches(['Lambda.ServiceException'], 'Error')).toBe(false);
    expect(
      [0, 1, 2].map((done) => retryDelaySeconds({ ErrorEquals: [], IntervalSeconds: 30, BackoffRate: 2 }, done)),
    ).toEqual([30, 60, 120]);
    expect(retryDelaySeconds({ ErrorEquals: [], IntervalSeconds: 30, MaxDelaySeconds: 40 }, 3)).toBe(40);
    expect(taskFailureOf('text')).toEqual({
      Error: 'Error',
      Cause: JSON.stringify({ errorType: 'Error', errorMessage: 'text' }),
    });
  });
});
