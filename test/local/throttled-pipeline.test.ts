// The step loop against a tight rate limit: steps end with waitSeconds, the local state machine really waits (scaled), and
// a stop between steps ends the run with an aborted report. The whole environment runs on a clock 10× faster than real
// time, so a 20 s window costs 2 s and a step's 1.5 s about 150 ms of real time (at 20× a busy 2-core machine could
// spend a whole step on its S3 reads and writes).
import { afterEach, describe, expect, it } from 'vitest';
import { generateTenant } from '../../lambda/emulator/tenant-generator.ts';
import type { LocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { csvOf, deletedIds, reportOf, until, usersWithOwnEmail } from './pipeline-fixtures.ts';

const SPEED = 10;

async function throttledPipeline(limit: number): Promise<LocalPipeline> {
  return startLocalPipeline({
    emulatorOptions: {
      tenant: undefined,
      users: generateTenant({ seed: 7, count: 200 }),
      // The listing carries custom attributes and roles: snapshots cost no read per user (what is tested is pacing).
      listIncludesCustomAttributes: true,
      rateLimit: { limit, windowSeconds: 20, sendHeaders: true },
    },
    maxPercent: 100,
    // These live uploads have no dry run: they test pacing and faults, not the plan binding.
    requireReviewedPlan: false,
    rateShare: 1,
    concurrency: 2,
    // A step may spend 1.5 s: never long enough to sit out a window, so it must checkpoint and ask the state machine to wait.
    stepTimeMs: 2_500,
    safetyMarginMs: 1_000,
    timeScale: SPEED,
  });
}

describe('local pipeline under a tight rate limit', () => {
  let pipeline: LocalPipeline | undefined;
  afterEach(async () => {
    await pipeline?.close();
    pipeline = undefined;
  });

  it('honours waitSeconds between steps and still completes every row', async () => {
    pipeline = await throttledPipeline(6);
    const users = usersWithOwnEmail(pipeline.emulator.users()).slice(0, 8);
    await pipeline.upload(
      'live/leavers.csv',
      csvOf(
        'email',
        users.map((user) => user.email!),
      ),
    );
    const execution = await pipeline.waitForKey('live/leavers.csv');

    const report = await reportOf(pipeline, execution);
    expect(report.job.status).toBe('completed');
    expect(report.rows.map((row) => row.outcome)).toEqual(Array(8).fill('deleted'));
    expect(deletedIds(pipeline)).toEqual(users.map((user) => user.id).sort((a, b) => a - b));
    // 8 searches and 8 deletions do not fit in one window of 6 calls: the loop needed several steps with waits in between.
    expect(execution.steps).toBeGreaterThanOrEqual(3);
    expect(execution.waits.filter((seconds) => seconds > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('a stopped execution gets an aborted report that lists the rows it had processed', async () => {
    pipeline = await throttledPipeline(5);
    const running = pipeline;
    const users = running.emulator.users().slice(0, 10);
    await running.upload(
      'live/stop-me.csv',
      csvOf(
        'id',
        users.map((user) => String(user.id)),
      ),
    );
    await running.events.idle();
    const execution = running.executions().find((candidate) => candidate.input.key === 'live/stop-me.csv');
    expect(execution).toBeDefined();
    await until(
      () => running.emulator.stats().deletions.length > 0 || execution!.status !== 'RUNNING',
      'a first deletion',
    );
    expect(execution!.status).toBe('RUNNING');

    expect(await running.stop(execution!.name)).toBe(true);

    expect(execution!.status).toBe('ABORTED');
    const report = await reportOf(running, execution!);
    expect(report.job.status).toBe('aborted');
    expect(report.rows.map((row) => row.line)).toEqual(users.map((_, index) => index + 2));
    const deleted = deletedIds(running);
    expect(deleted.length).toBeGreaterThan(0);
    expect(deleted.length).toBeLessThan(users.length);
    const reportedDeleted = report.rows.filter((row) => row.outcome === 'deleted').map((row) => row.user?.id);
    expect(reportedDeleted.sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(deleted);
    expect(running.stepFunctions.running()).toBe(0);
  });
});
