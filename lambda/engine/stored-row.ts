// A row as the engine keeps it between phases, in spooled chunks of the state prefix.

import type { IdentifierMatches, Outcome, ResolvedUser, RowInput } from './outcomes.ts';
import type { ObjectStore } from './ports.ts';
import type { SnapshotLine } from './snapshot/snapshot-line.ts';
import { putJson, readJson } from './store-json.ts';

/** The identifiers of a valid row, as validated (username/email trimmed, original case). */
export interface LookupKey {
  id?: number;
  username?: string;
  email?: string;
}

/**
 * States: unresolved (key, no outcome, not planned) → planned (user, planned) → final (outcome set).
 * Rejected-at-validation rows are final from the start. A planned row without outcome gets its final outcome
 * from the job's end (would-delete, over-budget, aborted) when the report is written.
 */
export interface StoredRow {
  line: number;
  input: RowInput;
  key?: LookupKey;
  planned?: true;
  user?: ResolvedUser;
  outcome?: Outcome;
  reason?: string;
  message?: string;
  /** `ambiguous`: the ids of the users that all match. */
  candidates?: number[];
  /** `identifier-mismatch`: the user each identifier found. */
  matches?: IdentifierMatches;
  /** A restore job's row: the snapshot line it brings back. */
  snapshot?: SnapshotLine;
}

export function chunkKey(statePrefix: string, index: number): string {
  return `${statePrefix}chunks/${String(index).padStart(6, '0')}.json`;
}

export async function readChunk(store: ObjectStore, statePrefix: string, index: number): Promise<StoredRow[]> {
  const rows = await readJson<StoredRow[]>(store, chunkKey(statePrefix, index));
  if (!rows) throw new Error(`job state is missing chunk ${index}`);
  return rows;
}

export async function writeChunk(
  store: ObjectStore,
  statePrefix: string,
  index: number,
  rows: StoredRow[],
): Promise<void> {
  await putJson(store, chunkKey(statePrefix, index), rows);
}

/** A row's final outcome as an outcome record carries it. */
export interface RowSettlement {
  line: number;
  outcome: Outcome;
  reason?: string;
  message?: string;
  /** The user as the change left it (a restored user's new record): replaces the row's user in the report. */
  user?: ResolvedUser;
}

/**
 * Outcomes of some DELETEs of the chunk being applied, saved as a small object of its own instead of rewriting the chunk:
 * merged into the chunk once the chunk is done. `released` lines were never accepted by the directory (a rate-limit wait,
 * the directory unavailable, or never sent): they leave the intent without an outcome.
 */
export interface OutcomeRecord {
  /** The checkpoint's startedAt: a record left by an earlier job with the same state prefix is never taken for this one's. */
  startedAt: string;
  chunk: number;
  seq: number;
  outcomes: RowSettlement[];
  released?: number[];
}

export function outcomeRecordKey(statePrefix: string, chunk: number, seq: number): string {
  return `${statePrefix}outcomes/${String(chunk).padStart(6, '0')}-${String(seq).padStart(6, '0')}.json`;
}

export async function readOutcomeRecord(
  store: ObjectStore,
  statePrefix: string,
  chunk: number,
  seq: number,
): Promise<OutcomeRecord | undefined> {
  return readJson<OutcomeRecord>(store, outcomeRecordKey(statePrefix, chunk, seq));
}

export async function writeOutcomeRecord(
  store: ObjectStore,
  statePrefix: string,
  record: OutcomeRecord,
): Promise<void> {
  await putJson(store, outcomeRecordKey(statePrefix, record.chunk, record.seq), record);
}

/** Gives a row its final outcome. */
export function applySettlement(row: StoredRow, settlement: RowSettlement): void {
  row.outcome = settlement.outcome;
  if (settlement.reason !== undefined) row.reason = settlement.reason;
  if (settlement.message !== undefined) row.message = settlement.message;
  if (settlement.user !== undefined) row.user = settlement.user;
}

/** Forget whatever a row's resolution produced (a slice being resolved again after an interrupted step). */
export function resetResolution(row: StoredRow): void {
  if (!row.key) return;
  delete row.planned;
  delete row.user;
  delete row.outcome;
  delete row.reason;
  delete row.message;
  delete row.candidates;
  delete row.matches;
}

/** Chunks `from`..`to - 1` in order, with a few reads ahead: on S3 a chunk read is a round trip. */
export async function* readChunks(
  store: ObjectStore,
  statePrefix: string,
  from: number,
  to: number,
  ahead = 4,
): AsyncGenerator<{ index: number; rows: StoredRow[] }> {
  const pending: Promise<StoredRow[]>[] = [];
  let next = from;
  const fill = () => {
    while (next < to && pending.length < ahead) {
      const read = readChunk(store, statePrefix, next);
      // A read that fails before its turn is reported at its turn, not as an unhandled rejection.
      read.catch(() => undefined);
      pending.push(read);
      next += 1;
    }
  };
  for (let index = from; index < to; index += 1) {
    fill();
    const rows = await (pending.shift() as Promise<StoredRow[]>);
    yield { index, rows };
  }
}

/** The id of the user a planned row names (a planned row always has its user). */
export function plannedUserId(row: StoredRow): number {
  return (row.user as { id: number }).id;
}
