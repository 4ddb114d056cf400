// Snapshots before every change, suspend first, and --only-suspended (docs/undo.md), with the in-memory directory.
import { describe, expect, it } from 'vitest';
import type { UserExtras } from '../../lambda/adapters/in-memory-user-directory.ts';
import type { Body } from '../../lambda/engine/ports.ts';
import type { SnapshotLine } from '../../lambda/engine/snapshot/snapshot-line.ts';
import type { Harness } from './engine-harness.ts';
import { makeHarness, makeUsers, readReport, rowAt, runToEnd } from './engine-harness.ts';
import { FaultyStore, StopHere } from './faulty-store.ts';

const USERS = makeUsers(60).map((user, i) => ({
  ...user,
  firstname: `First${i}`,
  lastname: `Last${i}`,
  status: i % 10 === 9 ? 2 : 1,
}));

function extrasFor(count: number): Map<number, UserExtras> {
  return new Map(
    USERS.slice(0, count).map((user, i) => [
      user.id,
      { custom_attributes: { cost_center: `cc-${i}`, badge: null }, role_ids: [i % 3 === 0 ? 11 : 12, 99] },
    ]),
  );
}

function idsCsv(count: number, first = 0): string {
  return `id\n${USERS.slice(first, first + count)
    .map((user) => user.id)
    .join('\n')}\n`;
}

function snapshotLines(h: Pick<Harness, 'store'>, key = 'reports/job-1/snapshot.jsonl'): SnapshotLine[] {
  const text = h.store.text(key);
  if (text === undefined) throw new Error(`no ${key}`);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SnapshotLine);
}

function liveHarness(options: Partial<Parameters<typeof makeHarness>[0]> = {}) {
  return makeHarness({
    csv: idsCsv(40),
    users: USERS,
    ...options,
    directory: { extras: extrasFor(60), account: { host: 'acme.onelogin.com', accountId: 7 }, ...options.directory },
    spec: { mode: 'live', ...options.spec },
  });
}

describe('snapshot.jsonl before every change', () => {
  it('holds each deleted user in full (custom attributes, roles, previous status), read again where the listing lacks them', async () => {
    const h = liveHarness();
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    expect(result.reports?.snapshot).toBe('reports/job-1/snapshot.jsonl');
    const lines = snapshotLines(h);
    expect(lines.map((line) => line.user.id)).toEqual(USERS.slice(0, 40).map((user) => user.id));
    const first = lines[0] as SnapshotLine;
    expect(first).toMatchObject({
      schemaVersion: 1,
      jobId: 'job-1',
      action: 'delete',
      line: 2,
      account: { host: 'acme.onelogin.com', accountId: 7 },
      user: { id: 1001, username: 'user1001', firstname: 'First0', custom_attributes: { cost_center: 'cc-0' } },
      roles: [11, 99],
      previousStatus: 1,
    });
    expect(first.missingFields).toBeUndefined();
    expect(lines[9]?.previousStatus).toBe(2);
    // The listing omits custom_attributes and role_ids: one GET per user; the GET carries role_ids.
    expect(h.directory.callsByMethod.getUserRecord).toBe(40);
    expect(h.directory.callsByMethod.getUserRoleIds).toBe(0);
    expect(h.directory.deletedIds).toHaveLength(40);
    const report = readReport(h);
    expect(report.snapshot).toEqual({ key: 'reports/job-1/snapshot.jsonl', lines: 40 });
  });

  it('basic reads nothing again and names what each line lacks', async () => {
    const h = liveHarness({ spec: { mode: 'live', options: { snapshot: 'basic' } } });
    await runToEnd(h);
    const lines = snapshotLines(h);
    expect(lines).toHaveLength(40);
    expect(lines[0]?.missingFields).toEqual(['custom_attributes', 'role_ids']);
    expect(lines[0]?.roles).toEqual([]);
    expect(h.directory.callsByMethod.getUserRecord + h.directory.callsByMethod.getUserRoleIds).toBe(0);
  });

  it('uses the listing when it carries custom attributes and roles: no read per user', async () => {
    const h = liveHarness({ directory: { listingOmits: [] } });
    await runToEnd(h);
    expect(snapshotLines(h)[5]?.user.custom_attributes).toEqual({ cost_center: 'cc-5', badge: null });
    expect(h.directory.callsByMethod.getUserRecord).toBe(0);
    // One batched record lookup per deletion batch (50) on top of the run's own calls.
    expect(h.directory.callsByMethod.getUserRecords).toBe(1);
  });

  it('reads the roles when the GET has no role_ids', async () => {
    const h = liveHarness({ directory: { listingOmits: ['custom_attributes', 'role_ids'] } });
    const getUserRecord = h.directory.getUserRecord.bind(h.directory);
    h.directory.getUserRecord = async (id) => {
      const record = await getUserRecord(id);
      if (record) delete record.role_ids;
      return record;
    };
    await runToEnd(h);
    expect(h.directory.callsByMethod.getUserRoleIds).toBe(40);
    expect(snapshotLines(h)[3]?.roles).toEqual([11, 99]);
  });

  it('a snapshot part that cannot be stored stops the run before any DELETE', async () => {
    const h = liveHarness();
    const put = h.store.put.bind(h.store);
    h.store.put = async (key: string, body: Body, type?: string) => {
      if (key.includes('/snapshot/')) throw new Error('S3 refused the write');
      return put(key, body, type);
    };
    await expect(runToEnd(h)).rejects.toThrow('S3 refused the write');
    expect(h.directory.deleteRequests).toEqual([]);
  });

  it('a kill between a snapshot part and its DELETEs: the resumed run keeps the lines, deletes each user once', async () => {
    for (const failAt of [1, 2, 3]) {
      const store = new FaultyStore();
      const h = liveHarness({ tuning: { deleteBatch: 7 } });
      h.deps.store = store;
      h.store = store.inner;
      // Fail the Nth write after the first snapshot part was stored.
      let armed = false;
      const put = store.put.bind(store);
      store.put = async (key, body, type) => {
        if (key.includes('/snapshot/') && !armed) {
          armed = true;
          store.failAt = store.puts + 1 + failAt;
          store.kind = 'throw-before-write';
        }
        return put(key, body, type);
      };
      await expect(runToEnd(h)).rejects.toBeInstanceOf(StopHere);
      store.failAt = 0;
      const result = await runToEnd(h);
      expect(result.status, `failAt ${failAt}`).toBe('completed');
      expect(new Set(h.directory.deletedIds).size).toBe(h.directory.deletedIds.length);
      expect(h.directory.deletedIds).toHaveLength(40);
      const ids = snapshotLines(h).map((line) => line.user.id);
      expect(ids).toEqual(USERS.slice(0, 40).map((user) => user.id));
    }
  });

  it('an aborted run keeps the lines of the users it changed, and only those', async () => {
    const h = liveHarness({ tuning: { deleteBatch: 10 } });
    let deletes = 0;
    h.directory.beforeCall = (call) => {
      if (call.method === 'deleteUser' && ++deletes > 15) throw new Error('crash');
    };
    await expect(runToEnd(h)).rejects.toThrow('crash');
    h.directory.beforeCall = undefined;
    const { abortJob } = await import('../../lambda/engine/job-runner.ts');
    const result = await abortJob(h.spec, h.deps);
    expect(result.status).toBe('aborted');
    const report = readReport(h);
    const lines = snapshotLines(h).map((line) => line.line);
    const linesOf = (outcome: string) => report.rows.filter((row) => row.outcome === outcome).map((row) => row.line);
    // Every deleted user has its line; the batch that was stopped keeps the lines of its users (they may have been
    // deleted); users of batches never prepared have none.
    expect(lines).toEqual(expect.arrayContaining(linesOf('deleted')));
    expect([...linesOf('deleted'), ...linesOf('failed')]).toEqual(expect.arrayContaining(lines));
    expect(lines).toHaveLength(20);
    expect(report.summary.deleted).toBeGreaterThanOrEqual(15);
  });

  it('a dry run writes no snapshot', async () => {
    const h = liveHarness({ spec: { mode: 'dry-run' } });
    const result = await runToEnd(h);
    expect(result.reports?.snapshot).toBeUndefined();
    expect(h.store.keys().some((key) => key.includes('snapshot'))).toBe(false);
  });
});

describe('suspend first', () => {
  it('suspends and signs out each user, keeping the previous status; a suspended one is already-suspended', async () => {
    const h = liveHarness({ csv: idsCsv(20), spec: { mode: 'live', action: 'suspend' } });
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    const report = readReport(h);
    expect(report.job.action).toBe('suspend');
    expect(report.summary.suspended).toBe(18);
    expect(report.summary['already-suspended']).toBe(2);
    expect(rowAt(report, 11).outcome).toBe('already-suspended');
    expect(h.directory.deletedIds).toEqual([]);
    for (const user of USERS.slice(0, 20)) {
      const [current] = await h.directory.getUsersByIds([user.id]);
      expect(current?.status).toBe(2);
    }
    expect(h.directory.loggedOut).toHaveLength(18);
    const lines = snapshotLines(h);
    expect(lines).toHaveLength(18);
    expect(lines.every((line) => line.action === 'suspend' && line.previousStatus === 1)).toBe(true);
  });

  it('a dry run says would-suspend and already-suspended, and changes nothing', async () => {
    const h = liveHarness({ csv: idsCsv(20), spec: { mode: 'dry-run', action: 'suspend' } });
    await runToEnd(h);
    const report = readReport(h);
    expect(report.summary['would-suspend']).toBe(18);
    expect(report.summary['already-suspended']).toBe(2);
    expect(report.summary['would-delete']).toBe(0);
    expect(h.directory.callsByMethod.setUserStatus).toBe(0);
    const plan = JSON.parse(h.store.text('reports/job-1/plan.json') as string) as { users: unknown[] };
    expect(plan.users).toHaveLength(18);
  });

  it('a sign-out that fails leaves the user suspended, and says so', async () => {
    const h = liveHarness({ csv: idsCsv(3), spec: { mode: 'live', action: 'suspend' } });
    const { DirectoryCallError } = await import('../../lambda/engine/directory-errors.ts');
    h.directory.beforeCall = (call) => {
      if (call.method === 'logOutUser') throw new DirectoryCallError('http-500', 'OneLogin answered 500');
    };
    await runToEnd(h);
    const row = rowAt(readReport(h), 2);
    expect(row.outcome).toBe('suspended');
    expect(row.message).toContain('signing the user out failed');
  });
});

describe('--only-suspended', () => {
  it('a dry run refuses every user who is not suspended', async () => {
    const h = liveHarness({ csv: idsCsv(20), spec: { mode: 'dry-run', options: { onlySuspended: true } } });
    await runToEnd(h);
    const report = readReport(h);
    expect(report.summary['would-delete']).toBe(2);
    expect(rowAt(report, 2)).toMatchObject({ outcome: 'rejected', reason: 'not-suspended' });
  });

  it('spares a user reactivated between the plan and the deletion', async () => {
    const h = liveHarness({ csv: idsCsv(20), spec: { mode: 'live', options: { onlySuspended: true } } });
    const plan = await import('../../lambda/engine/job-runner.ts').then((m) =>
      m.runJobStep(h.spec, h.deps, { stopAfterPlan: true }),
    );
    expect(plan.plan?.toDelete).toBe(2);
    // Someone reactivates user 1020 (line 21) in the admin console meanwhile.
    h.directory.changeOutOfBand(1020, { status: 1 });
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 11).outcome).toBe('deleted');
    expect(rowAt(report, 21)).toMatchObject({ outcome: 'rejected', reason: 'not-suspended' });
    expect(rowAt(report, 21).message).toContain('at delete time');
    expect(h.directory.has(1020)).toBe(true);
    expect(h.directory.deletedIds).toEqual([1010]);
  });
});
