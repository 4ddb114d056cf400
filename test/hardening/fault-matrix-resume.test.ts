// A step killed at random points (seeded) — before a write, after it, at its deadline, and between a DELETE and the
// checkpoint that records it — then resumed, against the emulator over HTTP. The end must be the uninterrupted run's.
import { afterEach, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../lambda/emulator/seeded-random.ts';
import { runJobStep } from '../../lambda/engine/job-runner.ts';
import type { FaultKind } from '../engine/faulty-store.ts';
import { FaultyStore, StopHere } from '../engine/faulty-store.ts';
import type { EngineWorld } from './engine-scenario.ts';
import { liveSpec, reportIn, startEngineWorld } from './engine-scenario.ts';
import type { PlanRow } from './hardening-tenant.ts';
import { emulatorUser, namedUsers, plainUsers } from './hardening-tenant.ts';
import type { RunReport } from './run-invariants.ts';
import { expectRunInvariants } from './run-invariants.ts';

const users = [
  ...plainUsers(120),
  emulatorUser(9001, 'twin-a', 'twin@example.com'),
  emulatorUser(9002, 'twin-b', 'twin@example.com'),
];
const rows: PlanRow[] = [
  ...Array.from({ length: 14 }, (_, i) => ({ id: String(2001 + i) })),
  ...Array.from({ length: 8 }, (_, i) => ({ email: `u${2015 + i}@example.com` })),
  ...Array.from({ length: 6 }, (_, i) => ({ username: `U${2023 + i}` })),
  { id: '2001' },
  { email: 'twin@example.com' },
  { id: '777777' },
  { username: 'u20*' },
];
const csv = `id,username,email\n${rows.map((row) => `${row.id ?? ''},${row.username ?? ''},${row.email ?? ''}`).join('\n')}\n`;
const plan = namedUsers(rows, users);
const spec = liveSpec('live', 'resume-job');

const tuning = {
  chunkRows: 8,
  lookupSliceRows: 4,
  deleteBatch: 3,
  deleteConcurrency: 2,
  indexPartUsers: 25,
  listingPagesPerSave: 1,
};
const worlds: EngineWorld[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
});

async function newWorld(): Promise<EngineWorld> {
  const world = await startEngineWorld({ users, client: { concurrency: 2 }, tuning });
  worlds.push(world);
  return world;
}

/** Runs to the end, resuming after every injected stop (the state machine's Retry, or the next execution). */
async function finish(world: EngineWorld, store: FaultyStore): Promise<number> {
  let stops = 0;
  for (let step = 0; step < 500; step += 1) {
    try {
      const result = await runJobStep(spec, world.deps(store, csv), { signal: store.controller.signal });
      if (result.done) return stops;
    } catch (error) {
      if (!(error instanceof StopHere)) throw error;
      stops += 1;
    }
    if (store.controller.signal.aborted) {
      stops += 1;
      store.failAt = 0;
      Object.defineProperty(store, 'controller', { value: new AbortController() });
    }
  }
  throw new Error('job did not finish');
}

function outcomesOf(report: RunReport): string[] {
  return report.rows.map((row) => `${row.line}:${row.outcome}:${row.reason ?? ''}:${row.user?.id ?? ''}`);
}

function deletesPerUser(world: EngineWorld): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of world.proxy.requests)
    if (request.method === 'DELETE') counts.set(request.target, (counts.get(request.target) ?? 0) + 1);
  return counts;
}

describe('a step killed at a random point, then resumed (live, emulator over HTTP)', () => {
  it('24 seeded kill points end exactly like the uninterrupted run', async () => {
    const reference = await newWorld();
    const referenceStore = new FaultyStore();
    await finish(reference, referenceStore);
    const expected = expectRunInvariants({
      report: reportIn(referenceStore.inner, spec),
      dataRows: rows.length,
      deletions: reference.emulator.stats().deletions,
      plan,
      mode: 'live',
      label: 'reference',
    });
    expect(new Set(reference.emulator.stats().deletions.map((d) => d.id))).toEqual(plan);
    const totalPuts = referenceStore.puts;
    expect(totalPuts).toBeGreaterThan(20);

    const random = createSeededRandom(20261128);
    const kinds: FaultKind[] = ['throw-before-write', 'throw-after-write', 'deadline'];
    for (let run = 0; run < 24; run += 1) {
      const kind = kinds[run % kinds.length] as FaultKind;
      const failAt = 1 + Math.floor(random() * totalPuts);
      const label = `${kind} at write ${failAt}`;
      const world = await newWorld();
      const store = new FaultyStore();
      store.kind = kind;
      store.failAt = failAt;
      const stops = await finish(world, store);
      expect(stops, label).toBe(1);
      const report = expectRunInvariants({
        report: reportIn(store.inner, spec),
        dataRows: rows.length,
        deletions: world.emulator.stats().deletions,
        plan,
        mode: 'live',
        label,
      });
      expect(outcomesOf(report), label).toEqual(outcomesOf(expected));
      expect(report.job.status, label).toBe('completed');
      await world.close();
      worlds.splice(worlds.indexOf(world), 1);
    }
  });

  it('killed between a DELETE and the checkpoint that records it: confirmed on resume, never deleted twice', async () => {
    const random = createSeededRandom(7);
    for (let run = 0; run < 6; run += 1) {
      const world = await newWorld();
      const store = new FaultyStore();
      const killAfterDelete = 1 + Math.floor(random() * plan.size);
      let deletesAnswered = 0;
      let armed = false;
      world.proxy.onResponse = (request) => {
        if (request.method === 'DELETE' && (deletesAnswered += 1) === killAfterDelete) armed = true;
      };
      // The next write after that DELETE's answer dies before reaching the store: the step ends with the user gone
      // and nothing saved about it.
      const put = store.put.bind(store);
      store.put = async (key, body, contentType) => {
        if (armed) {
          armed = false;
          throw new StopHere();
        }
        return put(key, body, contentType);
      };
      const stops = await finish(world, store);
      const label = `killed after DELETE #${killAfterDelete}`;
      expect(stops, label).toBe(1);
      const report = expectRunInvariants({
        report: reportIn(store.inner, spec),
        dataRows: rows.length,
        deletions: world.emulator.stats().deletions,
        plan,
        mode: 'live',
        label,
      });
      expect(report.summary.deleted, label).toBe(plan.size);
      expect(report.summary['already-absent'], label).toBe(0);
      // By design the interrupted batch's DELETEs are sent again (a 404 then confirms the first one); no other user is.
      const repeated = [...deletesPerUser(world).values()].filter((count) => count > 1);
      expect(repeated.length, `${label}: DELETEs repeated beyond the interrupted batch`).toBeLessThanOrEqual(3);
      expect(
        repeated.every((count) => count === 2),
        label,
      ).toBe(true);
      await world.close();
      worlds.splice(worlds.indexOf(world), 1);
    }
  });
});
