// Stop a live run at every write it makes (before the write, after it, or by its deadline) and between a DELETE and its
// answer; resume until done; the result must be the uninterrupted run's: each planned user deleted once, nobody else,
// every row exactly one outcome.
import { describe, expect, it } from 'vitest';
import { InMemoryUserDirectory } from '../../lambda/adapters/in-memory-user-directory.ts';
import type { EngineDeps, JobSpec } from '../../lambda/engine/job.ts';
import { runJobStep } from '../../lambda/engine/job-runner.ts';
import type { ResolvedUser } from '../../lambda/engine/outcomes.ts';
import type { Report } from './engine-harness.ts';
import { csvSource, expectConsistent, FakeClock, makeSpec, makeUsers, silentLogger } from './engine-harness.ts';
import type { FaultKind } from './faulty-store.ts';
import { FaultyStore, StopHere } from './faulty-store.ts';

const users: ResolvedUser[] = [
  ...makeUsers(300),
  { id: 5001, username: 'twin-a', email: 'twin@example.com' },
  { id: 5002, username: 'twin-b', email: 'twin@example.com' },
];

function inputCsv(): string {
  const lines = ['id,username,email'];
  for (let i = 0; i < 30; i += 1) lines.push(`${1001 + i},,`);
  for (let i = 30; i < 55; i += 1) lines.push(`,,user${1001 + i}@example.com`);
  for (let i = 55; i < 70; i += 1) lines.push(`,user${1001 + i},`);
  lines.push(
    '1001,,',
    ',user1002,',
    ',,twin@example.com',
    '999999,,',
    ',,nobody@example.com',
    '1100,,',
    '1003,,user1004@example.com',
  );
  return `${lines.join('\n')}\n`;
}

const spec: JobSpec = makeSpec({ mode: 'live', options: { protect: ['user1100'] } });

function newRun(directoryOptions: { pageSize: number; idBatchSize: number }) {
  const store = new FaultyStore();
  const directory = new InMemoryUserDirectory(users, directoryOptions);
  const deps: EngineDeps = {
    store,
    input: csvSource(inputCsv()),
    directory,
    clock: new FakeClock(),
    logger: silentLogger,
    tuning: {
      chunkRows: 16,
      lookupSliceRows: 5,
      deleteBatch: 4,
      deleteConcurrency: 3,
      indexPartUsers: 7,
      listingPagesPerSave: 3,
    },
  };
  return { store, directory, deps };
}

function summaryOf(report: Report) {
  return report.rows.map((row) => `${row.line}:${row.outcome}:${row.reason ?? ''}:${row.user?.id ?? ''}`);
}

async function finish(run: ReturnType<typeof newRun>, maxSteps = 500): Promise<void> {
  for (let step = 0; step < maxSteps; step += 1) {
    try {
      const result = await runJobStep(spec, run.deps, { signal: run.store.controller.signal });
      if (result.done) return;
    } catch (error) {
      if (!(error instanceof StopHere)) throw error;
    }
    if (run.store.controller.signal.aborted) run.store.failAt = 0;
    (run.store as { controller: AbortController }).controller.signal.aborted && resetController(run.store);
  }
  throw new Error('job did not finish');
}

function resetController(store: FaultyStore): void {
  Object.defineProperty(store, 'controller', { value: new AbortController() });
}

function readReport(store: FaultyStore): Report {
  const report = JSON.parse(store.inner.text('reports/job-1/report.json') ?? 'null') as Report;
  expectConsistent(report);
  return report;
}

describe.each([
  { strategy: 'lookup', directory: { pageSize: 2, idBatchSize: 5 } },
  { strategy: 'listing', directory: { pageSize: 10, idBatchSize: 5 } },
])('resume after a stop at any point ($strategy strategy)', ({ strategy, directory }) => {
  it('every kill point ends like the uninterrupted run', async () => {
    const reference = newRun(directory);
    await finish(reference);
    // Two findUsers more than the rows' own lookups: the identifier-mismatch row's email, looked up for the report, and
    // the protect value, looked up once to warn if it matched no user.
    if (strategy === 'listing')
      expect(reference.directory.callsByMethod).toMatchObject({ listAllUsers: 31, findUsers: 2 });
    else expect(reference.directory.callsByMethod).toMatchObject({ listAllUsers: 0, findUsers: 45 });
    const expected = readReport(reference.store);
    const plannedIds = new Set(reference.directory.deletedIds);
    expect(plannedIds.size).toBe(70);
    expect(expected.summary).toMatchObject({ deleted: 70, rejected: 5, 'not-found': 2, rows: 77 });
    const totalPuts = reference.store.puts;
    expect(totalPuts).toBeGreaterThan(50);

    const kinds: FaultKind[] = ['throw-before-write', 'throw-after-write', 'deadline'];
    for (const kind of kinds) {
      for (let at = 1; at <= totalPuts; at += 1) {
        const run = newRun(directory);
        run.store.kind = kind;
        run.store.failAt = at;
        await finish(run);
        const label = `${kind} at write ${at}`;
        const report = readReport(run.store);
        expect(summaryOf(report), label).toEqual(summaryOf(expected));
        expect(new Set(run.directory.deletedIds), label).toEqual(plannedIds);
        expect(run.directory.deletedIds, label).toHaveLength(plannedIds.size);
        expect(report.job.status, label).toBe('completed');
      }
    }
  });

  it('an answer lost after the DELETE took effect is confirmed on resume, never deleted twice', async () => {
    for (const lostAt of [1, 2, 5, 13, 40, 70]) {
      const run = newRun(directory);
      let deletes = 0;
      run.directory.afterDelete = () => {
        deletes += 1;
        if (deletes === lostAt) throw new StopHere();
      };
      await finish(run);
      const report = readReport(run.store);
      expect(report.summary.deleted, `lost at ${lostAt}`).toBe(70);
      expect(report.summary['already-absent']).toBe(0);
      expect(run.directory.deletedIds).toHaveLength(70);
      const confirmed = report.rows.filter((row) => row.message === 'confirmed deleted after an interrupted step');
      expect(confirmed.length).toBeGreaterThanOrEqual(1);
    }
  });
});
