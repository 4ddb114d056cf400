// One line of snapshot.jsonl: a user as it was before a run changed it (docs/undo.md). A contract: add fields, never
// rename them. A restore reads these lines back, from a whole snapshot or any subset of its lines.
import type { AccountRef } from '../plan/plan-document.ts';
import type { UserRecord } from '../ports.ts';

export const SNAPSHOT_SCHEMA_VERSION = 1;

export interface SnapshotLine {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  jobId: string;
  /** ISO time the line was stored, before the change was sent. */
  at: string;
  action: 'delete' | 'suspend';
  /** The input line of the row that named the user. */
  line: number;
  /** The account the user was in (a restore into another account is refused). */
  account: AccountRef;
  /** The user as OneLogin returned it: every field it sent, custom_attributes included when it sent them. */
  user: UserRecord;
  /** The ids of the user's roles ([] with `role_ids` in missingFields when they could not be read). */
  roles: number[];
  /** The user's status before the change (OneLogin's numeric status), null when OneLogin did not say. */
  previousStatus: number | null;
  /** Fields the snapshot lacks (`--snapshot basic`, or OneLogin did not send them): a restore cannot bring them back. */
  missingFields?: string[];
}

/** A JSON object (not null, not an array): how a snapshot's `user`, `custom_attributes` and lines are told apart. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
