// Measure 3: what the engine costs beyond the HTTP calls themselves. The product deletes a file's users with the
// emulator's limit off; a raw undici loop sends the same DELETEs with the same concurrency to an identical account.
// Both share this process (and its JIT, undici and emulator code), so one timing of each depends on which ran first and
// how warm the code was: each side is timed REPETITIONS times, in alternating order, and compared by its median.
import { Agent, request } from 'undici';
import type { EmulatorUser } from '../lambda/emulator/emulator-types.ts';
import {
  BENCH_CREDENTIALS,
  createBenchClient,
  createBenchDirectory,
  memoryInput,
  PRODUCT_CONCURRENCY,
  runEngine,
  startEmulator,
} from './bench-env.ts';
import { csvText, pickUsers, rowsFor } from './csv-files.ts';

export interface OverheadResult {
  rows: number;
  concurrency: number;
  productMs: number;
  productRowsPerSecond: number;
  rawMs: number;
  rawRowsPerSecond: number;
  /** product rows/s ÷ raw rows/s (medians) */
  ratio: number;
  /** Every timing, in the order run; productMs and rawMs are their medians. */
  productRunsMs: number[];
  rawRunsMs: number[];
}

const REPETITIONS = 5;

export async function measureEngineOverhead(rows: number, tenant: readonly EmulatorUser[]): Promise<OverheadResult> {
  const chosen = pickUsers(tenant, rows, 99, 'ids');
  const ids = chosen.map((user) => user.id);
  const text = csvText(rowsFor('ids', chosen));

  const productRunsMs: number[] = [];
  const rawRunsMs: number[] = [];
  for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
    const product = async (): Promise<void> => void productRunsMs.push(await productRun(tenant, text, rows));
    const raw = async (): Promise<void> => void rawRunsMs.push(await rawRun(tenant, ids));
    if (repetition % 2 === 0) {
      await product();
      await raw();
    } else {
      await raw();
      await product();
    }
  }
  const productMs = median(productRunsMs);
  const rawMs = median(rawRunsMs);
  const productRowsPerSecond = (rows / productMs) * 1000;
  const rawRowsPerSecond = (rows / rawMs) * 1000;
  return {
    rows,
    concurrency: PRODUCT_CONCURRENCY,
    productMs,
    productRowsPerSecond,
    rawMs,
    rawRowsPerSecond,
    ratio: productRowsPerSecond / rawRowsPerSecond,
    productRunsMs,
    rawRunsMs,
  };
}

/** One live run of the product over a fresh copy of the account: its elapsed time. */
async function productRun(tenant: readonly EmulatorUser[], text: string, rows: number): Promise<number> {
  const emulator = await startEmulator([...tenant]);
  try {
    const client = createBenchClient(emulator.url);
    try {
      const run = await runEngine({
        mode: 'live',
        input: memoryInput('overhead.csv', text),
        directory: createBenchDirectory(client),
      });
      if (run.result.progress.counts.deleted !== rows)
        throw new Error(`engine overhead: ${run.result.progress.counts.deleted} of ${rows} deleted`);
      return run.elapsedMs;
    } finally {
      await client.close();
    }
  } finally {
    await emulator.close();
  }
}

/** The raw loop over a fresh copy of the account: its elapsed time. */
async function rawRun(tenant: readonly EmulatorUser[], ids: readonly number[]): Promise<number> {
  const emulator = await startEmulator([...tenant]);
  try {
    const elapsedMs = await rawDeleteLoop(emulator.url, ids, PRODUCT_CONCURRENCY);
    if (emulator.stats().deletions.length !== ids.length)
      throw new Error('engine overhead: the raw loop did not delete every user');
    return elapsedMs;
  } finally {
    await emulator.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** A token, then `concurrency` workers sending DELETE /api/2/users/:id for every id: the least any client could do. */
async function rawDeleteLoop(apiUrl: string, ids: readonly number[], concurrency: number): Promise<number> {
  const dispatcher = new Agent({ connections: concurrency });
  const started = performance.now();
  try {
    const basic = Buffer.from(`${BENCH_CREDENTIALS.clientId}:${BENCH_CREDENTIALS.clientSecret}`).toString('base64');
    const tokenResponse = await request(`${apiUrl}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
      dispatcher,
    });
    const { access_token: token } = (await tokenResponse.body.json()) as { access_token: string };
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next] as number;
        next += 1;
        const response = await request(`${apiUrl}/api/2/users/${id}`, { method: 'DELETE', headers, dispatcher });
        await response.body.dump();
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return performance.now() - started;
  } finally {
    await dispatcher.close();
  }
}
