// Measure: what binding a live run to its reviewed plan costs. The bound run fetches the planned users again (one
// batched lookup per 100) instead of resolving the rows, beside an unbound live run of the same file on the same tenant.
import { MemoryObjectStore } from '../lambda/adapters/memory-object-store.ts';
import type { EmulatorUser, OneLoginEmulator } from '../lambda/emulator/emulator-types.ts';
import type { PlanDocument } from '../lambda/engine/plan/plan-document.ts';
import { parsePlan } from '../lambda/engine/plan/plan-document.ts';
import type { EngineRun } from './bench-env.ts';
import {
  createBenchClient,
  createBenchDirectory,
  memoryInput,
  runEngine,
  startEmulator,
  totalCalls,
} from './bench-env.ts';
import { csvText, type FileKind, fileRows } from './csv-files.ts';
import { fixed, table } from './report-table.ts';

export interface BoundCase {
  kind: FileKind;
  rows: number;
  accountUsers: number;
}

export interface BoundSide {
  calls: number;
  callsPerRow: number;
  deleted: number;
  elapsedMs: number;
}

export interface BoundResult extends BoundCase {
  unbound: BoundSide;
  bound: BoundSide & { plannedUsers: number };
}

export async function measurePlanBound(testCase: BoundCase, tenant: readonly EmulatorUser[]): Promise<BoundResult> {
  const rows = fileRows(testCase.kind, tenant, testCase.rows, testCase.rows * 31 + testCase.accountUsers);
  const text = csvText(rows);
  const name = `${testCase.kind}.csv`;
  const unbound = await onEmulator(tenant, async (emulator, run) => side(emulator, rows.length, await run('live')));
  const bound = await onEmulator(tenant, async (emulator, run) => {
    const store = new MemoryObjectStore();
    await run('dry-run', store);
    const plan = readPlan(store);
    emulator.resetStats();
    return { ...side(emulator, rows.length, await run('live', store, plan)), plannedUsers: plan.users.length };
  });
  return { ...testCase, unbound, bound };

  async function onEmulator<T>(
    users: readonly EmulatorUser[],
    body: (
      emulator: OneLoginEmulator,
      run: (mode: 'dry-run' | 'live', store?: MemoryObjectStore, plan?: PlanDocument) => Promise<EngineRun>,
    ) => Promise<T>,
  ): Promise<T> {
    const emulator = await startEmulator([...users]);
    try {
      return await body(emulator, async (mode, store, plan) => {
        // A client of its own per run, as a separate command would have: the live run pays for its own token.
        const client = createBenchClient(emulator.url);
        try {
          const run = await runEngine({
            mode,
            input: memoryInput(name, text),
            directory: createBenchDirectory(client),
            jobId: `bench-bound-${mode}`,
            // A basic snapshot, as in measure 1: what full snapshots cost is measure 1c.
            snapshot: 'basic',
            ...(store ? { store } : {}),
            ...(plan ? { plan } : {}),
          });
          if (run.result.status !== 'completed') throw new Error(`${mode} run ended ${run.result.status}`);
          return run;
        } finally {
          await client.close();
        }
      });
    } finally {
      await emulator.close();
    }
  }
}

function readPlan(store: MemoryObjectStore): PlanDocument {
  const text = store.text('reports/bench-bound-dry-run/plan.json');
  if (text === undefined) throw new Error('the dry run wrote no plan.json');
  return parsePlan(text);
}

function side(emulator: OneLoginEmulator, rows: number, run: EngineRun): BoundSide {
  const calls = totalCalls(emulator.stats());
  return { calls, callsPerRow: calls / rows, deleted: run.result.progress.counts.deleted, elapsedMs: run.elapsedMs };
}

export function planBoundTable(results: readonly BoundResult[]): string {
  return table(
    '1b. Live run bound to a reviewed plan (--plan) beside an unbound live run of the same file',
    ['file', 'rows', 'account', 'planned', 'unbound calls/row', 'bound calls/row', 'unbound s', 'bound s'],
    results.map((r) => [
      r.kind,
      r.rows,
      r.accountUsers,
      r.bound.plannedUsers,
      fixed(r.unbound.callsPerRow, 4),
      fixed(r.bound.callsPerRow, 4),
      fixed(r.unbound.elapsedMs / 1000, 1),
      fixed(r.bound.elapsedMs / 1000, 1),
    ]),
  );
}
