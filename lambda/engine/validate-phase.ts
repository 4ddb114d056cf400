// Phase 1: read + validate the input, spooling rows into chunks so memory is bounded by one chunk, never the file.
// Not resumable part-way: an interrupted validation starts again from the first byte (it makes no API calls).

import { tuning } from './engine-tuning.ts';
import { InputRejectedError } from './input/input-types.ts';
import { readInput } from './input/read-input.ts';
import { emptyCounts } from './outcomes.ts';
import type { StepContext } from './step-context.ts';
import type { StoredRow } from './stored-row.ts';
import { writeChunk } from './stored-row.ts';
import { WantedKeys } from './user-index.ts';

export async function validatePhase(ctx: StepContext): Promise<void> {
  const cp = ctx.checkpoint;
  const { store } = ctx;
  const wanted = new WantedKeys();
  const counts = emptyCounts();
  let chunk: StoredRow[] = [];
  let chunkCount = 0;
  let rowsTotal = 0;
  const writes = new WritesInFlight(4);
  try {
    const reader = await readInput(await ctx.deps.input.open());
    for await (const row of reader.rows) {
      rowsTotal += 1;
      if (row.kind === 'rejected') {
        chunk.push({ line: row.line, input: row.input, outcome: 'rejected', reason: row.reason, message: row.message });
        counts.rejected += 1;
      } else {
        const key: StoredRow['key'] = {};
        if (row.id !== undefined) key.id = row.id;
        if (row.username !== undefined) key.username = row.username;
        if (row.email !== undefined) key.email = row.email;
        chunk.push({ line: row.line, input: row.input, key });
        wanted.add(key);
      }
      if (chunk.length >= tuning.chunkRows) {
        await writes.add(writeChunk(store, ctx.spec.statePrefix, chunkCount, chunk));
        chunkCount += 1;
        chunk = [];
        cp.rowsTotal = rowsTotal;
        ctx.reportProgress();
      }
    }
    if (chunk.length > 0) {
      await writes.add(writeChunk(store, ctx.spec.statePrefix, chunkCount, chunk));
      chunkCount += 1;
    }
    await writes.drain();
    cp.header = reader.header;
  } catch (error) {
    await writes.drain().catch(() => undefined);
    if (!(error instanceof InputRejectedError)) throw error;
    cp.status = 'rejected';
    cp.error = { code: error.code, message: error.message };
    cp.rowsTotal = 0;
    cp.chunkCount = 0;
    cp.counts = emptyCounts();
    cp.phase = 'report';
    ctx.deps.logger.warn('input refused as a whole', { code: error.code });
    return;
  }
  cp.rowsTotal = rowsTotal;
  cp.chunkCount = chunkCount;
  cp.counts = counts;
  cp.lookupCounts = wanted.seal();
  cp.phase = 'resolve';
  ctx.wanted = wanted;
  ctx.deps.logger.info('input validated', {
    rows: rowsTotal,
    rejected: counts.rejected,
    chunks: chunkCount,
    ...cp.lookupCounts,
  });
}

/** Chunk writes overlap with reading the input: at most `limit` in flight; the first failure is thrown. */
class WritesInFlight {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  constructor(private readonly limit: number) {}

  async add(write: Promise<void>): Promise<void> {
    const tracked = write.then(
      () => void this.inFlight.delete(tracked),
      (error: unknown) => {
        this.inFlight.delete(tracked);
        this.failure ??= { error };
      },
    );
    this.inFlight.add(tracked);
    if (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure.error;
  }

  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure.error;
  }
}
