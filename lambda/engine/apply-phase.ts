// Phase 3 (live only): delete the planned users, exactly once each, a batch at a time.
// The checkpoint's intent lists the rows whose DELETE may have been sent and whose outcome is not saved yet; it is saved
// before any of them is sent. A batch's outcomes are saved in a small outcome record (not by rewriting the chunk), then
// the intent without them; the chunk takes the records' outcomes once all its rows are done. On resume an intent's rows
// that have no outcome yet are sent again: a 404 there means our earlier DELETE went through. A user is never sent a
// second DELETE once its outcome is saved.

import type { DeleteIntent } from './checkpoint.ts';
import { DirectoryCallError, WaitRequiredError } from './directory-errors.ts';
import { forEachLimited } from './limited-concurrency.ts';
import type { PhaseResult } from './phase-result.ts';
import { NEXT, YIELD_NOW } from './phase-result.ts';
import type { StepContext } from './step-context.ts';
import type { OutcomeRecord, RowSettlement, StoredRow } from './stored-row.ts';
import { applySettlement, readChunk, readOutcomeRecord, writeChunk, writeOutcomeRecord } from './stored-row.ts';

const CONFIRMED_MESSAGE = 'confirmed deleted after an interrupted step';
const CONFIRMED_BY_CHECK = 'confirmed deleted after the job was stopped';
const LOST_ANSWER_MESSAGE =
  'deleted: the answer to the first DELETE was lost, and its retry found the user gone (404), so the first one went through';

/** The chunk being applied, with the outcomes of its saved records. */
interface ApplyChunk {
  index: number;
  rows: StoredRow[];
  byLine: Map<number, StoredRow>;
  /** Rows changed since the chunk was read: it must be written back. */
  dirty: boolean;
}

export async function applyPhase(ctx: StepContext): Promise<PhaseResult> {
  const cp = ctx.checkpoint;
  while (cp.applyChunk < cp.chunkCount) {
    const chunk = await openApplyChunk(ctx);
    if (cp.intent) await deleteResumed(ctx, chunk);
    // Rows left in the intent may have been deleted: they are never sent as fresh ones (a 404 would read as absent).
    if (cp.intent || (await deleteFresh(ctx, chunk)) === 'yield') return YIELD_NOW;
    await closeApplyChunk(ctx, chunk);
  }
  ctx.deps.logger.info('deletions applied', {
    deleted: cp.counts.deleted,
    alreadyAbsent: cp.counts['already-absent'],
    failed: cp.counts.failed,
  });
  return NEXT;
}

/**
 * Before the job stops early (directory unavailable, aborted): merges the saved outcome records into the chunk being
 * applied, and settles DELETEs that were in flight — a listing by id tells which users are gone (reported deleted).
 * The caller saves the checkpoint.
 */
export async function settleInterruptedDeletes(ctx: StepContext): Promise<void> {
  const cp = ctx.checkpoint;
  const records = cp.outcomeRecords;
  if (!cp.intent && !(records && records.from < records.to)) return;
  const chunk = await openApplyChunk(ctx);
  const pending = (cp.intent?.lines ?? [])
    .map((line) => chunk.byLine.get(line))
    .filter((row): row is StoredRow => row !== undefined && row.outcome === undefined && row.user !== undefined);
  const present = await stillPresent(ctx, pending.map(userIdOf));
  for (const row of pending) {
    if (present === undefined) {
      applySettlement(row, {
        line: row.line,
        outcome: 'failed',
        reason: 'aborted',
        message: 'the job stopped while this user was being deleted; it may be deleted',
      });
    } else if (!present.has(userIdOf(row))) {
      applySettlement(row, { line: row.line, outcome: 'deleted', message: CONFIRMED_BY_CHECK });
    }
  }
  await writeChunk(ctx.store, ctx.spec.statePrefix, chunk.index, chunk.rows);
  cp.intent = undefined;
  const to = cp.outcomeRecords?.to ?? 0;
  cp.outcomeRecords = { from: to, to };
}

/** Which of the users are still in the account (a listing by id), or undefined when the directory cannot tell. */
async function stillPresent(ctx: StepContext, ids: readonly number[]): Promise<Set<number> | undefined> {
  const present = new Set<number>();
  const size = Math.max(1, ctx.deps.directory.idBatchSize);
  try {
    for (let i = 0; i < ids.length; i += size) {
      for (const user of await ctx.deps.directory.getUsersByIds(ids.slice(i, i + size))) present.add(user.id);
    }
  } catch (error) {
    ctx.deps.logger.warn('could not check deletions in flight when the job stopped', { error: (error as Error).name });
    return undefined;
  }
  return present;
}

/**
 * Reads chunk `applyChunk` and applies its saved outcome records. A record written after the checkpoint was last saved
 * (the step ended between the two) is taken too: its rows leave the intent.
 */
async function openApplyChunk(ctx: StepContext): Promise<ApplyChunk> {
  const cp = ctx.checkpoint;
  const { store } = ctx;
  const prefix = ctx.spec.statePrefix;
  const index = cp.applyChunk;
  // The intent belongs to the chunk being applied: the job moves on only once the intent is empty.
  if (cp.intent && cp.intent.chunk !== index)
    throw new Error(`internal: deletions in flight in chunk ${cp.intent.chunk} while applying chunk ${index}`);
  const records = cp.outcomeRecords ?? { from: 0, to: 0 };
  const seqs = Array.from({ length: records.to - records.from }, (_, i) => records.from + i);
  const [rows, ...saved] = await Promise.all([
    readChunk(store, prefix, index),
    ...seqs.map((seq) => readOutcomeRecord(store, prefix, index, seq)),
  ]);
  const chunk: ApplyChunk = { index, rows: rows as StoredRow[], byLine: new Map(), dirty: seqs.length > 0 };
  for (const row of chunk.rows) chunk.byLine.set(row.line, row);
  for (const [i, record] of saved.entries()) {
    if (!record) throw new Error(`job state is missing outcome record ${records.from + i} of chunk ${index}`);
    applyRecord(chunk, record as OutcomeRecord);
  }
  const intent = cp.intent;
  if (intent) {
    const unsaved = await readOutcomeRecord(store, prefix, index, records.to);
    if (unsaved && unsaved.startedAt === cp.startedAt && unsaved.chunk === index) {
      applyRecord(chunk, unsaved);
      for (const settlement of unsaved.outcomes) ctx.count(settlement.outcome);
      cp.outcomeRecords = { from: records.from, to: records.to + 1 };
      chunk.dirty = true;
      const done = new Set([...unsaved.outcomes.map((settlement) => settlement.line), ...(unsaved.released ?? [])]);
      cp.intent = intentOf(
        index,
        intent.lines
          .filter((line) => !done.has(line))
          .map((line) => chunk.byLine.get(line))
          .filter((row): row is StoredRow => row !== undefined),
      );
    }
  }
  return chunk;
}

function applyRecord(chunk: ApplyChunk, record: OutcomeRecord): void {
  for (const settlement of record.outcomes) {
    const row = chunk.byLine.get(settlement.line);
    if (!row)
      throw new Error(`outcome record ${record.seq} names line ${settlement.line}, not in chunk ${chunk.index}`);
    applySettlement(row, settlement);
  }
}

/** The chunk is done: it takes its records' outcomes, and the job moves to the next chunk. */
async function closeApplyChunk(ctx: StepContext, chunk: ApplyChunk): Promise<void> {
  const cp = ctx.checkpoint;
  if (chunk.dirty) await writeChunk(ctx.store, ctx.spec.statePrefix, chunk.index, chunk.rows);
  cp.applyChunk = chunk.index + 1;
  const to = cp.outcomeRecords?.to ?? 0;
  cp.outcomeRecords = { from: to, to };
  await ctx.save();
}

/** Saves an outcome record (when there is anything in it) and counts its outcomes; the caller saves the checkpoint. */
async function saveRecord(
  ctx: StepContext,
  chunk: ApplyChunk,
  settled: readonly RowSettlement[],
  released: readonly number[],
): Promise<void> {
  if (settled.length === 0 && released.length === 0) return;
  const cp = ctx.checkpoint;
  const records = cp.outcomeRecords ?? { from: 0, to: 0 };
  const record: OutcomeRecord = {
    startedAt: cp.startedAt,
    chunk: chunk.index,
    seq: records.to,
    outcomes: [...settled],
  };
  if (released.length > 0) record.released = [...released];
  await writeOutcomeRecord(ctx.store, ctx.spec.statePrefix, record);
  cp.outcomeRecords = { from: records.from, to: records.to + 1 };
  applyRecord(chunk, record);
  chunk.dirty = true;
  for (const settlement of settled) ctx.count(settlement.outcome);
}

/**
 * The intent a step found: those rows' DELETEs may have gone through. They are sent again (404 → deleted by us).
 * Rows not sent again (a job-level stop, the step's end) stay in the intent; a job-level error is rethrown after what
 * did complete is saved. Any other error leaves the intent as saved.
 */
async function deleteResumed(ctx: StepContext, chunk: ApplyChunk): Promise<void> {
  const cp = ctx.checkpoint;
  const intent = cp.intent as DeleteIntent;
  const rows = intent.lines.map((line) => chunk.byLine.get(line)).filter((row): row is StoredRow => row !== undefined);
  // Outcomes already in the chunk (an older state layout, or a stop that merged them) whose counts the checkpoint lacks.
  for (const row of rows) if (row.outcome !== undefined) ctx.count(row.outcome);
  const sent = await sendBatch(
    ctx,
    rows.filter((row) => row.outcome === undefined),
    true,
  );
  await saveRecord(ctx, chunk, sent.settled, []);
  cp.intent = intentOf(chunk.index, sent.notSent);
  await ctx.save();
  ctx.reportProgress();
  if (sent.stop !== undefined) throw sent.stop;
}

/**
 * Deletes the chunk's planned rows that have no outcome, `deleteBatch` at a time: the intent naming a batch is saved
 * before any of its DELETEs is sent, and the batch's outcomes (a record) before the intent drops it. Rows a batch did not
 * send (a job-level stop, the step's end) leave the intent without an outcome: they were never accepted.
 */
async function deleteFresh(ctx: StepContext, chunk: ApplyChunk): Promise<'done' | 'yield'> {
  const cp = ctx.checkpoint;
  const queue = chunk.rows.filter((row) => row.planned && row.outcome === undefined);
  const size = Math.max(1, ctx.tuning.deleteBatch);
  for (let start = 0; start < queue.length; start += size) {
    if (ctx.shouldYield()) return 'yield';
    const batch = queue.slice(start, start + size);
    cp.intent = intentOf(chunk.index, batch);
    await ctx.save();
    const sent = await sendBatch(ctx, batch, false);
    await saveRecord(
      ctx,
      chunk,
      sent.settled,
      sent.notSent.map((row) => row.line),
    );
    cp.intent = undefined;
    await ctx.save();
    ctx.reportProgress();
    if (sent.stop !== undefined) throw sent.stop;
    if (sent.notSent.length > 0) return 'yield';
  }
  return 'done';
}

interface SentBatch {
  settled: RowSettlement[];
  /** Refused (a rate-limit wait, the directory unavailable) or never sent: their DELETE was not accepted this time. */
  notSent: StoredRow[];
  /** The job-level error that stopped the batch; the directory unavailable wins over a wait. */
  stop?: unknown;
}

/**
 * The rows' DELETEs, `deleteConcurrency` at a time. After a job-level stop or once the step must end, no new DELETE
 * starts. Any other error (a crash, a lost answer) is thrown once the DELETEs in flight have their answer.
 */
async function sendBatch(ctx: StepContext, rows: readonly StoredRow[], resumed: boolean): Promise<SentBatch> {
  const sent: SentBatch = { settled: [], notSent: [] };
  await forEachLimited(rows, Math.max(1, ctx.tuning.deleteConcurrency), async (row) => {
    if (sent.stop !== undefined || ctx.shouldYield()) {
      sent.notSent.push(row);
      return;
    }
    try {
      sent.settled.push(await deleteOne(ctx, row, resumed));
    } catch (error) {
      if (!isStopError(error)) throw error;
      sent.notSent.push(row);
      if (sent.stop === undefined || isUnavailable(error)) sent.stop = error;
    }
  });
  return sent;
}

/** One DELETE's outcome. A wait, the directory unavailable or a lost answer is rethrown: the row has no outcome. */
async function deleteOne(ctx: StepContext, row: StoredRow, resumed: boolean): Promise<RowSettlement> {
  try {
    const result = await ctx.deps.directory.deleteUser(userIdOf(row));
    if (result === 'deleted') return { line: row.line, outcome: 'deleted' };
    if (result === 'absent-after-retry') return { line: row.line, outcome: 'deleted', message: LOST_ANSWER_MESSAGE };
    if (resumed) return { line: row.line, outcome: 'deleted', message: CONFIRMED_MESSAGE };
    return { line: row.line, outcome: 'already-absent', message: 'the user was gone at delete time' };
  } catch (error) {
    if (!(error instanceof DirectoryCallError)) throw error;
    return { line: row.line, outcome: 'failed', reason: error.reason, message: `delete failed: ${error.message}` };
  }
}

function intentOf(chunk: number, rows: readonly StoredRow[]): DeleteIntent | undefined {
  if (rows.length === 0) return undefined;
  return { chunk, lines: rows.map((row) => row.line), userIds: rows.map(userIdOf) };
}

function userIdOf(row: StoredRow): number {
  return (row.user as { id: number }).id;
}

/** Only a "wait for the rate limit" or "directory unavailable" answer means the DELETE was never accepted; anything
 * else (a crash, a lost answer) must leave the intent so the DELETE's fate is settled on resume. */
function isStopError(error: unknown): boolean {
  return error instanceof WaitRequiredError || isUnavailable(error);
}

function isUnavailable(error: unknown): boolean {
  return error instanceof Error && error.name === 'DirectoryUnavailableError';
}
