// The shape of report.json (docs/reports.md), for readers of a report: the CLI's summary, the local pipeline, the tests.

import type { BudgetVerdict } from './checkpoint.ts';
import type { InputHeader } from './input/input-types.ts';
import type { JobError } from './job.ts';
import type { Action, JobStatus, Mode, OutcomeCounts, RowOutcome } from './outcomes.ts';
import type { AccountRef } from './plan/plan-document.ts';
import type { ApiCallCounts } from './ports.ts';

export interface ReportDocument {
  schemaVersion: number;
  job: {
    id: string;
    mode: Mode;
    /** What a live run does to each user (docs/undo.md); absent in reports written before actions existed. */
    action?: Action;
    source: string;
    status: JobStatus;
    startedAt: string;
    finishedAt: string;
  };
  error?: JobError;
  input?: Pick<InputHeader, 'encoding' | 'separator' | 'columns' | 'ignoredColumns' | 'warnings'> & {
    /** sha256 (hex) of the input's bytes: what a reviewed plan binds a live run to. */
    sha256?: string;
  };
  /** The reviewed plan a live run was bound to (docs/plans.md). */
  plan?: { planId: string; createdAt: string };
  /** snapshot.jsonl of a run that changed users: the users as they were before (docs/undo.md). */
  snapshot?: { key: string; lines: number };
  /** The account the run reached (its host and token's account_id) and its profile or folder name, when it has one. */
  account?: AccountRef & { name?: string };
  /** Run warnings (a protect value that matches no user, …); absent when there are none. */
  warnings?: string[];
  /** What the run cannot do, said plainly (a restore: what can never come back, docs/restore.md); absent when none. */
  notices?: string[];
  summary: OutcomeCounts & { rows: number; apiCalls: number; apiCallsByKind: ApiCallCounts; budget?: BudgetVerdict };
  rows: RowOutcome[];
}

/** Everything of report.json but its rows: what a report file needs before it lists them. */
export type ReportHead = Omit<ReportDocument, 'rows'>;
