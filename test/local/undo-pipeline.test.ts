// Issue 11 through the local S3 pipeline (s3rver → on-upload → the step loop → the emulator): a live/ upload writes
// snapshots/live/<name>/<job-id>/snapshot.jsonl and points at it; copied under dry-run/ and then restore/, it brings
// the users back; suspend/ suspends after its dry run; deleteOnlySuspended spares who is not suspended.
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorUser } from '../../lambda/emulator/emulator-types.ts';
import type { SnapshotLine } from '../../lambda/engine/snapshot/snapshot-line.ts';
import type { LocalPipeline, LocalPipelineOptions } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { ensureDryRunPlan } from '../handlers/plan-fixture.ts';
import { csvOf, deletedIds, pipelineFiles, reportOf, usersWithOwnEmail } from './pipeline-fixtures.ts';

const PICKED = 20;

describe('local pipeline: snapshots, restore, suspend and deleteOnlySuspended', () => {
  let pipeline: LocalPipeline | undefined;
  afterEach(async () => {
    await pipeline?.close();
    pipeline = undefined;
  });

  async function start(options: LocalPipelineOptions = {}): Promise<{ p: LocalPipeline; picked: EmulatorUser[] }> {
    pipeline = await startLocalPipeline({
      timeScale: 10,
      maxPercent: 100,
      // Pages of 15: lookups of 20 users cross a page boundary.
      emulatorOptions: {
        tenant: { seed: 5, count: 200, directoryShare: 0 },
        rateLimit: null,
        defaultPageSize: 15,
        maxPageSize: 15,
      },
      ...options,
    });
    const users = pipeline.emulator.users();
    const usernames = new Map<string, number>();
    for (const user of users) {
      const name = user.username?.toLowerCase();
      if (name) usernames.set(name, (usernames.get(name) ?? 0) + 1);
    }
    const picked = usersWithOwnEmail(users)
      .filter((user) => user.username !== null && usernames.get(user.username.toLowerCase()) === 1)
      .slice(0, PICKED);
    return { p: pipeline, picked };
  }

  async function runUpload(p: LocalPipeline, key: string, body: string) {
    await p.upload(key, body, { principal: 'operator' });
    const execution = await p.waitForKey(key);
    return { execution, report: await reportOf(p, execution) };
  }

  /** A dry run of `key`'s bytes under dry-run/, its plan, then the upload under `key` itself. */
  async function reviewedUpload(p: LocalPipeline, key: string, body: string) {
    const dry = await runUpload(p, `dry-run/${key.slice(key.indexOf('/') + 1)}`, body);
    expect(dry.report.job.status).toBe('completed');
    await ensureDryRunPlan(pipelineFiles(p), dry.execution.input.reportPrefix, body);
    return { dry, live: await runUpload(p, key, body) };
  }

  const idsCsv = (users: readonly EmulatorUser[]) =>
    csvOf(
      'id',
      users.map((user) => String(user.id)),
    );

  it('live/ writes the snapshot under snapshots/live/; dry-run/ then restore/ of it brings the users back', async () => {
    const { p, picked } = await start();
    const originals = picked.map((user) => structuredClone(user));
    const { live } = await reviewedUpload(p, 'live/leavers.csv', idsCsv(picked));
    expect(live.report.job.status).toBe('completed');
    expect(deletedIds(p)).toEqual(picked.map((user) => user.id).sort((a, b) => a - b));

    const jobId = live.execution.input.jobId;
    const snapshotKey = `snapshots/live/leavers/${jobId}/snapshot.jsonl`;
    expect(live.report.snapshot).toEqual({ key: snapshotKey, lines: PICKED });
    const summary = p.notifications.find((message) => message.jobId === jobId);
    expect(summary?.reports.snapshot).toBe(`s3://${p.bucket}/${snapshotKey}`);
    const snapshot = await p.readObject(snapshotKey);
    const lines = snapshot
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SnapshotLine);
    expect(lines.map((line) => line.user.id).sort((a, b) => a - b)).toEqual(deletedIds(p));
    expect(lines.every((line) => line.action === 'delete' && line.missingFields === undefined)).toBe(true);

    const restore = await reviewedUpload(p, 'restore/undo.jsonl', snapshot);
    expect(restore.dry.report.summary['would-restore']).toBe(PICKED);
    expect(restore.live.report.job.status).toBe('completed');
    expect(restore.live.report.summary.restored).toBe(PICKED);
    expect(restore.live.report.snapshot).toBeUndefined();
    for (const original of originals) {
      const back = p.emulator.users().filter((user) => user.username === original.username);
      expect(back, original.username ?? '').toHaveLength(1);
      expect(back[0]).toMatchObject({
        email: original.email,
        firstname: original.firstname,
        lastname: original.lastname,
        custom_attributes: original.custom_attributes,
      });
      expect([...(back[0]?.role_ids ?? [])].sort()).toEqual([...(original.role_ids ?? [])].sort());
      expect(back[0]?.id).not.toBe(original.id);
    }
  });

  it('suspend/ after its dry run suspends (status 2); live/ with deleteOnlySuspended deletes only the suspended', async () => {
    const started = await start({ deleteOnlySuspended: true });
    const p = started.p;
    // Active users only: one suspended already would be already-suspended, and deleted as still suspended.
    const picked = started.picked.filter((user) => user.status === 1);
    const suspended = picked.slice(0, 12);
    const { live } = await reviewedUpload(p, 'suspend/quarantine.csv', idsCsv(suspended));
    expect(live.report.job.status).toBe('completed');
    expect(live.report.summary.suspended).toBe(suspended.length);
    const statusOf = (id: number) => p.emulator.users().find((user) => user.id === id)?.status;
    expect(suspended.map((user) => statusOf(user.id))).toEqual(suspended.map(() => 2));
    expect(live.report.snapshot?.key).toBe(`snapshots/suspend/quarantine/${live.execution.input.jobId}/snapshot.jsonl`);
    expect(p.emulator.stats().deletions).toHaveLength(0);

    // The whole list goes to live/: the 8 never suspended and the one reactivated since are spared.
    const reactivated = suspended[3] as EmulatorUser;
    p.emulator.updateUser(reactivated.id, { status: 1 });
    const deletion = await reviewedUpload(p, 'live/quarantine.csv', idsCsv(picked));
    expect(deletion.live.report.job.status).toBe('completed');
    const stillSuspended = suspended.filter((user) => user.id !== reactivated.id).map((user) => user.id);
    expect(deletedIds(p)).toEqual(stillSuspended.sort((a, b) => a - b));
    const rejected = deletion.live.report.rows.filter((row) => row.outcome === 'rejected');
    expect(new Set(rejected.map((row) => row.reason))).toEqual(new Set(['not-suspended']));
    expect(rejected).toHaveLength(picked.length - stillSuspended.length);
    expect(statusOf(reactivated.id)).toBe(1);
  });
});
