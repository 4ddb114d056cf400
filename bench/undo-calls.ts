// Measure: what a way back costs. A live deletion that keeps a snapshot (basic; full on a listing without
// custom_attributes; full on a listing with them) beside what the same run costs without one (its dry run's calls plus
// one DELETE per deleted user, measured on the same tenant in the same run); then a restore of deleted users from the
// snapshot, in calls per restored user and role-assignment calls.
import { MemoryObjectStore } from '../lambda/adapters/memory-object-store.ts';
import type { EmulatorUser, OneLoginEmulator } from '../lambda/emulator/emulator-types.ts';
import { TENANT_ROLES } from '../lambda/emulator/tenant-account-details.ts';
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
  /** Calls per snapshot line, role assignments aside: the slope between a live restore of a quarter and of the rest. */
  callsPerUser: number;
  /** The live restores' outcomes (a line whose username or email someone holds now is already-present). */
  outcomes: Record<string, number>;
  /** What a live restore costs whatever its size (token, rate-limit status, account size), from the same two runs. */
  fixedCalls: number;
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

/**
 * Deletes `restoreUsers` users with a full snapshot, then restores them: a dry run of the whole snapshot, then two live
 * runs — its first quarter, then the rest — so that the cost per user is the slope between them, without what any run
 * costs whatever its size (token, rate-limit status, account size).
 */
async function measureRestore(testCase: UndoCase, tenant: readonly EmulatorUser[]): Promise<RestoreSide> {
  const rows = fileRows('ids', tenant, testCase.restoreUsers, testCase.restoreUsers * 7 + 1);
  // The generated account's roles: a restore assigns them again.
  const emulator = await startEmulator([...tenant], null, { roles: [...TENANT_ROLES] });
  try {
    const deletion = await runOn(emulator, { mode: 'live', input: memoryInput('ids.csv', csvText(rows)) });
    const lines = snapshotText(deletion.store)
      .split('\n')
      .filter((line) => line !== '');
    emulator.resetStats();
    const whole = memoryInput('snapshot.jsonl', `${lines.join('\n')}\n`);
    await runOn(emulator, { mode: 'dry-run', action: 'restore', input: whole, jobId: 'bench-restore-dry' });
    const dryCalls = totalCalls(emulator.stats());
    const quarter = Math.max(1, Math.floor(lines.length / 4));
    const first = await liveRestore(emulator, lines.slice(0, quarter), 'bench-restore-1');
    const rest = await liveRestore(emulator, lines.slice(quarter), 'bench-restore-2');
    // Per snapshot line: a line whose username or email is taken meanwhile costs its check, not a create.
    const slope = (rest.calls - first.calls) / Math.max(1, lines.length - 2 * quarter);
    return {
      users: lines.length,
      restored: first.restored + rest.restored,
      callsPerUser: slope,
      fixedCalls: first.calls - slope * quarter,
      outcomes: mergeCounts(first.outcomes, rest.outcomes),
      roleCalls: first.roleCalls + rest.roleCalls,
      dryRunCallsPerLine: dryCalls / Math.max(1, lines.length),
    };
  } finally {
    await emulator.close();
  }
}

/** One live restore of the lines: its calls without role assignments, those, and how many users it restored. */
async function liveRestore(
  emulator: OneLoginEmulator,
  lines: readonly string[],
  jobId: string,
): Promise<{ calls: number; roleCalls: number; restored: number; outcomes: Record<string, number> }> {
  emulator.resetStats();
  const input = memoryInput('snapshot.jsonl', `${lines.join('\n')}\n`);
  const run = await runOn(emulator, { mode: 'live', action: 'restore', input, jobId });
  const stats = emulator.stats();
  const roleCalls = stats.calls.assignRoles;
  const counts = run.run.result.progress.counts;
  const outcomes = Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0));
  return { calls: totalCalls(stats) - roleCalls, roleCalls, restored: counts.restored, outcomes };
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

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const merged = { ...a };
  for (const [key, count] of Object.entries(b)) merged[key] = (merged[key] ?? 0) + count;
  return merged;
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
    [
      'snapshot lines',
      'restored',
      'live calls/line (without roles)',
      'fixed calls',
      'role assignment calls',
      'dry run calls/line',
      'live outcomes',
    ],
    results.map((r) => [
      r.restore.users,
      r.restore.restored,
      fixed(r.restore.callsPerUser, 3),
      fixed(r.restore.fixedCalls, 1),
      r.restore.roleCalls,
      fixed(r.restore.dryRunCallsPerLine, 3),
      Object.entries(r.restore.outcomes)
        .map(([outcome, count]) => `${outcome} ${count}`)
        .join(', '),
    ]),
  );
  return `${snapshots}\n${restores}`;
}
