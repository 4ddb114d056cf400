// What the CDK stack (lib/) and the handlers (lambda/handlers/) agree on: environment variables and the state machine's payloads.
import type { Mode } from '../engine/outcomes.ts';

export const INPUT_PREFIXES = { 'dry-run': 'dry-run/', live: 'live/' } as const satisfies Record<Mode, string>;
export const INPUT_SUFFIX = '.csv';
/** Never trigger anything: reports for people, state for the engine. */
export const REPORTS_PREFIX = 'reports/';
export const STATE_PREFIX = 'state/';

/** Environment variable names set by the stack. */
export const ENV = {
  stateMachineArn: 'STATE_MACHINE_ARN',
  secretId: 'ONELOGIN_SECRET_ID',
  topicArn: 'NOTIFY_TOPIC_ARN',
  maxPercent: 'MAX_PERCENT',
  maxDeletions: 'MAX_DELETIONS',
  rateShare: 'RATE_SHARE',
  concurrency: 'ONELOGIN_CONCURRENCY',
  /** Milliseconds a step keeps in hand before its Lambda timeout to save its checkpoint. */
  safetyMarginMs: 'STEP_SAFETY_MARGIN_MS',
  /** Optional (local runs and emulator): overrides the host given in the secret. */
  apiUrlOverride: 'ONELOGIN_API_URL_OVERRIDE',
  /** Optional: comma-separated ids, usernames or emails that must never be deleted (like the CLI's --protect). */
  protect: 'PROTECTED_USERS',
} as const;

/** Input of a state machine execution, written by on-upload; the execution's name is jobId. */
export interface JobInput {
  jobId: string;
  bucket: string;
  key: string;
  versionId?: string;
  mode: Mode;
  /** `reports/<mode>/<key without mode prefix and .csv>/<jobId>/` */
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
