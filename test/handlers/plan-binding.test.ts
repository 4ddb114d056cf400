// A live/<name>.csv upload runs only when bound to a completed dry run of the same bytes under dry-run/<name>.csv
// (requireReviewedPlan, planMaxAgeHours, requireSecondApprover), through the real step handler, a mocked S3 and the emulator.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import type { JobInput } from '../../lambda/handlers/handler-contract.ts';
import { createStepHandler } from '../../lambda/handlers/step-handler.ts';
import { ensureDryRunPlan } from './plan-fixture.ts';
import type { StepHarness } from './step-harness.ts';
import { contextWith, startStepHarness } from './step-harness.ts';

const HOUR = 3_600_000;

describe('a live upload bound to its reviewed dry run', () => {
  let h: StepHarness;
  let ids: number[];
  let csv: string;
  beforeEach(async () => {
    h = await startStepHarness();
    h.deps.options = { ...h.deps.options, requireReviewedPlan: true };
    ids = h.emulator
      .users()
      .filter((user) => (user.directory_id ?? null) === null)
      .slice(5, 9)
      .map((user) => user.id);
    csv = `id\n${ids.join('\n')}\n`;
  });
  afterEach(async () => h.close());

  const files = () => ({
    read: async (key: string) => h.bucket.text(key),
    write: async (key: string, text: string) => {
      h.bucket.objects.set(key, Buffer.from(text));
      h.bucket.modified.set(key, h.clock.now());
    },
  });

  async function run(job: JobInput): Promise<ReportDocument> {
    const output = await createStepHandler(h.deps)(job, contextWith(900_000));
    expect(output.done).toBe(true);
    return h.bucket.json<ReportDocument>(`${job.reportPrefix}report.json`) as ReportDocument;
  }

  async function dryRun(body: string, principalId = 'AWS:reviewer', name = 'leavers'): Promise<JobInput> {
    const job = { ...h.job(`dry-run/${name}.csv`, body, 'd1'), principalId };
    const report = await run(job);
    expect(report.job.status).toBe('completed');
    await ensureDryRunPlan(files(), job.reportPrefix, body, { host: '127.0.0.1' });
    return job;
  }

  function expectRefused(report: ReportDocument, pattern: RegExp): void {
    expect(report.job.status).toBe('rejected');
    expect(report.error).toMatchObject({ code: 'not-approved' });
    expect(report.error?.message).toMatch(pattern);
    expect(report.rows).toHaveLength(ids.length);
    for (const row of report.rows) expect(row).toMatchObject({ outcome: 'rejected', reason: 'not-approved' });
    expect(h.emulator.stats().deletions).toHaveLength(0);
  }

  it('with no dry run: refused as a whole, zero DELETEs, no retry.csv, the message says to upload under dry-run/ first', async () => {
    const job = { ...h.job('live/leavers.csv', csv), principalId: 'AWS:operator' };
    const report = await run(job);
    expectRefused(report, /dry-run\/leavers\.csv first.*reports\/dry-run\/leavers\/<job-id>\/report\.html/);
    expect(h.bucket.objects.has(`${job.reportPrefix}retry.csv`)).toBe(false);
    expect(h.emulator.stats().calls).toMatchObject({ delete: 0 });
  });

  it('after a dry run of the same bytes: deletes exactly the planned users', async () => {
    await dryRun(csv);
    const job = { ...h.job('live/leavers.csv', csv), principalId: 'AWS:operator' };
    const report = await run(job);
    expect(report.job.status).toBe('completed');
    expect(report.rows.map((row) => row.outcome)).toEqual(['deleted', 'deleted', 'deleted', 'deleted']);
    expect(
      h.emulator
        .stats()
        .deletions.map((deletion) => deletion.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(h.bucket.json(`${job.statePrefix}plan-binding.json`)).toMatchObject({ kind: 'bound' });
  });

  it('different bytes under the same name: refused', async () => {
    await dryRun(csv);
    const other = `id\n${ids.slice(0, 3).join('\n')}\n`;
    const job = { ...h.job('live/leavers.csv', other), principalId: 'AWS:operator' };
    ids = ids.slice(0, 3);
    expectRefused(await run(job), /no completed dry run of these exact bytes/);
  });

  it('the same bytes under another name: refused (the dry run of other.csv reviews only other.csv)', async () => {
    await dryRun(csv, 'AWS:reviewer', 'other');
    expectRefused(await run({ ...h.job('live/leavers.csv', csv), principalId: 'AWS:operator' }), /dry-run\/leavers/);
  });

  it('a dry run that did not complete (no approval.json) binds nothing', async () => {
    const dry = await dryRun(csv);
    h.bucket.objects.delete(`${dry.reportPrefix}approval.json`);
    expectRefused(await run({ ...h.job('live/leavers.csv', csv), principalId: 'AWS:operator' }), /no completed/);
  });

  it('an expired plan: refused; planMaxAgeHours decides', async () => {
    await dryRun(csv);
    h.clock.advance(73 * HOUR);
    expectRefused(
      await run({ ...h.job('live/leavers.csv', csv, 'v1'), principalId: 'AWS:op' }),
      /older than planMaxAgeHours \(72 h\)/,
    );
    h.deps.options = { ...h.deps.options, planMaxAgeHours: 100 };
    const report = await run({ ...h.job('live/leavers.csv', csv, 'v2'), principalId: 'AWS:op' });
    expect(report.job.status).toBe('completed');
    expect(h.emulator.stats().deletions).toHaveLength(ids.length);
  });

  it('requireSecondApprover: the same principal is refused, another principal is accepted', async () => {
    h.deps.options = { ...h.deps.options, requireSecondApprover: true };
    await dryRun(csv, 'AWS:alice');
    expectRefused(
      await run({ ...h.job('live/leavers.csv', csv, 'v1'), principalId: 'AWS:alice' }),
      /same principal uploaded the dry run/,
    );
    expectRefused(await run(h.job('live/leavers.csv', csv, 'v2')), /do not say who made them/);
    const report = await run({ ...h.job('live/leavers.csv', csv, 'v3'), principalId: 'AWS:bob' });
    expect(report.job.status).toBe('completed');
    expect(h.emulator.stats().deletions).toHaveLength(ids.length);
  });

  it('the newest completed dry run with the same bytes is the one bound', async () => {
    const first = await dryRun(csv);
    h.clock.advance(HOUR);
    await dryRun(`id\n${ids[0]}\n`);
    const job = { ...h.job('live/leavers.csv', csv), principalId: 'AWS:op' };
    await run(job);
    expect(h.bucket.json(`${job.statePrefix}plan-binding.json`)).toMatchObject({
      kind: 'bound',
      dryRunJobId: first.jobId,
      planKey: `${first.reportPrefix}plan.json`,
    });
  });

  it('requireReviewedPlan=false and no plan: the live run resolves its rows as before', async () => {
    h.deps.options = { ...h.deps.options, requireReviewedPlan: false };
    const report = await run(h.job('live/leavers.csv', csv));
    expect(report.job.status).toBe('completed');
    expect(h.emulator.stats().deletions).toHaveLength(ids.length);
  });
});
