// Fault matrix through the local pipeline (s3rver events → on-upload → step loop → reports): a duplicate S3 event and a
// second upload of the same file while the first run is in progress, and input keys with unusual characters.
import { afterEach, describe, expect, it } from 'vitest';
import { generateTenant } from '../../lambda/emulator/tenant-generator.ts';
import type { LocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { csvOf, until, usersWithOwnEmail } from '../local/pipeline-fixtures.ts';
import type { RunReport } from './run-invariants.ts';
import { expectRunInvariants } from './run-invariants.ts';

let pipeline: LocalPipeline | undefined;
afterEach(async () => {
  await pipeline?.close();
  pipeline = undefined;
});

async function throttledPipeline(): Promise<LocalPipeline> {
  return startLocalPipeline({
    emulatorOptions: {
      tenant: undefined,
      users: generateTenant({ seed: 21, count: 200 }),
      // The listing carries custom attributes and roles: snapshots cost no read per user (what is tested is pacing).
      listIncludesCustomAttributes: true,
      rateLimit: { limit: 6, windowSeconds: 20, sendHeaders: true },
    },
    maxPercent: 100,
    // These live uploads have no dry run: they test pacing and faults, not the plan binding.
    requireReviewedPlan: false,
    rateShare: 1,
    concurrency: 2,
    stepTimeMs: 2_500,
    safetyMarginMs: 1_000,
    // 10× real time: a step has about 150 ms of real time for its S3 reads and writes even on a busy machine.
    timeScale: 10,
  });
}

async function reportAt(p: LocalPipeline, prefix: string): Promise<RunReport> {
  return JSON.parse(await p.readObject(`${prefix}report.json`)) as RunReport;
}

describe('S3 delivery faults in the local pipeline (live)', () => {
  it('a duplicate event and a second upload of the same file during the run: nobody deleted twice, every row reported', async () => {
    pipeline = await throttledPipeline();
    const p = pipeline;
    const users = usersWithOwnEmail(p.emulator.users()).slice(0, 8);
    const plan = new Set(users.map((user) => user.id));
    const csv = csvOf(
      'email',
      users.map((user) => user.email!),
    );
    const key = 'live/again.csv';
    await p.upload(key, csv);
    await p.events.idle();
    await until(() => p.emulator.stats().calls.list > 0, 'the first run to start');
    const first = p.executions().find((execution) => execution.input.key === key);
    expect(first?.status).toBe('RUNNING');

    // At-least-once delivery: the same event again while the run is in progress.
    const event = p.events.received.find((candidate) => candidate.Records[0]?.s3.object.key === key);
    expect(event).toBeDefined();
    p.injectEvent(event!);
    await p.events.idle();
    expect(p.executions().filter((execution) => execution.input.key === key)).toHaveLength(1);

    // The operator uploads the same file again while the first run is still going.
    expect(first?.status).toBe('RUNNING');
    await p.upload(key, csv);
    await p.waitForIdle();

    const runs = p.executions().filter((execution) => execution.input.key === key);
    // A new upload is a new object version: its own run, which finds the users the first run already deleted gone.
    expect(runs).toHaveLength(2);
    const deletions = p.emulator.stats().deletions;
    const reports = await Promise.all(runs.map((run) => reportAt(p, run.input.reportPrefix)));
    const reportedDeleted = reports.map(
      (report) => new Set(report.rows.filter((row) => row.outcome === 'deleted').map((row) => row.user!.id)),
    );
    reports.forEach((report, index) => {
      const others = new Set(reportedDeleted.filter((_, other) => other !== index).flatMap((set) => [...set]));
      expectRunInvariants({
        report,
        dataRows: users.length,
        deletions: deletions.filter((deletion) => !others.has(deletion.id)),
        plan,
        mode: 'live',
        label: `run ${index + 1} of ${runs.length}`,
      });
      expect(report.job.status).toBe('completed');
    });
    // Each deletion is claimed by exactly one run, and all planned users are gone.
    const claimed = reportedDeleted.flatMap((set) => [...set]);
    expect(claimed.sort((a, b) => a - b)).toEqual(deletions.map((deletion) => deletion.id).sort((a, b) => a - b));
    expect(new Set(deletions.map((deletion) => deletion.id))).toEqual(plan);
    expect(runs.every((run) => run.status === 'SUCCEEDED')).toBe(true);
  });
});

describe('input keys with unusual characters (dry run)', () => {
  const keys = [
    'dry-run/été 日本 ünïcödé.csv',
    'dry-run/a#b?c&d=e.csv',
    'dry-run/quote\'s "double" (1).csv',
    'dry-run/../escape/../../x.csv',
    'dry-run/deep/nested/file %41%2F.csv',
    'dry-run/plus+and space+.csv',
    // s3rver keeps objects as files: a name over 255 bytes fails there (ENAMETOOLONG), not in the product.
    `dry-run/${'long-name-'.repeat(20)}.csv`,
  ];

  it('each gets its own run and its report under reports/dry-run/', async () => {
    pipeline = await startLocalPipeline({ emulatorOptions: { tenant: { seed: 5, count: 30 }, rateLimit: null } });
    const p = pipeline;
    const user = p.emulator.users()[0]!;
    for (const key of keys) await p.upload(key, csvOf('id', [String(user.id), '99999999']));
    await p.waitForIdle();
    for (const key of keys) {
      const execution = await p.waitForKey(key);
      expect(execution.status, key).toBe('SUCCEEDED');
      expect(execution.input.reportPrefix.startsWith('reports/dry-run/'), key).toBe(true);
      expect(execution.input.reportPrefix.split('/')).not.toContain('..');
      const report = expectRunInvariants({
        report: await reportAt(p, execution.input.reportPrefix),
        dataRows: 2,
        deletions: p.emulator.stats().deletions,
        plan: new Set(),
        mode: 'dry-run',
        label: key,
      });
      expect(report.job.source).toBe(`s3://${p.bucket}/${key}`);
      expect(report.rows.map((row) => row.outcome)).toEqual(['would-delete', 'not-found']);
    }
    expect(new Set(p.executions().map((execution) => execution.name)).size).toBe(keys.length);
  });
});
