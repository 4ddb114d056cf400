// Phase 3 (live only): change the planned users — delete, suspend or restore them (change-operations.ts) — exactly once
// each, a batch at a time. The checkpoint's intent lists the rows whose change may have been sent and whose outcome is
// not saved yet; it is saved before any of them is sent, and after the operation's prepare has made the batch's snapshot
// lines durable. A batch's outcomes are saved in a small outcome record (not by rewriting the chunk), then the intent
// without them; the chunk takes the records' outcomes once all its rows are done. On resume an intent's rows that have no
// outcome yet are changed again as `resumed` (a 404 to a DELETE then means our earlier one went through). A user is never
// changed a second time once its outcome is saved.

import type { ChangeOperation, PreparedBatch } from './change-operation.ts';
import { operationFor } from './change-operations.ts';
import type { DeleteIntent } from './checkpoint.ts';
import { DirectoryCallError, WaitRequiredError } from './directory-errors.ts';
import { forEachLimited } from './limited-concurrency.ts';
import type { PhaseResult } from './phase-result.ts';
import { NEXT, YIELD_NOW } from './phase-result.ts';
import type { StepContext } from './step-context.ts';
import type { OutcomeRecord, RowSettlement, StoredRow } from './stored-row.ts';
import {
  applySettlement,
  plannedUserId,
  readChunk,
  readOutcomeRecord,
  writeChunk,
  writeOutcomeRecord,
} from './stored-row.ts';

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
  const operation = operationFor(ctx.spec.action);
  while (cp.applyChunk < cp.chunkCount) {
    const chunk = await openApplyChunk(ctx);
    if (cp.intent) await changeResumed(ctx, operation, chunk);
    // Rows left in the intent may have been changed: they are never sent as fresh ones (a 404 would read as absent).
    if (cp.intent || (await changeFresh(ctx, operation, chunk)) === 'yield') return YIELD_NOW;
    await closeApplyChunk(ctx, chunk);
  }
  const { counts } = cp;
  ctx.deps.logger.info('changes applied', {
    action: ctx.spec.action ?? 'delete',
    deleted: counts.deleted,
    suspended: counts.suspended,
    restored: counts.restored,
    alreadyAbsent: counts['already-absent'],
    failed: counts.failed,
  });
  return NEXT;
}

/**
 * Before the job stops early (directory unavailable, aborted): merges the saved outcome records into the chunk being
 * applied, and settles changes that were in flight as far as the operation can tell (a deletion: a listing by id tells
 * which users are gone); any other row in flight ends `failed` / `aborted`. The caller saves the checkpoint.
 */
export async function settleInterruptedChanges(ctx: StepContext): Promise<void> {
  const cp = ctx.checkpoint;
  const records = cp.outcomeRecords;
  if (!cp.intent && !(records && records.from < records.to)) return;
  const chunk = await openApplyChunk(ctx);
  const pending = (cp.intent?.lines ?? [])
    .map((line) => chunk.byLine.get(line))
    .filter((row): row is StoredRow => row !== undefined && row.outcome === undefined && row.user !== undefined);
  const operation = operationFor(ctx.spec.action);
  const settled =
    pending.length === 0
      ? []
      : operation.settleInterrupted
        ? await operation.settleInterrupted(ctx, pending)
        : pending.map((row) => mayHaveChanged(row));
  for (const settlement of settled) {
    const row = chunk.byLine.get(settlement.line);
    if (row) applySettlement(row, settlement);
  }
  await writeChunk(ctx.store, ctx.spec.statePrefix, chunk.index, chunk.rows);
  cp.intent = undefined;
  const to = cp.outcomeRecords?.to ?? 0;
  cp.outcomeRecords = { from: to, to };
}

function mayHaveChanged(row: StoredRow): RowSettlement {
  return {
    line: row.line,
    outcome: 'failed',
    reason: 'aborted',
    message: 'the job stopped while this user was being changed; it may have been changed',
  };
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
 * The intent a step found: those rows' changes may have gone through. They are changed again as `resumed` (a DELETE's
 * 404 → deleted by us). Rows not sent again (a job-level stop, the step's end) stay in the intent; a job-level error is
 * rethrown after what did complete is saved. Any other error leaves the intent as saved.
 */
async function changeResumed(ctx: StepContext, operation: ChangeOperation, chunk: ApplyChunk): Promise<void> {
  const cp = ctx.checkpoint;
  const intent = cp.intent as DeleteIntent;
  const rows = intent.lines.map((line) => chunk.byLine.get(line)).filter((row): row is StoredRow => row !== undefined);
  // Outcomes already in the chunk (an older state layout, or a stop that merged them) whose counts the checkpoint lacks.
  for (const row of rows) if (row.outcome !== undefined) ctx.count(row.outcome);
  const sent = await sendBatch(
    ctx,
    operation,
    rows.filter((row) => row.outcome === undefined),
    true,
  );
  await saveRecord(ctx, chunk, await completed(ctx, operation, sent.settled), []);
  cp.intent = intentOf(chunk.index, sent.notSent);
  await ctx.save();
  ctx.reportProgress();
  if (sent.stop !== undefined) throw sent.stop;
}

/**
 * Changes the chunk's planned rows that have no outcome, `deleteBatch` at a time: the operation prepares a batch (its
 * snapshot lines stored; rows needing no change settled), the intent naming the rows to change is saved before any
 * change is sent, and the batch's outcomes (a record) before the intent drops it. Rows a batch did not send (a rate-limit
 * wait, the step's end) leave the intent without an outcome — they were never accepted — and are held, prepared, for the
 * next step: sent first there, not read again (a window too small for a batch's reads and changes still progresses).
 */
async function changeFresh(ctx: StepContext, operation: ChangeOperation, chunk: ApplyChunk): Promise<'done' | 'yield'> {
  const cp = ctx.checkpoint;
  const held = heldRows(ctx, chunk);
  if (held.length > 0 && (await changeBatch(ctx, operation, chunk, { settled: [], toChange: held })) === 'yield')
    return 'yield';
  const queue = chunk.rows.filter((row) => row.planned && row.outcome === undefined);
  const size = Math.max(1, ctx.tuning.deleteBatch);
  for (let start = 0; start < queue.length; start += size) {
    if (ctx.shouldStopChanging()) return 'yield';
    const prepared = await operation.prepare(ctx, queue.slice(start, start + size));
    if ((await changeBatch(ctx, operation, chunk, prepared)) === 'yield') return 'yield';
  }
  cp.held = undefined;
  return 'done';
}

/** The rows of this chunk an earlier step prepared but could not send (still without an outcome). */
function heldRows(ctx: StepContext, chunk: ApplyChunk): StoredRow[] {
  const held = ctx.checkpoint.held;
  if (held === undefined || held.chunk !== chunk.index) return [];
  return held.lines
    .map((line) => chunk.byLine.get(line))
    .filter((row): row is StoredRow => row !== undefined && row.outcome === undefined);
}

/** One prepared batch: intent saved, changes sent, outcomes saved, intent cleared; what was not sent is held. */
async function changeBatch(
  ctx: StepContext,
  operation: ChangeOperation,
  chunk: ApplyChunk,
  prepared: PreparedBatch,
): Promise<'done' | 'yield'> {
  const cp = ctx.checkpoint;
  cp.intent = intentOf(chunk.index, prepared.toChange);
  if (cp.intent) await ctx.save();
  const sent = await sendBatch(ctx, operation, prepared.toChange, false);
  const settled = [...prepared.settled, ...(await completed(ctx, operation, sent.settled))];
  await saveRecord(
    ctx,
    chunk,
    settled,
    sent.notSent.map((row) => row.line),
  );
  cp.intent = undefined;
  cp.held = sent.notSent.length > 0 ? { chunk: chunk.index, lines: sent.notSent.map((row) => row.line) } : undefined;
  await ctx.save();
  ctx.reportProgress();
  const stop = sent.stop ?? prepared.stop;
  if (stop !== undefined) throw stop;
  return sent.notSent.length > 0 ? 'yield' : 'done';
}

/** The operation's last word on a batch's changes (restore: its role assignments), before they are saved. */
async function completed(
  ctx: StepContext,
  operation: ChangeOperation,
  settled: readonly RowSettlement[],
): Promise<RowSettlement[]> {
  if (!operation.complete || settled.length === 0) return [...settled];
  return operation.complete(ctx, settled);
}

interface SentBatch {
  settled: RowSettlement[];
  /** Refused (a rate-limit wait, the directory unavailable) or never sent: their change was not accepted this time. */
  notSent: StoredRow[];
  /** The job-level error that stopped the batch; the directory unavailable wins over a wait. */
  stop?: unknown;
}

/**
 * The rows' changes, `deleteConcurrency` at a time. After a job-level stop or once the step must end, no new change
 * starts. Any other error (a crash, a lost answer) is thrown once the changes in flight have their answer.
 */
async function sendBatch(
  ctx: StepContext,
  operation: ChangeOperation,
  rows: readonly StoredRow[],
  resumed: boolean,
): Promise<SentBatch> {
  const sent: SentBatch = { settled: [], notSent: [] };
  await forEachLimited(rows, Math.max(1, ctx.tuning.deleteConcurrency), async (row) => {
    if (sent.stop !== undefined || ctx.shouldStopChanging()) {
      sent.notSent.push(row);
      return;
    }
    try {
      sent.settled.push(await changeOne(ctx, operation, row, resumed));
      ctx.noteChangeSent();
    } catch (error) {
      if (!isStopError(error)) throw error;
      sent.notSent.push(row);
      if (sent.stop === undefined || isUnavailable(error)) sent.stop = error;
    }
  });
  return sent;
}

/** One change's outcome. A wait, the directory unavailable or a lost answer is rethrown: the row has no outcome. */
async function changeOne(
  ctx: StepContext,
  operation: ChangeOperation,
  row: StoredRow,
  resumed: boolean,
): Promise<RowSettlement> {
  try {
    return await operation.change(ctx, row, resumed);
  } catch (error) {
    if (!(error instanceof DirectoryCallError)) throw error;
    return { line: row.line, outcome: 'failed', reason: error.reason, message: `change failed: ${error.message}` };
  }
}

function intentOf(chunk: number, rows: readonly StoredRow[]): DeleteIntent | undefined {
  if (rows.length === 0) return undefined;
  return { chunk, lines: rows.map((row) => row.line), userIds: rows.map(plannedUserId) };
}

/** Only a "wait for the rate limit" or "directory unavailable" answer means the DELETE was never accepted; anything
 * else (a crash, a lost answer) must leave the intent so the DELETE's fate is settled on resume. */
function isStopError(error: unknown): boolean {
  return error instanceof WaitRequiredError || isUnavailable(error);
}

function isUnavailable(error: unknown): boolean {
  return error instanceof Error && error.name === 'DirectoryUnavailableError';
}
