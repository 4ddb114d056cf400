// Measure: what a way back costs. A live deletion that keeps a snapshot (basic; full on a listing without
// custom_attributes; full on a listing with them) beside what the same run costs without one (its dry run's calls plus
// one DELETE per deleted user, measured on the same tenant in the same run); then a restore of deleted users from the
// snapshot, in calls per restored user and role-assignment calls.
import { MemoryObjectStore } from '../lambda/adapters/memory-object-store.ts';
import type { EmulatorUser, OneLoginEmulator } from '../lambda/emulator/emulator-types.ts';
import type { EngineRun, EngineRunOptions } from './bench-env.ts';
import {
  createBenchClient,
  createBenchDirectory,
  memoryInput,
  runEngine,
  startEmulator,
  totalCalls,
} from './bench-env.ts';
import { csvText, fileRows } from './csv-files.ts';
import { fixed, table } from './report-table.ts';

export interface UndoCase {
  rows: number;
  accountUsers: number;
  /** Users deleted and then restored from the snapshot. */
  restoreUsers: number;
}

export type SnapshotVariant = 'basic' | 'full, listing without custom_attributes' | 'full, listing with them';

export interface SnapshotSide {
  variant: SnapshotVariant;
  calls: number;
  callsPerRow: number;
  deleted: number;
  snapshotLines: number;
}

export interface RestoreSide {
  users: number;
  restored: number;
  /** Every call of the live restore except role assignments, per restored user. */
  callsPerUser: number;
  roleCalls: number;
  dryRunCallsPerLine: number;
}

export interface UndoResult extends UndoCase {
  /** Dry run calls + one DELETE per user it would delete, per row: the run without a snapshot. */
  withoutSnapshotPerRow: number;
  sides: SnapshotSide[];
  restore: RestoreSide;
}

interface EmulatorRun {
  emulator: OneLoginEmulator;
  store: MemoryObjectStore;
  run: EngineRun;
}

export async function measureUndo(testCase: UndoCase, tenant: readonly EmulatorUser[]): Promise<UndoResult> {
  const rows = fileRows('ids', tenant, testCase.rows, testCase.rows * 31 + testCase.accountUsers);
  const text = csvText(rows);
  const dry = await onEmulator(tenant, {}, { mode: 'dry-run', input: memoryInput('ids.csv', text) });
  const wouldDelete = dry.run.result.progress.counts['would-delete'];
  const withoutSnapshotPerRow = (totalCalls(dry.emulator.stats()) + wouldDelete) / rows.length;
  const variants: Array<[SnapshotVariant, 'basic' | 'full', boolean]> = [
    ['basic', 'basic', false],
    ['full, listing without custom_attributes', 'full', false],
    ['full, listing with them', 'full', true],
  ];
  const sides: SnapshotSide[] = [];
  for (const [variant, snapshot, withCustom] of variants) {
    const live = await onEmulator(
      tenant,
      { listIncludesCustomAttributes: withCustom },
      { mode: 'live', input: memoryInput('ids.csv', text), snapshot },
    );
    const calls = totalCalls(live.emulator.stats());
    sides.push({
      variant,
      calls,
      callsPerRow: calls / rows.length,
      deleted: live.run.result.progress.counts.deleted,
      snapshotLines: snapshotText(live.store)
        .split('\n')
        .filter((line) => line !== '').length,
    });
  }
  return { ...testCase, withoutSnapshotPerRow, sides, restore: await measureRestore(testCase, tenant) };
}

/** Deletes `restoreUsers` users with a full snapshot, then restores them: a dry run, then a live run. */
async function measureRestore(testCase: UndoCase, tenant: readonly EmulatorUser[]): Promise<RestoreSide> {
  const rows = fileRows('ids', tenant, testCase.restoreUsers, testCase.restoreUsers * 7 + 1);
  const emulator = await startEmulator([...tenant]);
  try {
    const deletion = await runOn(emulator, { mode: 'live', input: memoryInput('ids.csv', csvText(rows)) });
    const snapshot = snapshotText(deletion.store);
    emulator.resetStats();
    const input = memoryInput('snapshot.jsonl', snapshot);
    const dryRun = await runOn(emulator, { mode: 'dry-run', action: 'restore', input, jobId: 'bench-restore-dry' });
    const dryCalls = totalCalls(emulator.stats());
    const lines = snapshot.split('\n').filter((line) => line !== '').length;
    emulator.resetStats();
    const live = await runOn(emulator, { mode: 'live', action: 'restore', input, jobId: 'bench-restore-live' });
    const stats = emulator.stats();
    const restored = live.run.result.progress.counts.restored;
    const roleCalls = stats.calls.assignRoles;
    if (dryRun.run.result.status !== 'completed') throw new Error('the restore dry run did not complete');
    return {
      users: lines,
      restored,
      callsPerUser: (totalCalls(stats) - roleCalls) / Math.max(1, restored),
      roleCalls,
      dryRunCallsPerLine: dryCalls / Math.max(1, lines),
    };
  } finally {
    await emulator.close();
  }
}

async function onEmulator(
  tenant: readonly EmulatorUser[],
  emulatorOptions: { listIncludesCustomAttributes?: boolean },
  runOptions: Omit<EngineRunOptions, 'directory'>,
): Promise<EmulatorRun> {
  const emulator = await startEmulator([...tenant], null, emulatorOptions);
  try {
    return await runOn(emulator, runOptions);
  } finally {
    await emulator.close();
  }
}

async function runOn(emulator: OneLoginEmulator, options: Omit<EngineRunOptions, 'directory'>): Promise<EmulatorRun> {
  // A client of its own per run, as a separate command would have.
  const client = createBenchClient(emulator.url);
  const store = new MemoryObjectStore();
  try {
    const run = await runEngine({ ...options, store, directory: createBenchDirectory(client) });
    if (run.result.status !== 'completed')
      throw new Error(`${options.action ?? 'delete'} ${options.mode} run ended ${run.result.status}`);
    return { emulator, store, run };
  } finally {
    await client.close();
  }
}

function snapshotText(store: MemoryObjectStore): string {
  const key = store.keys().find((name) => name.endsWith('/snapshot.jsonl'));
  return key === undefined ? '' : (store.text(key) ?? '');
}

export function undoTables(results: readonly UndoResult[]): string {
  const snapshots = table(
    '1c. Live deletion keeping a snapshot, beside the same run without one (dry run calls + 1 DELETE per user)',
    ['rows', 'account', 'snapshot', 'calls/row', 'without snapshot', 'deleted', 'snapshot lines'],
    results.flatMap((r) =>
      r.sides.map((side) => [
        r.rows,
        r.accountUsers,
        side.variant,
        fixed(side.callsPerRow, 4),
        fixed(r.withoutSnapshotPerRow, 4),
        side.deleted,
        side.snapshotLines,
      ]),
    ),
  );
  const restores = table(
    '1d. Restore from the snapshot of a live deletion',
    ['snapshot lines', 'restored', 'live calls/user (without roles)', 'role assignment calls', 'dry run calls/line'],
    results.map((r) => [
      r.restore.users,
      r.restore.restored,
      fixed(r.restore.callsPerUser, 3),
      r.restore.roleCalls,
      fixed(r.restore.dryRunCallsPerLine, 3),
    ]),
  );
  return `${snapshots}\n${restores}`;
}
