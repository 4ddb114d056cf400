// Phase 3 (live only): delete the planned users, exactly once each.
// The checkpoint's intent lists the rows whose DELETE may have been sent and whose outcome is not saved yet; it is saved
// before any of them is sent. Outcomes are saved in small outcome records (not by rewriting the chunk), then the intent
// without them; the chunk takes the records' outcomes once all its rows are done. On resume an intent's rows that have
// no outcome yet are sent again: a 404 there means our earlier DELETE went through. A user is never sent a second DELETE
// once its outcome is saved.

import type { DeleteIntent } from './checkpoint.ts';
import { DirectoryCallError, WaitRequiredError } from './directory-errors.ts';
import { tuning } from './engine-tuning.ts';
import { forEachLimited } from './limited-concurrency.ts';
import type { StepContext } from './step-context.ts';
import type { OutcomeRecord, RowSettlement, StoredRow } from './stored-row.ts';
import { applySettlement, readChunk, readOutcomeRecord, writeChunk, writeOutcomeRecord } from './stored-row.ts';

const CONFIRMED_MESSAGE = 'confirmed deleted after an interrupted step';
const CONFIRMED_BY_CHECK = 'confirmed deleted after the job was stopped';

/** The chunk being applied, with the outcomes of its saved records. */
interface ApplyChunk {
  index: number;
  rows: StoredRow[];
  byLine: Map<number, StoredRow>;
  /** Rows changed since the chunk was read: it must be written back. */
  dirty: boolean;
}

export async function applyPhase(ctx: StepContext): Promise<'complete' | 'yield'> {
  const cp = ctx.checkpoint;
  let ahead: { index: number; rows: Promise<StoredRow[]> } | undefined;
  while (cp.applyChunk < cp.chunkCount) {
    const chunk = await openApplyChunk(ctx, ahead?.index === cp.applyChunk ? ahead.rows : undefined);
    // The next chunk is read while this one's DELETEs run (on S3 a read is a round trip); nothing writes it meanwhile.
    ahead = undefined;
    if (chunk.index + 1 < cp.chunkCount) {
      const rows = readChunk(ctx.store, ctx.spec.statePrefix, chunk.index + 1);
      // A read that fails is reported when the chunk's turn comes, not as an unhandled rejection.
      rows.catch(() => undefined);
      ahead = { index: chunk.index + 1, rows };
    }
    if (cp.intent) await deleteResumed(ctx, chunk);
    if ((await deleteFresh(ctx, chunk)) === 'yield') return 'yield';
    await closeApplyChunk(ctx, chunk);
  }
  cp.phase = 'report';
  ctx.deps.logger.info('deletions applied', {
    deleted: cp.counts.deleted,
    alreadyAbsent: cp.counts['already-absent'],
    failed: cp.counts.failed,
  });
  await ctx.save();
  return 'complete';
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
  const intent = cp.intent;
  if (intent) {
    const pending = intent.lines
      .map((line) => chunk.byLine.get(line))
      .filter((row): row is StoredRow => row !== undefined && row.outcome === undefined && row.user !== undefined);
    let present: Set<number> | undefined;
    try {
      const ids = pending.map(userIdOf);
      present = new Set<number>();
      const size = Math.max(1, ctx.deps.directory.idBatchSize);
      for (let i = 0; i < ids.length; i += size) {
        for (const user of await ctx.deps.directory.getUsersByIds(ids.slice(i, i + size))) present.add(user.id);
      }
    } catch (error) {
      ctx.deps.logger.warn('could not check deletions in flight when the job stopped', {
        error: (error as Error).name,
      });
      present = undefined;
    }
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
  }
  await writeChunk(ctx.store, ctx.spec.statePrefix, chunk.index, chunk.rows);
  cp.intent = undefined;
  const to = cp.outcomeRecords?.to ?? 0;
  cp.outcomeRecords = { from: to, to };
}

/**
 * Reads chunk `applyChunk` and applies its saved outcome records. A record written after the checkpoint was last saved
 * (the step ended between the two) is taken too: its rows leave the intent.
 */
async function openApplyChunk(ctx: StepContext, readAhead?: Promise<StoredRow[]>): Promise<ApplyChunk> {
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
    readAhead ?? readChunk(store, prefix, index),
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
 * A job-level error (wait, unavailable) is rethrown after what did complete is saved; rows it stopped stay in the intent.
 * Any other error leaves the intent as saved.
 */
async function deleteResumed(ctx: StepContext, chunk: ApplyChunk): Promise<void> {
  const cp = ctx.checkpoint;
  const intent = cp.intent as DeleteIntent;
  const rows = intent.lines.map((line) => chunk.byLine.get(line)).filter((row): row is StoredRow => row !== undefined);
  // Outcomes already in the chunk (an older state layout, or a stop that merged them) whose counts the checkpoint lacks.
  for (const row of rows) if (row.outcome !== undefined) ctx.count(row.outcome);
  const pending = rows.filter((row) => row.outcome === undefined);
  const settled: RowSettlement[] = [];
  let stop: unknown;
  try {
    await forEachLimited(pending, tuning.deleteConcurrency, async (row) => {
      const settlement = await deleteOne(ctx, row, true);
      settled.push(settlement);
    });
  } catch (error) {
    if (!isStopError(error)) throw error;
    stop = error;
  }
  await saveRecord(ctx, chunk, settled, []);
  cp.intent = intentOf(
    chunk.index,
    pending.filter((row) => row.outcome === undefined),
  );
  await ctx.save();
  ctx.reportProgress();
  if (stop !== undefined) throw stop;
}

/**
 * Deletes the chunk's planned rows that have no outcome, `deleteConcurrency` at a time, without pausing between
 * batches: while DELETEs run, completed outcomes are saved and the intent moves on to the next rows. A row is sent only
 * once a saved intent holds it; the intent never holds more than `deleteBatch` rows.
 */
async function deleteFresh(ctx: StepContext, chunk: ApplyChunk): Promise<'done' | 'yield'> {
  const queue = chunk.rows.filter((row) => row.planned && row.outcome === undefined);
  if (queue.length === 0) return 'done';
  if (ctx.shouldYield()) return 'yield';
  return new DeletePipeline(ctx, chunk, queue).run();
}

class DeletePipeline {
  /** queue[0, leased) entered a saved intent; queue[0, sent) were handed to a DELETE. */
  private leased = 0;
  private sent = 0;
  /** Rows of the intent being built: leased, without a saved outcome or release. */
  private readonly open = new Set<StoredRow>();
  /** Completed, waiting for the next outcome record. */
  private settled: RowSettlement[] = [];
  /** Sent but refused (rate-limit wait, directory unavailable): never accepted, they leave the intent. */
  private refused: StoredRow[] = [];
  private stop: unknown;
  private fatal: unknown;
  private yielded = false;
  private saving: Promise<void> | undefined;
  /** When the oldest outcome not yet in a record arrived. */
  private settledSince = 0;
  private waiters: (() => void)[] = [];
  private readonly limit = Math.max(1, tuning.deleteBatch);
  private readonly concurrency = Math.max(1, Math.min(tuning.deleteConcurrency, this.limit));
  /** Save (and extend the intent) once this few leased rows are left unsent: the save runs while they are sent. */
  private readonly lowWater = Math.min(this.limit - 1, Math.max(2 * this.concurrency, Math.floor(this.limit / 4)));

  constructor(
    private readonly ctx: StepContext,
    private readonly chunk: ApplyChunk,
    private readonly queue: readonly StoredRow[],
  ) {}

  async run(): Promise<'done' | 'yield'> {
    await Promise.all(Array.from({ length: this.concurrency }, () => this.worker()));
    while (this.saving) await this.saving;
    // Every DELETE has its answer: nothing is in flight past this point.
    if (this.fatal !== undefined) throw this.fatal;
    // What completed is saved; rows leased but never sent leave the intent.
    const unsent = this.queue.slice(this.sent, this.leased);
    this.leased = this.sent;
    if (
      this.settled.length > 0 ||
      this.refused.length > 0 ||
      unsent.length > 0 ||
      this.ctx.checkpoint.intent !== undefined
    ) {
      await this.save(this.leased, unsent);
    }
    if (this.stop !== undefined) throw this.stop;
    if (this.yielded) return 'yield';
    if (this.sent < this.queue.length || this.open.size > 0)
      throw new Error('internal: deletions of a chunk ended unfinished');
    return 'done';
  }

  private halted(): boolean {
    return this.fatal !== undefined || this.stop !== undefined || this.yielded;
  }

  private async worker(): Promise<void> {
    for (;;) {
      if (this.halted()) return;
      if (this.sent < this.leased) {
        if (this.ctx.shouldYield()) {
          this.yielded = true;
          this.wake();
          return;
        }
        const row = this.queue[this.sent] as StoredRow;
        this.sent += 1;
        this.kick();
        await this.send(row);
        this.kick();
        continue;
      }
      if (this.sent >= this.queue.length) return;
      // The intent is full or being saved: a DELETE completing or the save ending wakes this worker.
      this.kick();
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  private async send(row: StoredRow): Promise<void> {
    try {
      // Not `this.settled.push(await …)`: a save may swap the array while the DELETE runs.
      const settlement = await deleteOne(this.ctx, row, false);
      if (this.settled.length === 0) this.settledSince = this.ctx.deps.clock.now();
      this.settled.push(settlement);
    } catch (error) {
      if (isStopError(error)) {
        this.refused.push(row);
        if (this.stop === undefined || isUnavailable(error)) this.stop = error;
      } else {
        this.fatal ??= error;
      }
      this.wake();
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Starts a save when the intent runs low or completed outcomes have waited long enough; one save at a time. */
  private kick(): void {
    if (this.saving !== undefined || this.halted()) return;
    const room = this.limit - (this.open.size - this.settled.length);
    const canGrow = this.leased < this.queue.length && room > 0;
    const hungry = canGrow && this.leased - this.sent <= this.lowWater;
    const due =
      this.settled.length > 0 &&
      (this.settled.length >= this.limit - this.lowWater ||
        this.ctx.deps.clock.now() - this.settledSince >= tuning.outcomeFlushMs);
    if (!hungry && !due) return;
    const leaseTo = hungry ? Math.min(this.queue.length, this.leased + room) : this.leased;
    this.saving = this.save(leaseTo, [])
      .catch((error: unknown) => {
        this.fatal ??= error;
      })
      .finally(() => {
        this.saving = undefined;
        this.wake();
        this.kick();
      });
  }

  /**
   * Saves the outcomes completed so far (a record), then the checkpoint whose intent drops them and the released rows
   * (refused, or `unsent`) and takes queue[leased, leaseTo). Only then may the new rows be sent.
   */
  private async save(leaseTo: number, unsent: readonly StoredRow[]): Promise<void> {
    const settled = this.settled;
    this.settled = [];
    const released = [...this.refused, ...unsent];
    this.refused = [];
    await saveRecord(
      this.ctx,
      this.chunk,
      settled,
      released.map((row) => row.line),
    );
    for (const settlement of settled) this.open.delete(this.chunk.byLine.get(settlement.line) as StoredRow);
    for (const row of released) this.open.delete(row);
    for (let i = this.leased; i < leaseTo; i += 1) this.open.add(this.queue[i] as StoredRow);
    this.ctx.checkpoint.intent = intentOf(this.chunk.index, [...this.open]);
    await this.ctx.save();
    this.leased = Math.max(this.leased, leaseTo);
    this.ctx.reportProgress();
  }
}

/** One DELETE's outcome. A wait, the directory unavailable or a lost answer is rethrown: the row has no outcome. */
async function deleteOne(ctx: StepContext, row: StoredRow, resumed: boolean): Promise<RowSettlement> {
  try {
    const result = await ctx.deps.directory.deleteUser(userIdOf(row));
    if (result === 'deleted') return { line: row.line, outcome: 'deleted' };
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
