// Phase 1: read + validate the input, spooling rows into chunks so memory is bounded by one chunk, never the file.
// Not resumable part-way: an interrupted validation starts again from the first byte (it makes no API calls).

import { createHash, type Hash } from 'node:crypto';
import type { InputHeader, ValidatedRow } from './input/input-types.ts';
import { InputRejectedError } from './input/input-types.ts';
import { readInput } from './input/read-input.ts';
import type { OutcomeCounts } from './outcomes.ts';
import { emptyCounts } from './outcomes.ts';
import type { PhaseResult } from './phase-result.ts';
import { NEXT } from './phase-result.ts';
import { readSnapshotRows } from './restore/read-snapshot.ts';
import type { StepContext } from './step-context.ts';
import type { StoredRow } from './stored-row.ts';
import { writeChunk } from './stored-row.ts';
import { WantedKeys } from './user-index.ts';

/** What validation leaves for the next phases. */
interface SpooledInput {
  /** A CSV's header; a restore's snapshot (JSON lines) has none. */
  header: InputHeader | undefined;
  rowsTotal: number;
  chunkCount: number;
  counts: OutcomeCounts;
  wanted: WantedKeys;
  sha256: string;
}

export async function validatePhase(ctx: StepContext): Promise<PhaseResult> {
  let spooled: SpooledInput;
  try {
    spooled = await spoolInput(ctx);
  } catch (error) {
    if (!(error instanceof InputRejectedError)) throw error;
    ctx.deps.logger.warn('input refused as a whole', { code: error.code });
    return { kind: 'end', status: 'rejected', error: { code: error.code, message: error.message } };
  }
  const cp = ctx.checkpoint;
  if (spooled.header) cp.header = spooled.header;
  cp.inputSha256 = spooled.sha256;
  cp.rowsTotal = spooled.rowsTotal;
  cp.chunkCount = spooled.chunkCount;
  cp.counts = spooled.counts;
  cp.lookupCounts = spooled.wanted.seal();
  ctx.wanted = spooled.wanted;
  ctx.deps.logger.info('input validated', {
    rows: spooled.rowsTotal,
    rejected: spooled.counts.rejected,
    chunks: spooled.chunkCount,
    ...cp.lookupCounts,
  });
  return NEXT;
}

/** Reads the whole input once, writing its rows in chunks (a few writes in flight while reading goes on). */
async function spoolInput(ctx: StepContext): Promise<SpooledInput> {
  const wanted = new WantedKeys();
  const counts = emptyCounts();
  const writes = new WritesInFlight(4);
  let chunk: StoredRow[] = [];
  let chunkCount = 0;
  let rowsTotal = 0;
  const flush = async (): Promise<void> => {
    await writes.add(writeChunk(ctx.store, ctx.spec.statePrefix, chunkCount, chunk));
    chunkCount += 1;
    chunk = [];
  };
  try {
    const hash = createHash('sha256');
    const reader = await openRows(ctx, hashing(await ctx.deps.input.open(), hash));
    for await (const stored of reader.rows) {
      rowsTotal += 1;
      chunk.push(stored);
      if (stored.key) wanted.add(stored.key);
      else counts.rejected += 1;
      if (chunk.length >= ctx.tuning.chunkRows) {
        await flush();
        ctx.checkpoint.rowsTotal = rowsTotal;
        ctx.reportProgress();
      }
    }
    if (chunk.length > 0) await flush();
    await writes.drain();
    return { header: reader.header, rowsTotal, chunkCount, counts, wanted, sha256: hash.digest('hex') };
  } catch (error) {
    await writes.drain().catch(() => undefined);
    throw error;
  }
}

/** The input's rows as stored: a CSV's validated rows, or a restore's snapshot lines (restore/read-snapshot.ts). */
async function openRows(
  ctx: StepContext,
  bytes: AsyncIterable<Uint8Array>,
): Promise<{ header: InputHeader | undefined; rows: AsyncIterable<StoredRow> }> {
  if (ctx.spec.action === 'restore') return { header: undefined, rows: readSnapshotRows(bytes) };
  const reader = await readInput(bytes);
  return { header: reader.header, rows: storedRows(reader.rows) };
}

async function* storedRows(rows: AsyncIterable<ValidatedRow>): AsyncGenerator<StoredRow> {
  for await (const row of rows) yield storedRowOf(row);
}

/** The input's bytes as read, each also fed to `hash`: the sha256 a reviewed plan binds a live run to. */
async function* hashing(source: AsyncIterable<Uint8Array>, hash: Hash): AsyncGenerator<Uint8Array> {
  for await (const bytes of source) {
    hash.update(bytes);
    yield bytes;
  }
}

/** A rejected row is final from the start; a valid one keeps the identifiers it is looked up by. */
function storedRowOf(row: ValidatedRow): StoredRow {
  if (row.kind === 'rejected')
    return { line: row.line, input: row.input, outcome: 'rejected', reason: row.reason, message: row.message };
  const key: NonNullable<StoredRow['key']> = {};
  if (row.id !== undefined) key.id = row.id;
  if (row.username !== undefined) key.username = row.username;
  if (row.email !== undefined) key.email = row.email;
  return { line: row.line, input: row.input, key };
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
