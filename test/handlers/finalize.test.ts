import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import { createFinalizeHandler, finalizeRequestFor } from '../../lambda/handlers/finalize-handler.ts';
import type { StepOutput } from '../../lambda/handlers/handler-contract.ts';
import { createStepHandler } from '../../lambda/handlers/step-handler.ts';
import type { StepHarness } from './step-harness.ts';
import { CLIENT_SECRET, contextWith, startStepHarness } from './step-harness.ts';

type ReportJson = ReportDocument;

const LAMBDA_CAUSE = JSON.stringify({
  errorType: 'Error',
  errorMessage: 'S3 put failed',
  trace: ['at secretFrame (/var/task/index.mjs:1:1)'],
});

describe('finalize handler', () => {
  let h: StepHarness;
  beforeEach(async () => {
    h = await startStepHarness({ rateLimit: { limit: 8, windowSeconds: 60, sendHeaders: true } });
  });
  afterEach(async () => h.close());

  /** A live job stopped part-way: some users deleted, the rest waiting for the rate limit. */
  async function partlyDoneJob(): Promise<{ job: ReturnType<StepHarness['job']>; deletedSoFar: number }> {
    const ids = h.emulator
      .users()
      .slice(0, 8)
      .map((user) => user.id);
    const job = h.job('live/part.csv', `id\n${ids.join('\n')}\n`);
    const step = createStepHandler(h.deps);
    let state: StepOutput | typeof job = job;
    for (let i = 0; i < 40 && h.emulator.stats().deletions.length === 0; i += 1) {
      const output: StepOutput = await step(state, contextWith(75_000));
      expect(output.done).toBe(false);
      state = output;
      h.clock.advance(output.waitSeconds * 1000);
    }
    h.notifications.length = 0;
    return { job, deletedSoFar: h.emulator.stats().deletions.length };
  }

  it('from the state machine Catch: writes an aborted report listing the rows processed so far', async () => {
    const { job, deletedSoFar } = await partlyDoneJob();
    expect(deletedSoFar).toBeGreaterThan(0);
    expect(deletedSoFar).toBeLessThan(8);

    const outcome = await createFinalizeHandler(h.deps)({ ...job, error: { Error: 'Error', Cause: LAMBDA_CAUSE } });

    expect(outcome).toBe('aborted');
    const report = h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!;
    expect(report.job.status).toBe('aborted');
    expect(report.error).toEqual({ code: 'failed', message: 'a step failed after its retries (Error: S3 put failed)' });
    expect(report.rows).toHaveLength(8);
    expect(report.rows.filter((row) => row.outcome === 'deleted')).toHaveLength(deletedSoFar);
    expect(report.rows.filter((row) => row.outcome !== 'deleted').every((row) => row.outcome === 'failed')).toBe(true);
    expect(h.bucket.text(`${job.reportPrefix}retry.csv`)).toBeDefined();
    expect(h.notifications).toHaveLength(1);
    expect(h.notifications[0]).toMatchObject({
      jobId: job.jobId,
      status: 'aborted',
      error: { code: 'failed' },
      counts: { deleted: deletedSoFar },
    });
    expect(JSON.stringify(h.notifications)).not.toContain('secretFrame');
  });

  it('from the EventBridge execution status change (ABORTED): same aborted report', async () => {
    const { job, deletedSoFar } = await partlyDoneJob();
    const outcome = await createFinalizeHandler(h.deps)({
      version: '0',
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: { status: 'ABORTED', name: job.jobId, input: JSON.stringify(job), error: null, cause: null },
    } as never);

    expect(outcome).toBe('aborted');
    const report = h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!;
    expect(report.job.status).toBe('aborted');
    expect(report.error).toEqual({ code: 'aborted', message: 'the execution was stopped' });
    expect(report.rows.filter((row) => row.outcome === 'deleted')).toHaveLength(deletedSoFar);
    expect(h.emulator.stats().deletions).toHaveLength(deletedSoFar);
    expect(h.published()).toHaveLength(1);
  });

  it('is idempotent: a finished job is left as is and nobody is notified again', async () => {
    const ids = h.emulator
      .users()
      .slice(0, 2)
      .map((user) => user.id);
    const job = h.job('dry-run/done.csv', `id\n${ids.join('\n')}\n`);
    const done = await createStepHandler(h.deps)(job, contextWith(900_000));
    expect(done.done).toBe(true);
    const before = h.bucket.text(`${job.reportPrefix}report.json`);
    h.notifications.length = 0;

    const finalize = createFinalizeHandler(h.deps);
    await expect(finalize({ ...job, error: { Error: 'States.Timeout', Cause: '' } })).resolves.toBe('already-finished');
    await expect(
      finalize({
        'detail-type': 'Step Functions Execution Status Change',
        detail: { status: 'TIMED_OUT', input: JSON.stringify(job) },
      }),
    ).resolves.toBe('already-finished');
    expect(h.bucket.text(`${job.reportPrefix}report.json`)).toBe(before);
    expect(h.notifications).toEqual([]);
  });

  it('aborting twice writes the report once', async () => {
    const { job } = await partlyDoneJob();
    const finalize = createFinalizeHandler(h.deps);
    await finalize({ ...job, error: { Error: 'Error', Cause: 'boom' } });
    const first = h.bucket.text(`${job.reportPrefix}report.json`);
    await expect(
      finalize({
        'detail-type': 'Step Functions Execution Status Change',
        detail: { status: 'FAILED', input: JSON.stringify(job) },
      }),
    ).resolves.toBe('already-finished');
    expect(h.bucket.text(`${job.reportPrefix}report.json`)).toBe(first);
    expect(h.notifications).toHaveLength(1);
  });

  it('aborts even when the secret is gone (in-flight deletes then cannot be checked)', async () => {
    const { job } = await partlyDoneJob();
    h.setSecret(undefined);
    await expect(createFinalizeHandler(h.deps)({ ...job })).resolves.toBe('aborted');
    const report = h.bucket.json<ReportJson>(`${job.reportPrefix}report.json`)!;
    expect(report.job.status).toBe('aborted');
    expect(report.error?.code).toBe('aborted');
    expect(JSON.stringify([report, h.notifications])).not.toContain(CLIENT_SECRET);
  });
});

describe('finalizeRequestFor', () => {
  const job = {
    jobId: 'live-a-0123456789abcdef01234567',
    bucket: 'b',
    key: 'live/a.csv',
    mode: 'live',
    reportPrefix: 'reports/live/a/live-a-0123456789abcdef01234567/',
    statePrefix: 'state/live-a-0123456789abcdef01234567/',
  };
  const statusEvent = (status: string, input: unknown = JSON.stringify(job)) => ({
    'detail-type': 'Step Functions Execution Status Change',
    detail: { status, input },
  });

  it.each([
    ['ABORTED', 'aborted'],
    ['FAILED', 'failed'],
    ['TIMED_OUT', 'timed-out'],
  ])('maps %s to %s', (status, code) => {
    expect(finalizeRequestFor(statusEvent(status))).toMatchObject({ code, job });
  });

  it.each([
    ['a running execution', statusEvent('RUNNING')],
    ['a succeeded execution', statusEvent('SUCCEEDED')],
    ['an input that is not JSON', statusEvent('FAILED', '{')],
    ['an input of another product', statusEvent('FAILED', JSON.stringify({ foo: 1 }))],
    ['a payload with a forged prefix', { ...job, statePrefix: 'live/' }],
    ['nothing', null],
  ])('ignores %s', (_what, event) => {
    expect(finalizeRequestFor(event)).toHaveProperty('ignore');
  });

  it('maps a Catch of States.Timeout to timed-out and keeps only the error message of a Lambda cause', () => {
    expect(finalizeRequestFor({ ...job, error: { Error: 'States.Timeout', Cause: '' } })).toMatchObject({
      code: 'timed-out',
    });
    const request = finalizeRequestFor({ ...job, error: { Error: 'Error', Cause: LAMBDA_CAUSE } });
    expect(request).toMatchObject({
      code: 'failed',
      message: 'a step failed after its retries (Error: S3 put failed)',
    });
  });
});
