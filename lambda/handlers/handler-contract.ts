// What the CDK stack (lib/) and the handlers (lambda/handlers/) agree on: environment variables and the state machine's payloads.
import type { Action, Mode } from '../engine/outcomes.ts';
import { ACCOUNTS_ENV } from '../settings/accounts-setting.ts';
import { PLAN_SETTING_ENV } from '../settings/plan-settings.ts';
import { SETTING_ENV } from '../settings/run-settings.ts';
import { UNDO_SETTING_ENV } from '../settings/undo-settings.ts';
import { INPUT_FOLDERS } from './upload-kinds.ts';

/** The folders of the deletion CSVs by mode; every input folder (suspend/, restore/ too) is in upload-kinds.ts. */
export const INPUT_PREFIXES = { 'dry-run': 'dry-run/', live: 'live/' } as const satisfies Record<Mode, string>;
export const INPUT_SUFFIX = '.csv';
/** Every prefix an upload may start a run from (notifications, IAM, lifecycle, the local bridge). */
export const ALL_INPUT_PREFIXES: readonly string[] = Object.values(INPUT_FOLDERS);
/** Never trigger anything: reports for people, state for the engine. */
export const REPORTS_PREFIX = 'reports/';
export const STATE_PREFIX = 'state/';
/** The reviewed dry runs a live upload is bound to (plan.json, approval.json): the only part of reports/ the step reads. */
export const DRY_RUN_REPORTS_PREFIX = `${REPORTS_PREFIX}dry-run/`;
/**
 * `snapshots/<folder>/<name>/<jobId>/snapshot.jsonl`: the users as they were before a live run changed them, apart
 * from reports/ so that their own lifecycle rule (snapshotRetentionDays) decides how long they are kept. Never triggers.
 */
export const SNAPSHOTS_PREFIX = 'snapshots/';

/** Environment variable names set by the stack; the run settings' names are owned by lambda/settings/run-settings.ts. */
export const ENV = {
  stateMachineArn: 'STATE_MACHINE_ARN',
  secretId: 'ONELOGIN_SECRET_ID',
  /** With several accounts (accounts-setting.ts): their secrets and overrides, as JSON; then secretId is unset. */
  accounts: ACCOUNTS_ENV,
  topicArn: 'NOTIFY_TOPIC_ARN',
  ...SETTING_ENV,
  ...PLAN_SETTING_ENV,
  ...UNDO_SETTING_ENV,
} as const;

/** Input of a state machine execution, written by on-upload; the execution's name is jobId. */
export interface JobInput {
  jobId: string;
  bucket: string;
  key: string;
  versionId?: string;
  /** Who uploaded the object (the S3 event's userIdentity.principalId), for the second-approver rule. */
  principalId?: string;
  mode: Mode;
  /** What the run does (upload-kinds.ts: suspend/ suspends, restore/ and a dry-run/ .jsonl restore); absent: delete. */
  action?: Action;
  /** `reports/<folder>/<key without its folder and ending>/<jobId>/` */
  reportPrefix: string;
  /** `state/<jobId>/` */
  statePrefix: string;
}

/** What the step Lambda returns; the state machine loops on `done` and waits `waitSeconds`. */
export interface StepOutput extends JobInput {
  done: boolean;
  waitSeconds: number;
  status: string;
}
