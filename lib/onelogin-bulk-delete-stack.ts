// The deployable stack: the OneLoginBulkDelete construct configured from CDK context (cdk.json or `-c key=value`).
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { booleanFromText } from '../lambda/settings/boolean-setting.ts';
import { REQUIRE_REVIEWED_PLAN, REQUIRE_SECOND_APPROVER } from '../lambda/settings/plan-settings.ts';
import { ALLOW_DIRECTORY_USERS } from '../lambda/settings/run-settings.ts';
import { DELETE_ONLY_SUSPENDED } from '../lambda/settings/undo-settings.ts';
import { accountsFromContext } from './account-secrets.ts';
import { OneLoginBulkDelete, type OneLoginBulkDeleteProps } from './onelogin-bulk-delete.ts';

/** Context keys read by the stack; each maps to the construct prop of the same name. */
export const CONTEXT_KEYS = [
  'secretName',
  'notificationEmail',
  'maxPercent',
  'maxDeletions',
  'reportRetentionDays',
  'inputRetentionDays',
  'rateShare',
  'protectedUsers',
  'requireReviewedPlan',
  'planMaxAgeHours',
  'requireSecondApprover',
  'allowDirectoryUsers',
  'deleteOnlySuspended',
  'snapshotDetail',
  'snapshotRetentionDays',
  'accounts',
] as const;

export class OneLoginBulkDeleteStack extends Stack {
  readonly bulkDelete: OneLoginBulkDelete;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.bulkDelete = new OneLoginBulkDelete(this, 'BulkDelete', propsFromContext(this));

    new CfnOutput(this, 'BucketName', {
      value: this.bulkDelete.bucket.bucketName,
      description:
        'Upload CSVs to dry-run/, live/ or suspend/ and snapshots to restore/ here; reports appear under reports/, snapshots under snapshots/',
    });
    const secret = this.bulkDelete.secret;
    if (secret !== undefined) {
      new CfnOutput(this, 'SecretArn', {
        value: secret.secretArn,
        description: 'OneLogin API credentials (JSON: client_id, client_secret, subdomain | region | api_url)',
      });
    }
    new CfnOutput(this, 'StateMachineArn', { value: this.bulkDelete.stateMachine.stateMachineArn });
    new CfnOutput(this, 'TopicArn', { value: this.bulkDelete.topic.topicArn });
  }
}

/** Reads the context values; `-c` values arrive as strings, cdk.json values as JSON types. */
export function propsFromContext(scope: Construct): OneLoginBulkDeleteProps {
  const text = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') throw new Error(`Context ${key} must be a string, got ${JSON.stringify(value)}`);
    return value;
  };
  const number = (key: string): number | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
    if (!Number.isFinite(parsed)) throw new Error(`Context ${key} must be a number, got ${JSON.stringify(value)}`);
    return parsed;
  };
  /** A JSON array in cdk.json, or a comma-separated string from `-c protectedUsers=a,b`. */
  const list = (key: string): string[] | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value.split(',');
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
    throw new Error(`Context ${key} must be a list of strings, got ${JSON.stringify(value)}`);
  };
  return {
    secretName: text('secretName'),
    notificationEmail: text('notificationEmail'),
    maxPercent: number('maxPercent'),
    maxDeletions: number('maxDeletions'),
    reportRetentionDays: number('reportRetentionDays'),
    inputRetentionDays: number('inputRetentionDays'),
    rateShare: number('rateShare'),
    protect: list('protectedUsers'),
    requireReviewedPlan: booleanFromText(
      REQUIRE_REVIEWED_PLAN,
      scope.node.tryGetContext('requireReviewedPlan'),
      'Context',
    ),
    planMaxAgeHours: number('planMaxAgeHours'),
    requireSecondApprover: booleanFromText(
      REQUIRE_SECOND_APPROVER,
      scope.node.tryGetContext('requireSecondApprover'),
      'Context',
    ),
    allowDirectoryUsers: booleanFromText(
      ALLOW_DIRECTORY_USERS,
      scope.node.tryGetContext('allowDirectoryUsers'),
      'Context',
    ),
    deleteOnlySuspended: booleanFromText(
      DELETE_ONLY_SUSPENDED,
      scope.node.tryGetContext('deleteOnlySuspended'),
      'Context',
    ),
    // The construct checks the word (full | basic) through the setting's one definition.
    snapshotDetail: text('snapshotDetail') as OneLoginBulkDeleteProps['snapshotDetail'],
    snapshotRetentionDays: number('snapshotRetentionDays'),
    accounts: accountsFromContext(scope.node.tryGetContext('accounts')),
  };
}
