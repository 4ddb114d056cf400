// Measure 3: what the engine costs beyond the HTTP calls themselves. The product deletes a file's users with the
// emulator's limit off; a raw undici loop sends the same DELETEs with the same concurrency to an identical account.
import { Agent, request } from 'undici';
import type { EmulatorUser } from '../lambda/emulator/emulator-types.ts';
import { BENCH_CREDENTIALS, createBenchClient, createBenchDirectory, memoryInput, PRODUCT_CONCURRENCY, runEngine, startEmulator } from './bench-env.ts';
import { csvText, pickUsers, rowsFor } from './csv-files.ts';

export interface OverheadResult {
  rows: number;
  concurrency: number;
  productMs: number;
  productRowsPerSecond: number;
  rawMs: number;
  rawRowsPerSecond: number;
  /** product rows/s ÷ raw rows/s */
  ratio: number;
}

export async function measureEngineOverhead(rows: number, tenant: readonly EmulatorUser[]): Promise<OverheadResult> {
  const chosen = pickUsers(tenant, rows, 99, 'ids');
  const ids = chosen.map((user) => user.id);
  const text = csvText(rowsFor('ids', chosen));

  const productEmulator = await startEmulator([...tenant]);
  let productMs: number;
  try {
    const client = createBenchClient(productEmulator.url);
    try {
      const run = await runEngine({ mode: 'live', input: memoryInput('overhead.csv', text), directory: createBenchDirectory(client) });
      if (run.result.progress.counts.deleted !== rows) throw new Error(`engine overhead: ${run.result.progress.counts.deleted} of ${rows} deleted`);
      productMs = run.elapsedMs;
    } finally {
      await client.close();
    }
  } finally {
    await productEmulator.close();
  }

  const rawEmulator = await startEmulator([...tenant]);
  let rawMs: number;
  try {
    rawMs = await rawDeleteLoop(rawEmulator.url, ids, PRODUCT_CONCURRENCY);
    if (rawEmulator.stats().deletions.length !== rows) throw new Error('engine overhead: the raw loop did not delete every user');
  } finally {
    await rawEmulator.close();
  }
  const productRowsPerSecond = (rows / productMs) * 1000;
  const rawRowsPerSecond = (rows / rawMs) * 1000;
  return { rows, concurrency: PRODUCT_CONCURRENCY, productMs, productRowsPerSecond, rawMs, rawRowsPerSecond, ratio: productRowsPerSecond / rawRowsPerSecond };
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
