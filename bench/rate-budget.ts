// Measure 2: how much of the allowed rate budget the product really uses, with the emulator's window scaled down.
// Accepted calls per window come from snapshots of the emulator's counters taken at every window boundary.
import type { EmulatorUser, OneLoginEmulator } from '../lambda/emulator/emulator-types.ts';
import {
  createBenchClient,
  createBenchDirectory,
  memoryInput,
  PRODUCT_RATE_SHARE,
  runEngine,
  startEmulator,
  totalCalls,
} from './bench-env.ts';
import { csvText, pickUsers, rowsFor } from './csv-files.ts';

export interface RateBudgetCase {
  name: string;
  limit: number;
  windowSeconds: number;
  windows: number;
  sendHeaders: boolean;
  /** Jobs running at once against the one account, each with its own client. */
  runs: number;
}

export interface RateBudgetResult extends RateBudgetCase {
  rateShare: number;
  /** Accepted calls in each measured window (all runs together). */
  acceptedByWindow: number[];
  rateLimitedByWindow: number[];
  /** Mean accepted calls per window / (limit × rateShare). */
  budgetUsed: number;
  /** Worst window's 429 count. */
  max429PerWindow: number;
  mean429PerWindow: number;
  /** First window from which no window had a 429 (the pacer has settled), and the budget used from there on. */
  settledFromWindow: number | null;
  settledBudgetUsed: number | null;
}

interface Snapshot {
  calls: number;
  rateLimited: number;
}

export async function measureRateBudget(
  testCase: RateBudgetCase,
  tenant: readonly EmulatorUser[],
): Promise<RateBudgetResult> {
  const allowed = testCase.limit * PRODUCT_RATE_SHARE;
  // More rows than the measured windows can take, so every window is worked through to its end.
  const rowsPerRun = Math.ceil(((testCase.windows + 2) * testCase.limit) / testCase.runs);
  const emulator = await startEmulator([...tenant]);
  const stop = new AbortController();
  const clients = Array.from({ length: testCase.runs }, () => createBenchClient(emulator.url));
  try {
    const chosen = pickUsers(tenant, rowsPerRun * testCase.runs, 7, 'ids');
    const files = clients.map((_, run) =>
      csvText(rowsFor('ids', chosen.slice(run * rowsPerRun, (run + 1) * rowsPerRun))),
    );
    emulator.setRateLimit({
      limit: testCase.limit,
      windowSeconds: testCase.windowSeconds,
      sendHeaders: testCase.sendHeaders,
    });
    const windowStart = Date.now();
    const snapshots = snapshotEveryWindow(emulator, windowStart, testCase.windowSeconds * 1000, testCase.windows, () =>
      stop.abort(),
    );
    const runs = clients.map((client, run) =>
      runEngine({
        mode: 'live',
        jobId: `budget-${run}`,
        input: memoryInput(`budget-${run}.csv`, files[run] ?? ''),
        directory: createBenchDirectory(client),
        signal: stop.signal,
      }),
    );
    const taken = await snapshots;
    const results = await Promise.all(runs);
    for (const run of results) {
      if (run.result.progress.counts.failed > 0)
        throw new Error(`rate budget ${testCase.name}: ${run.result.progress.counts.failed} rows failed`);
    }
    const acceptedByWindow: number[] = [];
    const rateLimitedByWindow: number[] = [];
    for (let window = 0; window < testCase.windows; window += 1) {
      const before = taken[window] as Snapshot;
      const after = taken[window + 1] as Snapshot;
      const limited = after.rateLimited - before.rateLimited;
      rateLimitedByWindow.push(limited);
      acceptedByWindow.push(after.calls - before.calls - limited);
    }
    const meanAccepted = acceptedByWindow.reduce((sum, value) => sum + value, 0) / testCase.windows;
    const total429 = rateLimitedByWindow.reduce((sum, value) => sum + value, 0);
    const lastWith429 = rateLimitedByWindow.reduce((last, count, window) => (count > 0 ? window : last), -1);
    const settled = acceptedByWindow.slice(lastWith429 + 1);
    return {
      ...testCase,
      rateShare: PRODUCT_RATE_SHARE,
      acceptedByWindow,
      rateLimitedByWindow,
      budgetUsed: meanAccepted / allowed,
      max429PerWindow: Math.max(...rateLimitedByWindow),
      mean429PerWindow: total429 / testCase.windows,
      settledFromWindow: settled.length > 0 ? lastWith429 + 1 : null,
      settledBudgetUsed:
        settled.length > 0 ? settled.reduce((sum, value) => sum + value, 0) / settled.length / allowed : null,
    };
  } finally {
    stop.abort();
    await Promise.all(clients.map((client) => client.close()));
    await emulator.close();
  }
}

/** Counters at the start of window 0 and at the end of every window; then `onDone`. */
async function snapshotEveryWindow(
  emulator: OneLoginEmulator,
  windowStart: number,
  windowMs: number,
  windows: number,
  onDone: () => void,
): Promise<Snapshot[]> {
  const take = (): Snapshot => {
    const stats = emulator.stats();
    return { calls: totalCalls(stats), rateLimited: stats.rateLimited };
  };
  const snapshots: Snapshot[] = [take()];
  for (let window = 1; window <= windows; window += 1) {
    const wait = windowStart + window * windowMs - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    snapshots.push(take());
  }
  onDone();
  return snapshots;
}
