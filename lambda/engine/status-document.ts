// The shape of status.json (docs/reports.md) and its one writer: the upload handler writes the queued status, the engine every
// status after it. Readers (the CLI's routing, handlers, tests) use the same type.
import type { JobError, Phase } from './job.ts';
import type { JobStatus, Mode, OutcomeCounts } from './outcomes.ts';
import type { ApiCallCounts, ObjectStore } from './ports.ts';
import { putJson, readJson } from './store-json.ts';

export const STATUS_FILE = 'status.json';

/** Before the job's first step: the folder exists at once. */
export interface QueuedStatus {
  jobId: string;
  status: 'queued';
  source: string;
  mode: Mode;
  updatedAt: string;
}

/** While the job runs and once it has ended. */
export interface RunStatus {
  jobId: string;
  status: JobStatus;
  phase: Phase;
  rowsTotal: number;
  /** Rows that already have their final outcome. */
  rowsDone: number;
  counts: OutcomeCounts;
  apiCalls: number;
  /** The API calls by kind (token, get, list, delete). */
  apiCallsByKind?: ApiCallCounts;
  /** How far each phase got: rows looked up of the file's rows, users deleted of those planned. */
  phases?: PhaseProgress;
  /** Set when the job pauses between steps: how long and why, so a reader knows the quiet is expected. */
  nextWait?: NextWait;
  error?: JobError;
  /** Rewritten at least every EngineTuning.statusIntervalMs while a step runs, and at every phase change. */
  updatedAt: string;
}

export interface PhaseProgress {
  resolve: { rowsDone: number; rowsTotal: number };
  apply: { deleted: number; planned: number };
}

export interface NextWait {
  seconds: number;
  reason: 'rate-limit-window';
  /** When the next step starts (ISO time). */
  until: string;
}

export type StatusDocument = QueuedStatus | RunStatus;

export function statusKey(reportPrefix: string): string {
  return `${reportPrefix}${STATUS_FILE}`;
}

export async function writeStatusDocument(
  store: ObjectStore,
  reportPrefix: string,
  status: StatusDocument,
): Promise<void> {
  await putJson(store, statusKey(reportPrefix), status);
}

export async function readStatusDocument(
  store: ObjectStore,
  reportPrefix: string,
): Promise<StatusDocument | undefined> {
  return readJson<StatusDocument>(store, statusKey(reportPrefix));
}
