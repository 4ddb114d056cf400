// The plan binding through s3rver → on-upload → the step loop: uploads carry a principal the test sets (as
// `npm run local -- upload FILE --principal NAME` does), and the stack's rules hold as on AWS.
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalPipeline, LocalPipelineOptions } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { ensureDryRunPlan } from '../handlers/plan-fixture.ts';
import { csvOf, deletedIds, pipelineFiles, reportOf } from './pipeline-fixtures.ts';

describe('local pipeline: a live upload bound to its reviewed dry run', () => {
  let pipeline: LocalPipeline | undefined;
  afterEach(async () => {
    await pipeline?.close();
    pipeline = undefined;
  });

  async function start(options: LocalPipelineOptions = {}): Promise<{ p: LocalPipeline; csv: string; ids: number[] }> {
    pipeline = await startLocalPipeline({
      timeScale: 10,
      maxPercent: 100,
      emulatorOptions: { tenant: { seed: 3, count: 40, directoryShare: 0 }, rateLimit: null },
      ...options,
    });
    const ids = pipeline.emulator
      .users()
      .slice(0, 3)
      .map((user) => user.id);
    return { p: pipeline, csv: csvOf('id', ids.map(String)), ids };
  }

  async function runUpload(p: LocalPipeline, key: string, csv: string, principal: string) {
    await p.upload(key, csv, { principal });
    const execution = await p.waitForKey(key);
    return { execution, report: await reportOf(p, execution) };
  }

  it('no dry run: refused with zero DELETEs; after a dry run of the same bytes: deletes exactly the planned users', async () => {
    const { p, csv, ids } = await start();
    const refused = await runUpload(p, 'live/leavers.csv', csv, 'operator');
    expect(refused.report.job.status).toBe('rejected');
    expect(refused.report.error?.message).toContain('dry-run/leavers.csv first');
    expect(new Set(refused.report.rows.map((row) => `${row.outcome}/${row.reason}`))).toEqual(
      new Set(['rejected/not-approved']),
    );
    expect(p.emulator.stats().deletions).toHaveLength(0);

    const dry = await runUpload(p, 'dry-run/leavers.csv', csv, 'reviewer');
    await ensureDryRunPlan(pipelineFiles(p), dry.execution.input.reportPrefix, csv);
    const live = await runUpload(p, 'live/leavers.csv', csv, 'operator');
    expect(live.report.job.status).toBe('completed');
    expect(deletedIds(p)).toEqual([...ids].sort((a, b) => a - b));
  });

  it('requireSecondApprover: the uploader of the dry run is refused, another principal is accepted', async () => {
    const { p, csv, ids } = await start({ requireSecondApprover: true });
    const dry = await runUpload(p, 'dry-run/leavers.csv', csv, 'alice');
    await ensureDryRunPlan(pipelineFiles(p), dry.execution.input.reportPrefix, csv);
    const same = await runUpload(p, 'live/leavers.csv', csv, 'alice');
    expect(same.report.job.status).toBe('rejected');
    expect(same.report.error?.message).toMatch(/same principal/);
    expect(p.emulator.stats().deletions).toHaveLength(0);
    const other = await runUpload(p, 'live/leavers.csv', csv, 'bob');
    expect(other.report.job.status).toBe('completed');
    expect(deletedIds(p)).toEqual([...ids].sort((a, b) => a - b));
  });
});
