// The job's durable state between steps: small (no rows, no users), rewritten after every unit of work.

import type { InputHeader } from './input/input-types.ts';
import type { JobError, Phase, ReportKeys } from './job.ts';
import type { LookupCounts, LookupStrategy } from './lookup-strategy.ts';
import type { JobStatus, Mode, OutcomeCounts } from './outcomes.ts';
import type { AccountRef } from './plan/plan-document.ts';
import type { ApiCallCounts, ObjectStore } from './ports.ts';
import { putJson, readJson } from './store-json.ts';

/**
 * DELETEs sent (or about to be) whose outcome is not yet saved: re-sent on resume, where a 404 confirms our own delete.
 * Saved before any of them is sent; never more than EngineTuning.deleteBatch rows (one batch).
 */
export interface DeleteIntent {
  chunk: number;
  lines: number[];
  userIds: number[];
}

/** What the deletion budget says of the plan: a live run would be (or was) refused; `setting` would allow it. */
export interface BudgetVerdict {
  wouldRefuse: true;
  reason: 'over-budget';
  message: string;
  /** The setting and value that would allow the plan, e.g. "--max-percent 25" or "maxPercent 25". */
  setting: string;
}

/** How rows without a final outcome end when the job stops early (aborted, credentials refused). */
export interface Unfinished {
  reason: string;
  message: string;
}

export interface Checkpoint {
  schemaVersion: 1;
  jobId: string;
  mode: Mode;
  phase: Phase;
  status: JobStatus;
  startedAt: string;
  finishedAt?: string;
  header?: InputHeader;
  /** sha256 (hex) of the input's bytes, once validation has read them all. */
  inputSha256?: string;
  /** The account the credentials reach, read before any other call. */
  account?: AccountRef;
  /** A bound live run: its plan passed the file, account and age checks. */
  planAccepted?: boolean;
  rowsTotal: number;
  chunkCount: number;
  lookupCounts?: LookupCounts;
  accountUsers?: number;
  strategy?: LookupStrategy;
  /** Objects holding the users kept from a full listing (strategy 'listing'), once the listing is complete. */
  indexParts?: number;
  /** A listing in progress: parts saved so far and the cursor of the page after them. */
  listing?: { cursor: string; parts: number; pages: number };
  /** Listings that had to start again from the first page (a directory without cursors). */
  listingRestarts?: number;
  /** Next row to resolve. */
  resolveCursor: { chunk: number; row: number };
  planned: number;
  /** Set once the plan is complete (and the budget checked). */
  planMade?: boolean;
  /** A live plan over the deletion budget: refused, its planned rows `rejected` / `over-budget`. */
  overBudget?: boolean;
  /** Set when the plan is over the budget (a dry run says a live run would be refused): report.json summary.budget. */
  budget?: BudgetVerdict;
  /** Protect values were looked up (each that matches no user is a warning). */
  protectChecked?: boolean;
  /** Warnings for report.json `warnings` and the console (protect values matching no user). */
  warnings?: string[];
  /** Next chunk to apply. */
  applyChunk: number;
  /** A batched lookup showed the account's listing lacks custom_attributes or role_ids: full snapshots GET each user. */
  listingLacksSnapshotFields?: boolean;
  /** Snapshot parts stored so far (snapshot/snapshot-parts.ts): 0..snapshotParts-1. */
  snapshotParts?: number;
  intent?: DeleteIntent;
  /**
   * Rows of chunk `chunk` prepared (their snapshot lines stored) whose change a rate-limit wait or the step's end held
   * back: never sent, sent first by the next step without being prepared again.
   */
  held?: { chunk: number; lines: number[] };
  /** Outcome records (stored-row.ts) of chunk `applyChunk` not yet merged into it: sequence numbers from..to-1. */
  outcomeRecords?: { from: number; to: number };
  /** Final outcomes known so far (progress); recounted from the rows when the report is written. */
  counts: OutcomeCounts;
  apiCalls: ApiCallCounts;
  error?: JobError;
  unfinished?: Unfinished;
  reports?: ReportKeys;
}

export function checkpointKey(statePrefix: string): string {
  return `${statePrefix}checkpoint.json`;
}

export async function loadCheckpoint(store: ObjectStore, statePrefix: string): Promise<Checkpoint | undefined> {
  const checkpoint = await readJson<Checkpoint>(store, checkpointKey(statePrefix));
  if (checkpoint && checkpoint.schemaVersion !== 1)
    throw new Error(`unknown checkpoint version ${String(checkpoint.schemaVersion)}`);
  return checkpoint;
}

export async function saveCheckpoint(store: ObjectStore, statePrefix: string, checkpoint: Checkpoint): Promise<void> {
  await putJson(store, checkpointKey(statePrefix), checkpoint);
}
