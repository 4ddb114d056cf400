// Measure 1: API calls per row, the product beside the baseline, on the same tenant and the same file.
import type { EmulatorUser } from '../lambda/emulator/emulator-types.ts';
import type { Mode, OutcomeCounts } from '../lambda/engine/outcomes.ts';
import { runBaseline } from './baseline-script.ts';
import {
  createBenchClient,
  createBenchDirectory,
  memoryInput,
  runEngine,
  startEmulator,
  totalCalls,
} from './bench-env.ts';
import { csvText, type FileKind, fileRows } from './csv-files.ts';

export interface CallsCase {
  kind: FileKind;
  rows: number;
  accountUsers: number;
  mode: Mode;
}

export interface CallsSide {
  calls: number;
  callsPerRow: number;
  elapsedMs: number;
  byKind: Record<string, number>;
}

export interface CallsResult extends CallsCase {
  product: CallsSide & { outcomes: OutcomeCounts; status: string };
  baseline: CallsSide & { deleted: number };
  /** product calls / baseline calls */
  ratio: number;
}

export async function measureCallsPerRow(testCase: CallsCase, tenant: readonly EmulatorUser[]): Promise<CallsResult> {
  const rows = fileRows(testCase.kind, tenant, testCase.rows, testCase.rows * 31 + testCase.accountUsers);
  const text = csvText(rows);
  const live = testCase.mode === 'live';

  const productEmulator = await startEmulator([...tenant]);
  let product: CallsResult['product'];
  try {
    const client = createBenchClient(productEmulator.url);
    try {
      const run = await runEngine({
        mode: testCase.mode,
        input: memoryInput(`${testCase.kind}.csv`, text),
        directory: createBenchDirectory(client),
        // A basic snapshot (one batched record lookup per 50 deletions): what full snapshots cost is measure 1c.
        snapshot: 'basic',
      });
      if (run.result.status !== 'completed')
        throw new Error(
          `engine run ended ${run.result.status}: ${run.result.error?.code ?? ''} ${run.result.error?.message ?? ''}`,
        );
      const stats = productEmulator.stats();
      const calls = totalCalls(stats);
      product = {
        calls,
        callsPerRow: calls / rows.length,
        elapsedMs: run.elapsedMs,
        byKind: { ...stats.calls },
        outcomes: run.result.progress.counts,
        status: run.result.status,
      };
    } finally {
      await client.close();
    }
  } finally {
    await productEmulator.close();
  }

  const baselineEmulator = await startEmulator([...tenant]);
  let baseline: CallsResult['baseline'];
  try {
    const run = await runBaseline(baselineEmulator.url, rows, live);
    const stats = baselineEmulator.stats();
    const calls = totalCalls(stats);
    baseline = {
      calls,
      callsPerRow: calls / rows.length,
      elapsedMs: run.elapsedMs,
      byKind: { ...stats.calls },
      deleted: run.deleted,
    };
  } finally {
    await baselineEmulator.close();
  }
  return { ...testCase, product, baseline, ratio: product.calls / baseline.calls };
}
