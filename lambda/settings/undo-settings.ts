// The settings of issue 11 (docs/undo.md, docs/restore.md): the quarantine rule, how much a snapshot keeps and how long
// it is kept. One definition each, read by the CLI (flags), the construct (props and context), the handlers (env vars)
// and the local pipeline (options).
import type { BooleanSetting } from './boolean-setting.ts';
import type { ChoiceSetting } from './choice-setting.ts';
import type { NumberSetting } from './number-setting.ts';

export const DELETE_ONLY_SUSPENDED = {
  key: 'deleteOnlySuspended',
  flag: '--only-suspended',
  env: 'DELETE_ONLY_SUSPENDED',
  description:
    'A deletion is refused for any user who is not suspended at delete time (rejected not-suspended): suspend first, wait, then delete only who is still suspended.',
  default: false,
} as const satisfies BooleanSetting;

export const SNAPSHOT_DETAILS = ['full', 'basic'] as const;
export type SnapshotDetail = (typeof SNAPSHOT_DETAILS)[number];

export const SNAPSHOT_DETAIL = {
  key: 'snapshotDetail',
  flag: '--snapshot',
  env: 'SNAPSHOT_DETAIL',
  description:
    "What snapshot.jsonl keeps of each user before it is changed: 'full' reads a user again when the batched lookup lacks its custom attributes or roles; 'basic' never does (each line names the fields it lacks).",
  choices: SNAPSHOT_DETAILS,
  default: 'full',
} as const satisfies ChoiceSetting<SnapshotDetail>;

export const SNAPSHOT_RETENTION_DAYS = {
  key: 'snapshotRetentionDays',
  description:
    'Days after which a snapshot (snapshots/…/snapshot.jsonl, what an undo restores from) expires; its own lifecycle rule, apart from the reports.',
  default: 90,
  integer: true,
  min: 1,
  max: 3650,
} as const satisfies NumberSetting;

/** The environment variables through which the stack hands these settings to the step and finalize functions. */
export const UNDO_SETTING_ENV = {
  deleteOnlySuspended: DELETE_ONLY_SUSPENDED.env,
  snapshotDetail: SNAPSHOT_DETAIL.env,
} as const;
