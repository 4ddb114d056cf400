// A live suspension bound to its reviewed plan (the dry run of the same CSV, action delete: the dry-run folder does not
// know the action), over the in-memory directory with chunks and id batches smaller than the file. A user changed since
// the plan is changed-since-plan; the others are suspended. Under the stack's deleteOnlySuspended (a guard of deletions
// only) the suspension still suspends the active users its dry run refused not-suspended; a deletion does not.
import { describe, expect, it } from 'vitest';
import type { JobOptions } from '../../lambda/engine/job.ts';
import type { ResolvedUser } from '../../lambda/engine/outcomes.ts';
import type { PlanDocument } from '../../lambda/engine/plan/plan-document.ts';
import { parsePlan } from '../../lambda/engine/plan/plan-document.ts';
import type { SnapshotLine } from '../../lambda/engine/snapshot/snapshot-line.ts';
import type { Harness } from '../engine/engine-harness.ts';
import { makeHarness, readReport, rowAt, runToEnd } from '../engine/engine-harness.ts';

const ACCOUNT = { host: 'acme.onelogin.com', accountId: 4242 };
const COUNT = 30;
const TUNING = { chunkRows: 8, deleteBatch: 7 };

function users(): ResolvedUser[] {
  return Array.from({ length: COUNT }, (_, i) => ({
    id: 2001 + i,
    username: `person${2001 + i}`,
    email: `person${2001 + i}@example.com`,
    firstname: `First${i}`,
    lastname: `Last${i}`,
    name: `First${i} Last${i}`,
    status: 1,
    state: 1,
    directory_id: null,
    updatedAt: '2026-11-01T00:00:00Z',
    lastLogin: null,
  }));
}

const CSV = `id\n${users()
  .map((user) => user.id)
  .join('\n')}\n`;

async function dryRun(options: Partial<JobOptions> = {}): Promise<{ h: Harness; plan: PlanDocument }> {
  const h = makeHarness({
    csv: CSV,
    users: users(),
    directory: { account: ACCOUNT, idBatchSize: 9, pageSize: 9 },
    spec: { options },
    tuning: TUNING,
  });
  expect((await runToEnd(h)).status).toBe('completed');
  const text = h.store.text('reports/job-1/plan.json');
  if (text === undefined) throw new Error('no plan.json');
  return { h, plan: parsePlan(text) };
}

/** A live run of `action` over the dry run's directory, an hour later, bound to `plan`. */
async function boundRun(dry: Harness, plan: PlanDocument, action: 'suspend' | 'delete', options: Partial<JobOptions>) {
  const live = makeHarness({
    csv: CSV,
    users: [],
    spec: {
      id: 'job-2',
      mode: 'live',
      action,
      reportPrefix: 'reports/job-2/',
      statePrefix: 'state/job-2/',
      plan,
      options: { planMaxAgeHours: 72, ...options },
    },
    tuning: TUNING,
  });
  live.deps.directory = dry.directory;
  live.directory = dry.directory;
  live.clock.time = dry.clock.time + 3_600_000;
  const result = await runToEnd(live);
  return { live, result, report: readReport(live) };
}

/** The directory's statuses of `ids` now (read after the run's own calls were counted). */
async function statusesOf(h: Harness, ids: readonly number[]): Promise<unknown[]> {
  const found = new Map<number, unknown>();
  for (let i = 0; i < ids.length; i += h.directory.idBatchSize) {
    const batch = ids.slice(i, i + h.directory.idBatchSize);
    for (const user of await h.directory.getUsersByIds(batch)) found.set(user.id, user.status);
  }
  return ids.map((id) => found.get(id));
}

describe('a live suspension bound to its plan', () => {
  it('suspends the planned users; one changed since the plan is changed-since-plan and keeps its status', async () => {
    const { h, plan } = await dryRun();
    expect(plan.users).toHaveLength(COUNT);
    const changed = 2001 + 17;
    h.directory.changeOutOfBand(changed, { email: 'moved@example.com', updatedAt: '2026-11-28T12:30:00Z' });
    const { live, result, report } = await boundRun(h, plan, 'suspend', {});
    expect(result.status).toBe('completed');
    expect(rowAt(report, 17 + 2)).toMatchObject({ outcome: 'rejected', reason: 'changed-since-plan' });
    expect(report.summary.suspended).toBe(COUNT - 1);
    const others = users().filter((user) => user.id !== changed);
    expect(await statusesOf(live, [changed])).toEqual([1]);
    expect(
      await statusesOf(
        live,
        others.map((user) => user.id),
      ),
    ).toEqual(others.map(() => 2));
    expect(h.directory.deletedIds).toHaveLength(0);
    expect([...h.directory.loggedOut].sort()).toEqual(others.map((user) => user.id));
    const lines = (live.store.text('reports/job-2/snapshot.jsonl') ?? '')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as SnapshotLine);
    expect(lines.map((line) => line.user.id).sort()).toEqual(others.map((user) => user.id));
    expect(lines.every((line) => line.action === 'suspend' && line.previousStatus === 1)).toBe(true);
  });

  it('under onlySuspended: the dry run refuses every active user, its suspension suspends them, a deletion does not', async () => {
    const onlySuspended = { onlySuspended: true };
    const { h, plan } = await dryRun(onlySuspended);
    expect(plan.users).toHaveLength(0);
    expect(new Set(plan.otherRows?.map((row) => row.reason))).toEqual(new Set(['not-suspended']));

    const deletion = await boundRun(h, plan, 'delete', onlySuspended);
    expect(deletion.report.summary.rejected).toBe(COUNT);
    expect(h.directory.deletedIds).toHaveLength(0);
    expect(h.directory.callsByMethod.setUserStatus).toBe(0);

    const changed = 2001 + 4;
    h.directory.changeOutOfBand(changed, { state: 3 });
    const suspension = await boundRun(h, plan, 'suspend', onlySuspended);
    expect(suspension.result.status).toBe('completed');
    expect(suspension.report.summary.suspended).toBe(COUNT - 1);
    expect(rowAt(suspension.report, 4 + 2)).toMatchObject({ outcome: 'rejected', reason: 'changed-since-plan' });
    expect(await statusesOf(suspension.live, [changed])).toEqual([1]);
    expect(h.directory.deletedIds).toHaveLength(0);
  });

  it('an unbound suspension under onlySuspended suspends active users too (the guard is for deletions)', async () => {
    const h = makeHarness({
      csv: CSV,
      users: users(),
      directory: { account: ACCOUNT, idBatchSize: 9 },
      spec: { mode: 'live', action: 'suspend', options: { onlySuspended: true } },
      tuning: TUNING,
    });
    expect((await runToEnd(h)).status).toBe('completed');
    expect(readReport(h).summary.suspended).toBe(COUNT);
    expect(
      await statusesOf(
        h,
        users().map((user) => user.id),
      ),
    ).toEqual(users().map(() => 2));
  });
});
