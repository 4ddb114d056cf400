// The engine's public surface: what the CLI, the Lambda handlers and the local pipeline call.
import type { EngineTuning } from './engine-tuning.ts';
import type { Action, JobStatus, Mode, OutcomeCounts } from './outcomes.ts';
import type { PlanDocument } from './plan/plan-document.ts';
import type { Clock, InputSource, Logger, ObjectStore, UserDirectory } from './ports.ts';
import type { ProtectInput } from './protect-rules.ts';

/** A whole-job error (rejected or aborted): a stable code and a message safe to show. */
export interface JobError {
  code: string;
  message: string;
}

export interface JobOptions {
  /**
   * Ids, usernames or emails that must never be deleted, read like row values (protect-rules.ts); an item with a field
   * protects only that identifier. A value that cannot be an identifier refuses the run (`invalid-protect`).
   */
  protect: ProtectInput[];
  /** Users synced from a directory (`directory_id` set) may be deleted. Default false: they are `directory-managed`. */
  allowDirectoryUsers?: boolean;
  /** How messages name a setting: the CLI's flags or the stack's settings (default). */
  settingNames?: 'cli' | 'stack';
  /** Refuse a live run that would delete more than this many users. No default. */
  maxDeletions?: number;
  /** Refuse a live run that would delete more than this share (0–100) of the account's users. Default 10; 100 lifts it. */
  maxPercent: number;
  /** The account the credentials must reach (the token's account_id): another one refuses the run (`wrong-account`). */
  expectedAccountId?: number;
  /** A bound live run refuses a plan older than this (`not-approved`); a bound run without it is refused. */
  planMaxAgeHours?: number;
  /**
   * What snapshot.jsonl keeps of each user before it is changed (docs/undo.md). 'full' (default) reads a user again
   * (GET /api/2/users/:id, its roles) when the batched lookup lacks custom_attributes or role_ids; 'basic' never does, and
   * each line names the fields it lacks.
   */
  snapshot?: 'full' | 'basic';
  /** A deletion is refused for a user who is not suspended at delete time (`rejected` / `not-suspended`). Default false. */
  onlySuspended?: boolean;
}

export interface JobSpec {
  /** Stable id of the run (on AWS derived from bucket + key + versionId). */
  id: string;
  mode: Mode;
  /** What a live run does to each planned user; default 'delete'. A 'restore' job's input is a snapshot (JSON lines). */
  action?: Action;
  /** What to show as the job's source in reports (a file path or s3://bucket/key). */
  source: string;
  options: JobOptions;
  /** Where report.json, report.csv, retry.csv and status.json go in the store ('' or ending with '/'). */
  reportPrefix: string;
  /** Where snapshot.jsonl goes ('' or ending with '/'); default reportPrefix. */
  snapshotPrefix?: string;
  /** Where checkpoints and spooled chunks go in the store ('' or ending with '/'); never a triggering prefix. */
  statePrefix: string;
  /**
   * A live run bound to a reviewed dry run (docs/plans.md): only its users can be deleted, each fetched again and
   * compared first; the rows it did not approve keep its outcome. Ignored by a dry run.
   */
  plan?: PlanDocument;
  /**
   * The caller refuses the run as a whole (e.g. a live upload with no reviewed plan): the input is read so that every
   * row is reported, then every row not already refused ends `rejected` with this code, before any directory call.
   */
  refusal?: JobError;
  /** The account's name as its operator knows it (a CLI profile, an S3 account folder): report.json names it. */
  accountName?: string;
}

export interface EngineDeps {
  store: ObjectStore;
  input: InputSource;
  directory: UserDirectory;
  clock: Clock;
  logger: Logger;
  onProgress?: (progress: JobProgress) => void;
  /** Sizes of the engine's units of work; DEFAULT_TUNING where not given. */
  tuning?: Partial<EngineTuning>;
}

export type Phase = 'validate' | 'resolve' | 'apply' | 'report' | 'done';

export interface JobProgress {
  phase: Phase;
  rowsTotal: number;
  /** Rows that already have their final outcome. */
  rowsDone: number;
  counts: OutcomeCounts;
  apiCalls: number;
}

export interface StepLimits {
  /** Epoch ms by which the step must have saved its checkpoint and returned. */
  deadline?: number;
  /** Stop once the plan is made (the CLI shows it and asks for confirmation before a live run). */
  stopAfterPlan?: boolean;
  signal?: AbortSignal;
}

export interface PlanSummary {
  rows: number;
  /** Rows that would be deleted (dry run: would-delete; live: to delete). */
  toDelete: number;
  counts: OutcomeCounts;
  accountUsers: number;
}

export interface ReportKeys {
  json: string;
  csv: string;
  html: string;
  retry?: string;
  /** A dry run's plan.json. */
  plan?: string;
  /** snapshot.jsonl: the users as they were before this run changed them. */
  snapshot?: string;
}

export interface StepResult {
  done: boolean;
  /** Seconds to wait before the next step (e.g. until the rate-limit window resets); 0 when it can go on at once. */
  waitSeconds: number;
  phase: Phase;
  status: JobStatus;
  progress: JobProgress;
  /** Set once the plan is made. */
  plan?: PlanSummary;
  /** Set when done. */
  reports?: ReportKeys;
  error?: JobError;
}
