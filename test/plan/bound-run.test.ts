// The engine side of reviewed plans (docs/plans.md): plan.json from a dry run, a live run bound to it, its refusals, and
// the account guard. Over the in-memory directory; the same over real HTTP is in plan-cli-emulator.test.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runJobStep } from '../../lambda/engine/job-runner.ts';
import type { ResolvedUser } from '../../lambda/engine/outcomes.ts';
import type { PlanDocument } from '../../lambda/engine/plan/plan-document.ts';
import { parsePlan } from '../../lambda/engine/plan/plan-document.ts';
import type { Harness } from '../engine/engine-harness.ts';
import { makeHarness, readReport, rowAt, runToEnd } from '../engine/engine-harness.ts';

const ACCOUNT = { host: 'acme.onelogin.com', accountId: 4242 };

function richUsers(): ResolvedUser[] {
  return Array.from({ length: 20 }, (_, i) => ({
    id: 1001 + i,
    username: `user${1001 + i}`,
    email: `user${1001 + i}@example.com`,
    firstname: `First${i}`,
    lastname: `Last${i}`,
    name: `First${i} Last${i}`,
    status: 1,
    state: 1,
    directory_id: null,
    updatedAt: '2026-11-01T00:00:00Z',
    lastLogin: i % 2 === 0 ? '2026-10-01T00:00:00Z' : null,
  }));
}

// Lines: 2 → 1001 (id), 3 → 1002 (email), 4 → not found, 5 → duplicate of 1001, 6 → 1003, 7 → 1004, 8 → invalid id.
const CSV = 'id,email\n1001,\n,user1002@example.com\n999999,\n1001,\n1003,\n1004,\nabc,\n';

async function dryRun(csv = CSV, users = richUsers()): Promise<{ h: Harness; plan: PlanDocument; text: string }> {
  const h = makeHarness({ csv, users, directory: { account: ACCOUNT } });
  await runToEnd(h);
  const text = h.store.text('reports/job-1/plan.json');
  if (text === undefined) throw new Error('no plan.json');
  return { h, plan: parsePlan(text), text };
}

/** A live run over the dry run's directory (same users, changed as the test says), bound to `plan`. */
function boundHarness(dry: Harness, plan: PlanDocument, csv = CSV, options: Record<string, unknown> = {}): Harness {
  const live = makeHarness({
    csv,
    users: [],
    directory: { account: ACCOUNT },
    spec: {
      id: 'job-2',
      mode: 'live',
      reportPrefix: 'reports/job-2/',
      statePrefix: 'state/job-2/',
      plan,
      options: { planMaxAgeHours: 72, ...options },
    },
  });
  live.deps.directory = dry.directory;
  live.directory = dry.directory;
  live.clock.time = dry.clock.time + 3_600_000;
  return live;
}

describe('a dry run writes plan.json', () => {
  it('binds the plan to the input bytes and the account, lists every would-delete user, keeps the other rows', async () => {
    const { h, plan } = await dryRun();
    expect(plan).toMatchObject({
      schemaVersion: 1,
      kind: 'plan',
      jobId: 'job-1',
      input: { name: 'users.csv', sha256: createHash('sha256').update(CSV).digest('hex'), rows: 7 },
      account: ACCOUNT,
      settings: { protect: [], maxPercent: 100, maxDeletions: null },
    });
    expect(plan.planId).toMatch(/^[0-9a-f]{24}$/);
    expect(plan.users.map((user) => [user.line, user.id])).toEqual([
      [2, 1001],
      [3, 1002],
      [6, 1003],
      [7, 1004],
    ]);
    expect(plan.users[0]).toEqual({
      line: 2,
      id: 1001,
      username: 'user1001',
      email: 'user1001@example.com',
      firstname: 'First0',
      lastname: 'Last0',
      status: 1,
      state: 1,
      directory_id: null,
      updated_at: '2026-11-01T00:00:00Z',
      last_login: '2026-10-01T00:00:00Z',
    });
    expect(plan.otherRows?.map((row) => [row.line, row.outcome, row.reason])).toEqual([
      [4, 'not-found', undefined],
      [5, 'rejected', 'duplicate'],
      [8, 'rejected', 'invalid-id'],
    ]);
    const report = readReport(h);
    expect(report.input?.sha256).toBe(plan.input.sha256);
  });
});

describe('a live run bound to its plan', () => {
  it('deletes the unchanged planned users only, and rows the plan did not approve keep its outcome', async () => {
    const { h: dry, plan } = await dryRun();
    const live = boundHarness(dry, plan);
    dry.directory.changeOutOfBand(1002, { email: 'someone.else@example.com' });
    dry.directory.changeOutOfBand(1003, { lastLogin: new Date(live.clock.time - 60_000).toISOString() });
    dry.directory.removeOutOfBand(1004);
    const callsBefore = dry.directory.callsByMethod.findUsers;
    const result = await runToEnd(live);
    expect(result.status).toBe('completed');
    expect(dry.directory.deletedIds).toEqual([1001]);
    const report = readReport(live);
    expect(rowAt(report, 2)).toMatchObject({ outcome: 'deleted', user: { id: 1001 } });
    expect(rowAt(report, 3)).toMatchObject({ outcome: 'rejected', reason: 'changed-since-plan' });
    expect(rowAt(report, 3).message).toContain('email');
    expect(rowAt(report, 6)).toMatchObject({ outcome: 'rejected', reason: 'changed-since-plan' });
    expect(rowAt(report, 6).message).toContain('signed in');
    expect(rowAt(report, 7)).toMatchObject({ outcome: 'already-absent', user: { id: 1004 } });
    expect(rowAt(report, 4)).toMatchObject({ outcome: 'not-found' });
    expect(rowAt(report, 5)).toMatchObject({ outcome: 'rejected', reason: 'duplicate' });
    expect(rowAt(report, 8)).toMatchObject({ outcome: 'rejected', reason: 'invalid-id' });
    // Rows are not resolved again: no search by email, only the plan's ids fetched again.
    expect(dry.directory.callsByMethod.findUsers).toBe(callsBefore);
    expect(report.plan).toEqual({ planId: plan.planId, createdAt: plan.createdAt });
  });

  it('never deletes a user re-created with a listed email: only the planned id can be deleted', async () => {
    const { h: dry, plan } = await dryRun();
    dry.directory.removeOutOfBand(1002);
    const live = boundHarness(dry, plan);
    const recreated = { ...richUsers()[1], id: 5000 } as ResolvedUser;
    (live.directory as unknown as { users: Map<number, ResolvedUser> }).users.set(5000, recreated);
    await runToEnd(live);
    expect(dry.directory.has(5000)).toBe(true);
    expect(dry.directory.deleteRequests).not.toContain(5000);
    expect(rowAt(readReport(live), 3)).toMatchObject({ outcome: 'already-absent', user: { id: 1002 } });
  });

  it('a protect value given to the live run still protects a planned user', async () => {
    const { h: dry, plan } = await dryRun();
    const live = boundHarness(dry, plan, CSV, { protect: ['user1003'] });
    await runToEnd(live);
    expect(dry.directory.deletedIds.sort()).toEqual([1001, 1002, 1004]);
    expect(rowAt(readReport(live), 6)).toMatchObject({ outcome: 'rejected', reason: 'protected' });
  });

  it.each([
    ['another file', { csv: `${CSV}1005,\n` }, 'not-approved'],
    ['an expired plan', { age: 73 }, 'not-approved'],
    ['another account', { accountId: 999 }, 'wrong-account'],
    ['another host', { host: 'other.onelogin.com' }, 'wrong-account'],
    ['a run that names no maximum plan age', { planMaxAgeHours: undefined }, 'not-approved'],
  ] as const)('refuses %s as a whole: zero DELETEs, every row rejected, no retry.csv', async (_name, change, code) => {
    const { h: dry, plan } = await dryRun();
    const csv = 'csv' in change ? change.csv : CSV;
    const live = boundHarness(dry, plan, csv, 'planMaxAgeHours' in change ? { planMaxAgeHours: undefined } : {});
    if ('age' in change) live.clock.time = Date.parse(plan.createdAt) + change.age * 3_600_000;
    if ('accountId' in change || 'host' in change) {
      const account = { ...ACCOUNT, ...change };
      live.deps.directory = Object.assign(Object.create(dry.directory), { account: async () => account });
    }
    const result = await runToEnd(live);
    expect(result).toMatchObject({ status: 'rejected', error: { code } });
    expect(dry.directory.deleteRequests).toEqual([]);
    const report = readReport(live);
    for (const row of report.rows) expect(row.outcome).toBe('rejected');
    expect(rowAt(report, 2).reason).toBe(code);
    expect(live.store.text('reports/job-2/retry.csv')).toBeUndefined();
  });

  it('is resumable: a job stopped after every chunk it saves ends with the same outcomes', async () => {
    const { h: dry, plan } = await dryRun();
    const live = boundHarness(dry, plan);
    live.deps.tuning = { chunkRows: 2 };
    dry.directory.removeOutOfBand(1004);
    const store = live.deps.store;
    let controller = new AbortController();
    live.deps.store = {
      get: (key) => store.get(key),
      delete: (key) => store.delete(key),
      put: async (key, body, type) => {
        await store.put(key, body, type);
        if (key.startsWith('state/job-2/chunks/')) controller.abort();
      },
    };
    let steps = 0;
    for (; steps < 100; steps += 1) {
      controller = new AbortController();
      if ((await runJobStep(live.spec, live.deps, { signal: controller.signal })).done) break;
    }
    expect(steps).toBeGreaterThan(4);
    expect(dry.directory.deletedIds.sort()).toEqual([1001, 1002, 1003]);
    expect(dry.directory.deleteRequests.sort()).toEqual([1001, 1002, 1003]);
    expect(rowAt(readReport(live), 7).outcome).toBe('already-absent');
  });
});

describe('the account guard', () => {
  it('refuses a run whose credentials reach another account before any other call', async () => {
    const h = makeHarness({
      csv: CSV,
      users: richUsers(),
      directory: { account: ACCOUNT },
      spec: { mode: 'live', options: { expectedAccountId: 1 } },
    });
    const result = await runToEnd(h);
    expect(result).toMatchObject({ status: 'rejected', error: { code: 'wrong-account' } });
    expect(result.error?.message).toContain('4242');
    const { account, ...others } = h.directory.callsByMethod;
    expect(account).toBe(1);
    expect(Object.values(others).every((calls) => calls === 0)).toBe(true);
    const report = readReport(h);
    expect(report.rows.filter((row) => row.outcome !== 'rejected')).toEqual([]);
    expect(rowAt(report, 2)).toMatchObject({ reason: 'wrong-account' });
    expect(h.store.text('reports/job-1/retry.csv')).toBeUndefined();
  });

  it('lets the run go on when the account is the expected one', async () => {
    const h = makeHarness({
      csv: CSV,
      users: richUsers(),
      directory: { account: ACCOUNT },
      spec: { options: { expectedAccountId: 4242 } },
    });
    expect((await runToEnd(h)).status).toBe('completed');
  });
});
