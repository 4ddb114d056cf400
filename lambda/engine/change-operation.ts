// What a live run does to each planned user, a batch at a time: delete, suspend or restore (docs/undo.md). The apply
// phase drives an operation through the write-ahead intent record: prepare → intent saved → change each row → complete
// → outcomes saved. An operation never sends a change that its prepare did not first make durable (the snapshot lines).
import type { StepContext } from './step-context.ts';
import type { RowSettlement, StoredRow } from './stored-row.ts';

export interface PreparedBatch {
  /** Rows that need no change, with their outcome (already suspended, not suspended, gone, already present …). */
  settled: RowSettlement[];
  /** Rows to change, in batch order; the snapshot line of each is stored before prepare returns. */
  toChange: StoredRow[];
  /**
   * Prepare stopped part-way (a rate-limit wait): the rows it did not reach are in neither list and are prepared again
   * by a later step; the apply phase changes `toChange`, saves, then ends the step with this error.
   */
  stop?: unknown;
}

export interface ChangeOperation {
  /**
   * Before the batch's intent is saved: reads what the change needs and stores the snapshot lines of the rows to change.
   * Throws when a snapshot line cannot be stored: nothing of the batch is changed then.
   */
  prepare(ctx: StepContext, batch: readonly StoredRow[]): Promise<PreparedBatch>;
  /**
   * Changes one row's user. `resumed`: an earlier step may already have sent this change and lost its outcome. A
   * DirectoryCallError becomes `failed`; a rate-limit wait or the directory unavailable is rethrown (not sent).
   */
  change(ctx: StepContext, row: StoredRow, resumed: boolean): Promise<RowSettlement>;
  /** After the batch's changes have their outcomes, before they are saved (restore: its role assignments). */
  complete?(ctx: StepContext, settled: readonly RowSettlement[]): Promise<RowSettlement[]>;
  /**
   * The job stops early while these rows' changes may have been sent (the intent when it stopped): the outcomes it can
   * tell (a row it leaves out is known unchanged and ends like any unfinished row). Without it, every such row ends
   * `failed` / `aborted` ("may have been changed").
   */
  settleInterrupted?(ctx: StepContext, rows: readonly StoredRow[]): Promise<RowSettlement[]>;
}
