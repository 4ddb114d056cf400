// suspend/<name>.csv and restore/<name>.jsonl are bound to their reviewed dry run exactly as live/<name>.csv is: the
// newest completed dry run of dry-run/<name>.csv (or dry-run/<name>.jsonl) with the same sha256. Through the real step
// handler for the dry run (a mocked S3 and the emulator) and planForLiveJob, the binding every live step starts with.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import type { JobInput } from '../../lambda/handlers/handler-contract.ts';
import { jobOptionsFrom } from '../../lambda/handlers/handler-options.ts';
import { planForLiveJob } from '../../lambda/handlers/plan-binding.ts';
import { createStepHandler } from '../../lambda/handlers/step-handler.ts';
import { ensureDryRunPlan } from './plan-fixture.ts';
import type { StepHarness } from './step-harness.ts';
import { BUCKET, contextWith, startStepHarness } from './step-harness.ts';

const RULES = { requireReviewedPlan: true, planMaxAgeHours: 72, requireSecondApprover: false };

describe('the reviewed-plan binding of suspend/ and restore/ uploads', () => {
  let h: StepHarness;
  let csv: string;
  beforeEach(async () => {
    h = await startStepHarness();
    const ids = h.emulator
      .users()
      .filter((user) => (user.directory_id ?? null) === null)
      .slice(3, 6)
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

  async function completedDryRun(key: string, body: string): Promise<JobInput> {
    const job = h.job(key, body, 'd1');
    const output = await createStepHandler(h.deps)(job, contextWith(900_000));
    expect(output.done).toBe(true);
    expect(h.bucket.json<ReportDocument>(`${job.reportPrefix}report.json`)?.job.status).toBe('completed');
    await ensureDryRunPlan(files(), job.reportPrefix, body, { host: '127.0.0.1' });
    return job;
  }

  const bind = (job: JobInput) =>
    planForLiveJob(job, h.deps.storeFor(BUCKET), h.deps.inputFor(job), RULES, h.clock.now());

  it('suspend/<name>.csv binds to the completed dry run of dry-run/<name>.csv with the same bytes', async () => {
    const dryRun = await completedDryRun('dry-run/leavers.csv', csv);
    const { binding, spec } = await bind(h.job('suspend/leavers.csv', csv));
    expect(binding).toMatchObject({ kind: 'bound', dryRunJobId: dryRun.jobId });
    expect(spec.plan?.input.sha256).toBe(binding.sha256);
  });

  it('suspend/<name>.csv with other bytes, or with no dry run, is refused not-approved naming dry-run/<name>.csv', async () => {
    const none = await bind(h.job('suspend/other.csv', csv));
    expect(none.spec.refusal).toMatchObject({ code: 'not-approved' });
    expect(none.spec.refusal?.message).toMatch(/dry-run\/other\.csv first.*then upload it to suspend\/other\.csv/);
    await completedDryRun('dry-run/leavers.csv', csv);
    const changed = await bind(h.job('suspend/leavers.csv', `${csv}12345\n`));
    expect(changed.binding.kind).toBe('refused');
  });

  it('restore/<name>.jsonl is reviewed through dry-run/<name>.jsonl only: a CSV dry run of the same bytes never approves it', async () => {
    // Same bytes and the same reports folder (reports/dry-run/leavers/), but the dry run was of dry-run/leavers.csv.
    await completedDryRun('dry-run/leavers.csv', csv);
    const { binding, spec } = await bind(h.job('restore/leavers.jsonl', csv));
    expect(binding.kind).toBe('refused');
    expect(spec.refusal?.message).toMatch(/dry-run\/leavers\.jsonl first/);
  });

  it('the stack settings reach the engine options: onlySuspended and the snapshot detail', () => {
    const base = { protect: [], maxPercent: 10 };
    expect(jobOptionsFrom(base)).toMatchObject({ snapshot: 'full' });
    expect(jobOptionsFrom(base)).not.toHaveProperty('onlySuspended');
    expect(jobOptionsFrom({ ...base, deleteOnlySuspended: true, snapshotDetail: 'basic' })).toMatchObject({
      onlySuspended: true,
      snapshot: 'basic',
    });
  });
});
