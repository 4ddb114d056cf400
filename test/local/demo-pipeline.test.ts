// The demo sample through s3rver → on-upload → the step loop → report objects, dry run then live.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoSample } from '../../lambda/local/demo-sample.ts';
import type { LocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { ensureDryRunPlan } from '../handlers/plan-fixture.ts';
import { csvOf, deletedIds, pipelineFiles, reportOf } from './pipeline-fixtures.ts';

describe('local pipeline with the demo tenant and samples/demo-users.csv', () => {
  const sample = buildDemoSample();
  const planned = sample.expected
    .flatMap((row) => (row.userId === undefined ? [] : [row.userId]))
    .sort((a, b) => a - b);
  let pipeline: LocalPipeline;

  beforeAll(async () => {
    // The demo rate limit paces ~8 calls per second; a 10× clock keeps the same pacing decisions in a tenth of the time.
    pipeline = await startLocalPipeline({ timeScale: 10 });
  });
  afterAll(async () => {
    await pipeline?.close();
  });

  it('dry run: every row gets its expected outcome and nothing is deleted; report writes trigger nothing', async () => {
    const usersBefore = pipeline.emulator.users().length;
    await pipeline.upload('dry-run/demo-users.csv', sample.csv);
    const execution = await pipeline.waitForKey('dry-run/demo-users.csv');

    expect(execution.status).toBe('SUCCEEDED');
    const report = await reportOf(pipeline, execution);
    expect(report.job).toMatchObject({
      mode: 'dry-run',
      status: 'completed',
      source: `s3://${pipeline.bucket}/dry-run/demo-users.csv`,
    });
    expect(
      report.rows.map((row) => ({
        line: row.line,
        outcome: row.outcome,
        reason: row.reason,
        userId: row.outcome === 'would-delete' ? row.user?.id : undefined,
      })),
    ).toEqual(
      sample.expected.map((row) => ({
        line: row.line,
        outcome: row.dryRun,
        reason: row.reason,
        userId: row.dryRun === 'would-delete' ? row.userId : undefined,
      })),
    );
    expect(report.summary).toMatchObject({ rows: sample.expected.length, 'would-delete': planned.length, deleted: 0 });
    expect(pipeline.emulator.stats().deletions).toEqual([]);
    expect(pipeline.emulator.users()).toHaveLength(usersBefore);

    const reports = await pipeline.listReports(execution.input.reportPrefix);
    expect(reports).toEqual(
      expect.arrayContaining([
        `${execution.input.reportPrefix}report.json`,
        `${execution.input.reportPrefix}report.csv`,
      ]),
    );
    // s3rver fired for status, state and report writes (report.csv is a .csv too); none reached on-upload.
    expect(pipeline.events.ignored).toBeGreaterThan(2);
    expect(pipeline.events.delivered.map((event) => event.Records[0]?.s3.object.key)).toEqual([
      'dry-run/demo-users.csv',
    ]);
    expect(pipeline.executions()).toHaveLength(1);
    await ensureDryRunPlan(pipelineFiles(pipeline), execution.input.reportPrefix, sample.csv);
  });

  it('live: deletes exactly the planned users, once each, and reports them deleted', async () => {
    await pipeline.upload('live/demo-users.csv', sample.csv);
    const execution = await pipeline.waitForKey('live/demo-users.csv');

    const report = await reportOf(pipeline, execution);
    expect(report.job).toMatchObject({ mode: 'live', status: 'completed' });
    expect(
      report.rows.map((row) => ({
        line: row.line,
        outcome: row.outcome,
        userId: row.outcome === 'deleted' ? row.user?.id : undefined,
      })),
    ).toEqual(
      sample.expected.map((row) => ({
        line: row.line,
        outcome: row.dryRun === 'would-delete' ? 'deleted' : row.dryRun,
        userId: row.dryRun === 'would-delete' ? row.userId : undefined,
      })),
    );
    expect(deletedIds(pipeline)).toEqual(planned);
    const remaining = new Set(pipeline.emulator.users().map((user) => user.id));
    expect(planned.filter((id) => remaining.has(id))).toEqual([]);
  });

  it('a redelivered event (at-least-once) does not start a second run', async () => {
    const liveEvent = pipeline.events.received.find(
      (event) => event.Records[0]?.s3.object.key === 'live/demo-users.csv',
    );
    expect(liveEvent).toBeDefined();
    const executionsBefore = pipeline.executions().length;
    const callsBefore = pipeline.emulator.stats().calls;

    pipeline.injectEvent(liveEvent!);
    await pipeline.waitForIdle();

    expect(
      pipeline.events.delivered.filter((event) => event.Records[0]?.s3.object.key === 'live/demo-users.csv'),
    ).toHaveLength(2);
    expect(pipeline.executions()).toHaveLength(executionsBefore);
    expect(pipeline.emulator.stats().calls).toEqual(callsBefore);
    expect(deletedIds(pipeline)).toEqual(planned);
  });

  it('a key with spaces, + and % survives the S3 encoding round trip', async () => {
    const key = 'dry-run/team a+b/Leavers 2026+Q1 100%.csv';
    const [user] = pipeline.emulator.users();
    await pipeline.upload(key, csvOf('id', [String(user!.id)]));
    const execution = await pipeline.waitForKey(key);

    expect(execution.input.key).toBe(key);
    expect(execution.input.reportPrefix.startsWith('reports/dry-run/team a+b/Leavers 2026+Q1 100%/')).toBe(true);
    const report = await reportOf(pipeline, execution);
    expect(report.job.source).toBe(`s3://${pipeline.bucket}/${key}`);
    expect(report.rows).toMatchObject([{ line: 2, outcome: 'would-delete', user: { id: user!.id } }]);
    expect(pipeline.events.failures).toEqual([]);
  });
});
