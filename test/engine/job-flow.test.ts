import { describe, expect, it } from 'vitest';
import {
  DirectoryCallError,
  DirectoryUnavailableError,
  WaitRequiredError,
} from '../../lambda/engine/directory-errors.ts';
import type { JobProgress } from '../../lambda/engine/job.ts';
import { abortJob, readJobStatus, runJobStep } from '../../lambda/engine/job-runner.ts';
import { emptyApiCalls } from '../../lambda/engine/ports.ts';
import { readStatusDocument } from '../../lambda/engine/status-document.ts';
import { makeHarness, makeUsers, readReport, rowAt, runToEnd } from './engine-harness.ts';

const users = makeUsers(100);
const idCsv = (ids: number[]) => `id\n${ids.join('\n')}\n`;
const firstIds = (n: number) => users.slice(0, n).map((u) => u.id);

describe('deletion budget', () => {
  it.each(['live'] as const)('%s: over max-deletions refuses the whole job before any deletion', async (mode) => {
    const csv = `id\n${firstIds(3).join('\n')}\n999999\n`;
    const h = makeHarness({ csv, users, spec: { mode, options: { maxDeletions: 2 } } });
    const result = await runToEnd(h);
    expect(result.status).toBe('rejected');
    expect(result.error?.code).toBe('over-budget');
    expect(result.error?.message).toContain('3');
    const report = readReport(h);
    expect(report.job.status).toBe('rejected');
    expect(report.summary).toMatchObject({ rejected: 3, 'not-found': 1, deleted: 0, 'would-delete': 0 });
    expect(report.rows.filter((r) => r.reason === 'over-budget')).toHaveLength(3);
    expect(h.directory.callsByMethod.deleteUser).toBe(0);
    expect(h.directory.size).toBe(100);
  });

  it.each([
    { planned: 10, maxPercent: 10, refused: false },
    { planned: 11, maxPercent: 10, refused: true },
    { planned: 100, maxPercent: 99, refused: true },
    { planned: 100, maxPercent: 100, refused: false },
  ])(
    'live: $planned of 100 users with max-percent $maxPercent → refused $refused',
    async ({ planned, maxPercent, refused }) => {
      const h = makeHarness({ csv: idCsv(firstIds(planned)), users, spec: { mode: 'live', options: { maxPercent } } });
      const result = await runToEnd(h);
      expect(result.status).toBe(refused ? 'rejected' : 'completed');
      expect(h.directory.deletedIds).toHaveLength(refused ? 0 : planned);
      if (refused) expect(result.error?.message).toMatch(/11|100/);
    },
  );

  it('a dry run over budget lists its would-delete rows and says which setting a live run would need', async () => {
    const h = makeHarness({ csv: idCsv(firstIds(20)), users, spec: { options: { maxPercent: 10 } } });
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    const report = readReport(h);
    expect(report.summary).toMatchObject({ 'would-delete': 20, rejected: 0 });
    expect(report.summary.budget).toEqual({
      wouldRefuse: true,
      reason: 'over-budget',
      message: expect.stringContaining('20 of the account'),
      setting: 'maxPercent 20',
    });
    expect(h.directory.callsByMethod.deleteUser).toBe(0);
  });

  it('a dry run over max-deletions names the CLI flag when the CLI runs it', async () => {
    const csv = `id\n${firstIds(3).join('\n')}\n999999\n`;
    const h = makeHarness({ csv, users, spec: { options: { maxDeletions: 2, settingNames: 'cli' } } });
    await runToEnd(h);
    const report = readReport(h);
    expect(report.summary).toMatchObject({ 'would-delete': 3, 'not-found': 1 });
    expect(report.summary.budget?.setting).toBe('--max-deletions 3');
  });

  it('a dry run within budget has no budget verdict', async () => {
    const h = makeHarness({ csv: idCsv(firstIds(10)), users, spec: { options: { maxPercent: 10 } } });
    await runToEnd(h);
    expect(readReport(h).summary.budget).toBeUndefined();
  });
});

describe('dry run and live run', () => {
  it('a dry run deletes nothing and reports would-delete with the user', async () => {
    const h = makeHarness({ csv: idCsv(firstIds(5)), users });
    const result = await runToEnd(h);
    expect(result).toMatchObject({ done: true, status: 'completed', phase: 'done' });
    expect(h.directory.callsByMethod.deleteUser).toBe(0);
    expect(h.directory.size).toBe(100);
    const report = readReport(h);
    expect(report.rows[0]).toMatchObject({ line: 2, input: { id: '1001' }, outcome: 'would-delete', user: users[0] });
    expect(report.job).toMatchObject({ id: 'job-1', mode: 'dry-run', source: 'users.csv', status: 'completed' });
    expect(result.reports).toEqual({
      json: 'reports/job-1/report.json',
      csv: 'reports/job-1/report.csv',
      html: 'reports/job-1/report.html',
      plan: 'reports/job-1/plan.json',
    });
  });

  it('a live run deletes exactly the planned users, once each', async () => {
    const csv = `id,email\n1001,\n,user1002@example.com\n1001,\n999999,\n,user1003@EXAMPLE.com\n`;
    const h = makeHarness({ csv, users, spec: { mode: 'live' } });
    const progress: JobProgress[] = [];
    h.deps.onProgress = (p) => progress.push(p);
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    expect([...h.directory.deletedIds].sort()).toEqual([1001, 1002, 1003]);
    expect(h.directory.deleteRequests).toHaveLength(3);
    const report = readReport(h);
    expect(report.summary).toMatchObject({ deleted: 3, rejected: 1, 'not-found': 1, rows: 5 });
    expect(report.summary.apiCallsByKind.delete).toBe(3);
    expect(rowAt(report, 4).reason).toBe('duplicate');
    expect(progress.at(-1)).toMatchObject({ phase: 'done', rowsDone: 5, rowsTotal: 5 });
    const status = await readStatusDocument(h.store, 'reports/job-1/');
    expect(status).toMatchObject({ jobId: 'job-1', status: 'completed', phase: 'done', rowsTotal: 5, rowsDone: 5 });
    expect(h.store.has('reports/job-1/retry.csv')).toBe(false);
  });

  it('a user gone between plan and delete is already-absent', async () => {
    const h = makeHarness({ csv: idCsv(firstIds(3)), users, spec: { mode: 'live' } });
    const planned = await runJobStep(h.spec, h.deps, { stopAfterPlan: true });
    expect(planned).toMatchObject({ done: false, phase: 'apply', plan: { toDelete: 3, accountUsers: 100, rows: 3 } });
    expect(h.directory.callsByMethod.deleteUser).toBe(0);
    h.directory.removeOutOfBand(1002);
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 3)).toMatchObject({ outcome: 'already-absent', user: { id: 1002 } });
    expect(report.summary).toMatchObject({ deleted: 2, 'already-absent': 1 });
  });

  it('a failed delete ends failed with its reason and goes to retry.csv in the input columns', async () => {
    const csv = 'email,Note,id\n"user1001@example.com",x,1001\n,y,1002\n"=cmd|user1003@example.com",z,\n';
    const h = makeHarness({
      csv,
      users,
      spec: { mode: 'live' },
      directory: {
        beforeCall: (call) => {
          if (call.method === 'deleteUser' && call.argument === 1002)
            throw new DirectoryCallError('http-500', 'server error 500');
        },
      },
    });
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    expect(result.reports?.retry).toBe('reports/job-1/retry.csv');
    const report = readReport(h);
    expect(rowAt(report, 3)).toMatchObject({ outcome: 'failed', reason: 'http-500' });
    expect(report.input?.columns).toEqual(['email', 'id']);
    expect(h.store.text('reports/job-1/retry.csv')).toBe('email,id\r\n,1002\r\n');
    expect(h.directory.has(1002)).toBe(true);
  });

  it('a lookup that fails ends its rows failed (retry.csv), other rows go on', async () => {
    const h = makeHarness({
      csv: 'email\nuser1001@example.com\nuser1002@example.com\n',
      users: makeUsers(1_000),
      directory: {
        beforeCall: (call) => {
          if (call.method === 'findUsers' && call.argument === 'user1001@example.com')
            throw new DirectoryCallError('timeout', 'timed out');
        },
      },
    });
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 2)).toMatchObject({ outcome: 'failed', reason: 'timeout' });
    expect(rowAt(report, 3).outcome).toBe('would-delete');
    expect(h.store.text('reports/job-1/retry.csv')).toBe('email\r\nuser1001@example.com\r\n');
  });
});

describe('directory unavailable, rate-limit waits, abort', () => {
  const unavailableOn = (method: string, nth: number) => {
    let seen = 0;
    return (call: { method: string }) => {
      if (call.method === method && ++seen >= nth)
        throw new DirectoryUnavailableError('unauthorized', 'credentials refused');
    };
  };

  it('before the first deletion → rejected, nothing deleted, every row rejected with the reason, no retry.csv', async () => {
    const h = makeHarness({
      csv: idCsv(firstIds(5)),
      users,
      spec: { mode: 'live' },
      directory: { beforeCall: unavailableOn('deleteUser', 1) },
    });
    const result = await runToEnd(h);
    expect(result).toMatchObject({ done: true, status: 'rejected', error: { code: 'unauthorized' } });
    expect(h.directory.deletedIds).toHaveLength(0);
    const report = readReport(h);
    expect(report.summary).toMatchObject({ failed: 0, rejected: 5 });
    expect(report.rows.every((r) => r.outcome === 'rejected' && r.reason === 'unauthorized')).toBe(true);
    expect(result.reports?.retry).toBeUndefined();
    expect(h.store.text('reports/job-1/retry.csv')).toBeUndefined();
  });

  it('while resolving → rejected before any call could change anything', async () => {
    const h = makeHarness({
      csv: 'email\nuser1001@example.com\n',
      users,
      spec: { mode: 'live' },
      directory: { beforeCall: unavailableOn('findUsers', 1) },
    });
    const result = await runToEnd(h);
    expect(result).toMatchObject({ status: 'rejected', error: { code: 'unauthorized' } });
    expect(readReport(h).rows.map((r) => [r.outcome, r.reason])).toEqual([['rejected', 'unauthorized']]);
    expect(h.store.text('reports/job-1/retry.csv')).toBeUndefined();
  });

  it('the account count failing after retries → rejected with its reason, rows rejected, no retry.csv', async () => {
    const h = makeHarness({
      csv: idCsv(firstIds(2)),
      users,
      spec: { mode: 'live' },
      directory: {
        beforeCall: (call) => {
          if (call.method === 'countUsers') throw new DirectoryCallError('http-503', 'service unavailable');
        },
      },
    });
    const result = await runToEnd(h);
    expect(result).toMatchObject({ done: true, status: 'rejected', error: { code: 'http-503' } });
    expect(readReport(h).summary).toMatchObject({ failed: 0, rejected: 2 });
    expect(readReport(h).rows.every((r) => r.reason === 'http-503')).toBe(true);
    expect(h.store.text('reports/job-1/retry.csv')).toBeUndefined();
    expect(h.directory.callsByMethod.deleteUser).toBe(0);
  });

  it('after the first deletion → aborted; done rows keep their outcome, the rest are failed', async () => {
    const h = makeHarness({
      csv: idCsv(firstIds(8)),
      users,
      spec: { mode: 'live' },
      directory: { beforeCall: unavailableOn('deleteUser', 7) },
    });
    const result = await runToEnd(h);
    expect(result.status).toBe('aborted');
    const report = readReport(h);
    expect(report.job.status).toBe('aborted');
    expect(report.summary.deleted).toBe(h.directory.deletedIds.length);
    expect(report.summary.deleted).toBe(6);
    expect(report.summary.failed).toBe(2);
    expect(report.rows.slice(6).every((r) => r.outcome === 'failed' && r.reason === 'unauthorized')).toBe(true);
  });

  it('WaitRequiredError → checkpoint and waitSeconds; the next step carries on', async () => {
    let thrown = false;
    const h = makeHarness({
      csv: idCsv(firstIds(30)),
      users,
      spec: { mode: 'live' },
      directory: {
        beforeCall: (call) => {
          if (call.method === 'deleteUser' && call.argument === 1025 && !thrown) {
            thrown = true;
            throw new WaitRequiredError(30_500);
          }
        },
      },
    });
    const first = await runJobStep(h.spec, h.deps);
    expect(first).toMatchObject({ done: false, waitSeconds: 31, phase: 'apply', status: 'running' });
    const deletedSoFar = h.directory.deletedIds.length;
    expect(deletedSoFar).toBeGreaterThan(0);
    expect(deletedSoFar).toBeLessThan(30);
    const second = await runJobStep(h.spec, h.deps);
    expect(second).toMatchObject({ done: true, status: 'completed' });
    expect(new Set(h.directory.deletedIds).size).toBe(30);
    expect(h.directory.deleteRequests).toHaveLength(30);
    expect(readReport(h).summary.deleted).toBe(30);
  });

  it.each([
    { name: 'per-value lookups', method: 'findUsers', pageSize: 1, nth: 30 },
    { name: 'a listing with cursors', method: 'listAllUsers', pageSize: 5, nth: 12 },
  ])(
    'WaitRequiredError while resolving ($name) → pause, then resume without losing or repeating rows',
    async ({ method, pageSize, nth }) => {
      let seen = 0;
      const csv = `email\n${users
        .slice(0, 60)
        .map((u) => u.email)
        .join('\n')}\n`;
      const h = makeHarness({
        csv,
        users,
        spec: { mode: 'live' },
        directory: {
          pageSize,
          beforeCall: (call) => {
            if (call.method === method && ++seen === nth) throw new WaitRequiredError(1_000);
          },
        },
      });
      const first = await runJobStep(h.spec, h.deps);
      expect(first).toMatchObject({ done: false, waitSeconds: 1, phase: 'resolve' });
      expect(h.directory.callsByMethod.deleteUser).toBe(0);
      await runToEnd(h);
      const report = readReport(h);
      expect(report.summary.deleted).toBe(60);
      expect(h.directory.deletedIds).toHaveLength(60);
      if (method === 'listAllUsers') expect(h.directory.callsByMethod.listAllUsers).toBe(21);
    },
  );

  it('abortJob lists the rows already processed and fails the rest with reason aborted', async () => {
    const controller = new AbortController();
    const h = makeHarness({
      csv: idCsv(firstIds(50)),
      users,
      spec: { mode: 'live' },
      directory: {
        beforeCall: (call) => void (call.method === 'deleteUser' && call.argument === 1020 && controller.abort()),
      },
    });
    const step = await runJobStep(h.spec, h.deps, { signal: controller.signal });
    expect(step.done).toBe(false);
    const deleted = h.directory.deletedIds.length;
    const result = await abortJob(h.spec, h.deps, { code: 'stopped', message: 'execution stopped by an operator' });
    expect(result).toMatchObject({ done: true, status: 'aborted', error: { code: 'stopped' } });
    const report = readReport(h);
    expect(report.summary.deleted).toBe(deleted);
    expect(report.summary.failed).toBe(50 - deleted);
    expect(report.rows.filter((r) => r.outcome === 'failed').every((r) => r.reason === 'aborted')).toBe(true);
    expect(h.store.text('reports/job-1/retry.csv')?.split('\r\n').filter(Boolean)).toHaveLength(1 + 50 - deleted);
    expect(h.directory.deletedIds).toHaveLength(deleted);
    expect((await readJobStatus(h.spec, h.deps))?.status).toBe('aborted');
    // A later step of an aborted job changes nothing.
    expect((await runJobStep(h.spec, h.deps)).status).toBe('aborted');
    expect(h.directory.deletedIds).toHaveLength(deleted);
  });

  it('abortJob after a step died mid-batch checks the DELETEs in flight: gone users are reported deleted', async () => {
    const h = makeHarness({ csv: idCsv(firstIds(10)), users, spec: { mode: 'live' } });
    let deletes = 0;
    h.directory.afterDelete = () => {
      if (++deletes === 3) throw new Error('process died');
    };
    await expect(runJobStep(h.spec, h.deps)).rejects.toThrow('process died');
    const gone = h.directory.deletedIds.length;
    expect(gone).toBeGreaterThanOrEqual(3);
    h.directory.afterDelete = undefined;
    const result = await abortJob(h.spec, h.deps, { code: 'stopped', message: 'stopped' });
    expect(result.status).toBe('aborted');
    const report = readReport(h);
    expect(report.summary.deleted).toBe(gone);
    expect(
      report.rows.filter((r) => r.message === 'confirmed deleted after the job was stopped').length,
    ).toBeGreaterThan(0);
    expect(report.summary.failed).toBe(10 - gone);
    expect(h.directory.deletedIds).toHaveLength(gone);
  });

  it('a whole-file rejection writes a rejected report and calls nothing', async () => {
    const h = makeHarness({ csv: 'name,phone\nx,y\n', users, spec: { mode: 'live' } });
    const result = await runToEnd(h);
    expect(result).toMatchObject({ done: true, status: 'rejected', error: { code: 'no-known-columns' } });
    const report = readReport(h);
    expect(report.rows).toEqual([]);
    expect(report.error?.code).toBe('no-known-columns');
    expect(h.directory.callCounts()).toEqual(emptyApiCalls());
  });
});
