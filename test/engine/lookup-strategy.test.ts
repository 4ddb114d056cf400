import { describe, expect, it } from 'vitest';
import { chooseStrategy } from '../../lambda/engine/lookup-strategy.ts';
import { emptyApiCalls } from '../../lambda/engine/ports.ts';
import { makeHarness, makeUsers, readReport, runToEnd } from './engine-harness.ts';

describe('chooseStrategy (cost model)', () => {
  it.each([
    {
      counts: { distinctIds: 120, distinctEmails: 0, distinctUsernames: 0 },
      account: 10_000,
      page: 100,
      batch: 50,
      expected: 'lookup',
      lookup: 3,
      listing: 100,
    },
    {
      counts: { distinctIds: 0, distinctEmails: 30, distinctUsernames: 5 },
      account: 10_000,
      page: 100,
      batch: 50,
      expected: 'lookup',
      lookup: 35,
      listing: 100,
    },
    {
      counts: { distinctIds: 40, distinctEmails: 30, distinctUsernames: 5 },
      account: 1_000,
      page: 100,
      batch: 50,
      expected: 'listing',
      lookup: 36,
      listing: 10,
    },
    {
      counts: { distinctIds: 0, distinctEmails: 300, distinctUsernames: 0 },
      account: 1_000,
      page: 100,
      batch: 50,
      expected: 'listing',
      lookup: 300,
      listing: 10,
    },
    {
      counts: { distinctIds: 1_000, distinctEmails: 0, distinctUsernames: 0 },
      account: 200,
      page: 100,
      batch: 10,
      expected: 'listing',
      lookup: 100,
      listing: 2,
    },
    {
      counts: { distinctIds: 0, distinctEmails: 10, distinctUsernames: 0 },
      account: 1_000,
      page: 100,
      batch: 50,
      expected: 'lookup',
      lookup: 10,
      listing: 10,
    },
    {
      counts: { distinctIds: 0, distinctEmails: 0, distinctUsernames: 0 },
      account: 0,
      page: 100,
      batch: 50,
      expected: 'lookup',
      lookup: 0,
      listing: 1,
    },
  ])('$counts in $account users → $expected', ({ counts, account, page, batch, expected, lookup, listing }) => {
    const choice = chooseStrategy(counts, account, page, batch);
    expect(choice.strategy).toBe(expected);
    expect(choice.lookupCalls).toBe(lookup);
    expect(choice.listingCalls).toBe(listing);
  });
});

function idRows(ids: number[]): string {
  return `id\n${ids.join('\n')}\n`;
}

describe('strategy in a run: calls counted by the directory', () => {
  it('ids only, small file in a large account → batched id lookups', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => 1001 + i);
    const h = makeHarness({ csv: idRows(ids), users: makeUsers(5_000), directory: { pageSize: 100, idBatchSize: 50 } });
    await runToEnd(h);
    expect(h.directory.callsByMethod).toMatchObject({ countUsers: 1, getUsersByIds: 3, findUsers: 0, listAllUsers: 0 });
    const report = readReport(h);
    expect(report.summary['would-delete']).toBe(120);
    expect(report.summary.apiCalls).toBe(4);
    expect(report.summary.apiCallsByKind).toEqual({ ...emptyApiCalls(), list: 4 });
  });

  it('few emails in a large account → one search per distinct email', async () => {
    const csv = 'email\nuser1001@example.com\nUSER1001@example.com\nuser1002@example.com\nnobody@example.com\n';
    const h = makeHarness({ csv, users: makeUsers(5_000), directory: { pageSize: 100 } });
    await runToEnd(h);
    expect(h.directory.callsByMethod).toMatchObject({ countUsers: 1, findUsers: 3, listAllUsers: 0, getUsersByIds: 0 });
    expect(readReport(h).summary).toMatchObject({ 'would-delete': 2, rejected: 1, 'not-found': 1 });
  });

  it('many emails in a small account → one listing pass that also serves the id rows', async () => {
    const users = makeUsers(250);
    const emails = users.slice(0, 60).map((u) => `,${u.email}`);
    const ids = users.slice(100, 160).map((u) => `${u.id},`);
    const h = makeHarness({
      csv: `id,email\n${[...emails, ...ids].join('\n')}\n`,
      users,
      directory: { pageSize: 100, idBatchSize: 50 },
    });
    await runToEnd(h);
    expect(h.directory.callsByMethod).toMatchObject({ countUsers: 1, listAllUsers: 3, findUsers: 0, getUsersByIds: 0 });
    expect(readReport(h).summary['would-delete']).toBe(120);
  });

  it('falls back to per-row lookups when the listing fails', async () => {
    const users = makeUsers(250);
    const csv = `email\n${users
      .slice(0, 40)
      .map((u) => u.email)
      .join('\n')}\n`;
    const { DirectoryCallError } = await import('../../lambda/engine/directory-errors.ts');
    const h = makeHarness({
      csv,
      users,
      directory: {
        pageSize: 100,
        beforeCall: (call) => {
          if (call.method === 'listAllUsers' && call.argument === 1)
            throw new DirectoryCallError('http-500', 'server error');
        },
      },
    });
    await runToEnd(h);
    expect(h.directory.callsByMethod.findUsers).toBe(40);
    expect(readReport(h).summary['would-delete']).toBe(40);
  });
});

describe('a listing that spans several steps', () => {
  async function listingRun(resumable: boolean) {
    const users = makeUsers(1_000);
    const csv = `email\n${users
      .slice(0, 300)
      .map((u) => u.email)
      .join('\n')}\n`;
    const { runJobStep } = await import('../../lambda/engine/job-runner.ts');
    const h = makeHarness({ csv, users, directory: { pageSize: 50 }, tuning: { listingPagesPerSave: 4 } });
    h.directory.resumableListing = resumable;
    // Each step may list 7 pages before its deadline.
    let steps = 0;
    for (;;) {
      steps += 1;
      let pagesThisStep = 0;
      const controller = new AbortController();
      h.directory.beforeCall = (call) => {
        if (call.method === 'listAllUsers' && ++pagesThisStep === 7) controller.abort();
      };
      const result = await runJobStep(h.spec, h.deps, { signal: controller.signal });
      if (result.done || steps > 10) break;
    }
    return { h, steps };
  }

  it('resumes after its last saved page when the directory gives cursors', async () => {
    const { h, steps } = await listingRun(true);
    expect(steps).toBe(3);
    expect(h.directory.callsByMethod.listAllUsers).toBe(20);
    expect(readReport(h).summary['would-delete']).toBe(300);
  });

  it('without cursors, starts again once, then falls back to per-row lookups', async () => {
    const { h, steps } = await listingRun(false);
    expect(steps).toBe(3);
    expect(h.directory.callsByMethod.listAllUsers).toBe(14);
    expect(h.directory.callsByMethod.findUsers).toBe(300);
    expect(readReport(h).summary['would-delete']).toBe(300);
  });
});
