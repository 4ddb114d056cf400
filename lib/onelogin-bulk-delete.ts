// The reusable construct: an upload bucket whose dry-run/, live/, suspend/ and restore/ uploads start a Step Functions
// job that deletes, suspends or restores (or plans to) the listed OneLogin users and writes reports under reports/ and
// snapshots under snapshots/.
import { Duration, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  ALL_INPUT_PREFIXES,
  DRY_RUN_REPORTS_PREFIX,
  ENV,
  REPORTS_PREFIX,
  SNAPSHOTS_PREFIX,
  STATE_PREFIX,
} from '../lambda/handlers/handler-contract.ts';
import type { AccountsSetting } from '../lambda/settings/accounts-setting.ts';
import { accountsToEnvText } from '../lambda/settings/accounts-setting.ts';
import { booleanOrDefault, booleanToEnvText } from '../lambda/settings/boolean-setting.ts';
import { choiceOrDefault } from '../lambda/settings/choice-setting.ts';
import {
  PLAN_MAX_AGE_HOURS,
  REQUIRE_REVIEWED_PLAN,
  REQUIRE_SECOND_APPROVER,
} from '../lambda/settings/plan-settings.ts';
import { normalizeProtectList, protectToEnvText } from '../lambda/settings/protect-list.ts';
import { numberOrDefault } from '../lambda/settings/resolve-setting.ts';
import {
  ALLOW_DIRECTORY_USERS,
  CONCURRENCY,
  MAX_DELETIONS,
  MAX_PERCENT,
  RATE_SHARE,
  SAFETY_MARGIN_MS,
} from '../lambda/settings/run-settings.ts';
import { SettingsError } from '../lambda/settings/settings-error.ts';
import type { SnapshotDetail } from '../lambda/settings/undo-settings.ts';
import { DELETE_ONLY_SUSPENDED, SNAPSHOT_DETAIL, SNAPSHOT_RETENTION_DAYS } from '../lambda/settings/undo-settings.ts';
import type { AccountsProp } from './account-secrets.ts';
import { importAccountSecrets, secretReadStatements, validatedAccounts } from './account-secrets.ts';
import { BundledFunction } from './bundled-function.ts';
import { JobStateMachine } from './job-state-machine.ts';

export const POWERTOOLS_SERVICE_NAME = 'onelogin-bulk-delete';
export const METRICS_NAMESPACE = 'OneLoginBulkDelete';
/** The shape the created secret starts with; fill it in after the first deploy (docs/secret.md). */
export const SECRET_PLACEHOLDER = { client_id: '', client_secret: '', subdomain: '' };
/** CDK's singleton that applies bucket notifications (a fixed id in aws-cdk-lib). */
const BUCKET_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';
/** Every function's Powertools settings. */
const COMMON_ENVIRONMENT = { POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE };

export interface OneLoginBulkDeleteProps {
  /** Days after which uploads (dry-run/, live/, suspend/, restore/) and job state (state/) expire. Must outlast a run. @default 30 */
  readonly inputRetentionDays?: number;
  /** Days after which reports (reports/) expire. @default 30 */
  readonly reportRetentionDays?: number;
  /**
   * Days after which a snapshot (snapshots/…/snapshot.jsonl: the users as they were before a live run deleted or
   * suspended them, what an undo restores from) expires; its own lifecycle rule, apart from the reports'. @default 90
   */
  readonly snapshotRetentionDays?: number;
  /** Days a replaced or expired object version is kept. @default 7 */
  readonly noncurrentVersionRetentionDays?: number;
  /** Days the server access logs are kept. @default 90 */
  readonly accessLogRetentionDays?: number;
  /** A live run that would delete more than this percentage of the account's users is refused. @default 10 */
  readonly maxPercent?: number;
  /** A live run that would delete more than this many users (a positive whole number) is refused. @default - no count limit */
  readonly maxDeletions?: number;
  /** Share (0–1] of the account's OneLogin API rate limit the job may use. @default 0.8 */
  readonly rateShare?: number;
  /** Parallel OneLogin requests of a step. @default - the handler's default (4) */
  readonly concurrency?: number;
  /**
   * Ids, usernames or emails that must never be deleted (like the CLI's --protect). A value that cannot be an
   * identifier (a wildcard, a separator, an invalid id or email) is refused at synth time. @default - none
   */
  readonly protect?: string[];
  /** A live/<name>.csv upload runs only when bound to a completed dry run of the same bytes under dry-run/<name>.csv. @default true */
  readonly requireReviewedPlan?: boolean;
  /** Hours a dry run's plan approves a live upload. @default 72 */
  readonly planMaxAgeHours?: number;
  /** The live upload must come from another AWS principal than the dry-run upload. @default false */
  readonly requireSecondApprover?: boolean;
  /** Users synced from a directory (directory_id set) may be deleted (CLI: --allow-directory-users). @default false */
  readonly allowDirectoryUsers?: boolean;
  /**
   * A deletion is refused for any user who is not suspended at delete time (rejected not-suspended; CLI:
   * --only-suspended): the quarantine workflow, suspend/ first, then live/. @default false
   */
  readonly deleteOnlySuspended?: boolean;
  /** What a snapshot keeps (CLI: --snapshot): 'full' reads a user again for its custom attributes and roles; 'basic' does not. @default 'full' */
  readonly snapshotDetail?: SnapshotDetail;
  /** Use this existing Secrets Manager secret (by name) instead of creating one. */
  readonly secretName?: string;
  /**
   * Several OneLogin accounts (docs/accounts.md): account name → its existing secret's name, or `{ secretName, protect?,
   * maxDeletions?, maxPercent?, rateShare?, requireReviewedPlan? }`. Keys are then `<prefix>/<account>/<name>.csv` and
   * an upload under another folder is refused (unknown-account). Excludes secretName. @default - one secret for every key
   */
  readonly accounts?: AccountsProp;
  /** Subscribe this address to the notification topic (the recipient must confirm it). */
  readonly notificationEmail?: string;
  /** Timeout of one step Lambda invocation (at most 15 minutes). @default 10 minutes */
  readonly stepTimeout?: Duration;
  /** Time a step keeps in hand before its timeout to save its checkpoint. @default 1 minute */
  readonly stepSafetyMargin?: Duration;
  /** Wait between steps when a step does not say how long. @default 60 */
  readonly waitSecondsDefault?: number;
  /** Longest a whole job may run. @default 7 days */
  readonly executionTimeout?: Duration;
  /** Retention of the Lambda and state machine log groups. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** Root holding `lambda/handlers/*.ts` and package-lock.json. @default this repository */
  readonly projectRoot?: string;
}

export interface OneLoginBulkDeleteFunctions {
  readonly onUpload: lambda.Function;
  readonly step: lambda.Function;
  readonly finalize: lambda.Function;
}

export class OneLoginBulkDelete extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogBucket: s3.Bucket;
  /** The one secret; undefined with `accounts` (each account's secret is in accountSecrets). */
  readonly secret: secretsmanager.ISecret | undefined;
  /** Each account's imported secret, by account name; empty without `accounts`. */
  readonly accountSecrets: Readonly<Record<string, secretsmanager.ISecret>>;
  private readonly accounts: AccountsSetting | undefined;
  readonly topic: sns.Topic;
  readonly topicKey: kms.Key;
  readonly failureQueue: sqs.Queue;
  readonly stateMachine: sfn.StateMachine;
  readonly stateMachineLogGroup: logs.LogGroup;
  readonly functions: OneLoginBulkDeleteFunctions;
  readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: OneLoginBulkDeleteProps = {}) {
    super(scope, id);
    // Log delivery by bucket policy (not the LogDeliveryWrite ACL), so the log bucket can keep ACLs disabled,
    // whatever the flags of the app that uses this construct.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const settings = resolveSettings(props);

    this.accessLogBucket = this.createAccessLogBucket(settings.accessLogRetentionDays);
    this.bucket = this.createBucket(settings);
    this.accounts = props.accounts === undefined ? undefined : validatedAccounts(props.accounts, props.secretName);
    this.accountSecrets = this.accounts === undefined ? {} : importAccountSecrets(this, this.accounts);
    this.secret = this.accounts === undefined ? this.createOrImportSecret(props.secretName) : undefined;
    this.topicKey = this.createTopicKey();
    this.topic = this.createTopic(props.notificationEmail);
    this.failureQueue = this.createFailureQueue();

    const engine = this.createEngineFunctions(settings, props);
    const job = new JobStateMachine(this, 'StateMachine', {
      stepFunction: engine.step.function,
      finalizeFunction: engine.finalize.function,
      waitSecondsDefault: settings.waitSecondsDefault,
      executionTimeout: settings.executionTimeout,
      logRetention: settings.logRetention,
    });
    this.stateMachine = job.stateMachine;
    this.stateMachineLogGroup = job.logGroup;
    const onUpload = this.createOnUploadFunction(settings, props);
    this.functions = { onUpload: onUpload.function, step: engine.step.function, finalize: engine.finalize.function };

    this.grantAccess(onUpload, engine.step, engine.finalize);
    this.startJobsOnUpload(onUpload.function);
    this.finalizeEndedJobs(engine.finalize.function);
    this.alarms = this.createAlarms(onUpload.function);
  }

  private createTopic(notificationEmail: string | undefined): sns.Topic {
    const topic = new sns.Topic(this, 'Topic', {
      displayName: 'OneLogin bulk delete',
      enforceSSL: true,
      masterKey: this.topicKey,
    });
    if (notificationEmail) topic.addSubscription(new subscriptions.EmailSubscription(notificationEmail));
    return topic;
  }

  private createFailureQueue(): sqs.Queue {
    const queue = new sqs.Queue(this, 'FailureQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter destination of the on-upload and finalize functions and of the EventBridge rule.',
    });
    return queue;
  }

  /** Step and finalize both run the engine (finalize checks deletions that were in flight), so they share settings. */
  private createEngineFunctions(
    settings: Settings,
    props: OneLoginBulkDeleteProps,
  ): { step: BundledFunction; finalize: BundledFunction } {
    const environment = {
      ...COMMON_ENVIRONMENT,
      ...this.secretEnvironment(props.secretName),
      [ENV.topicArn]: this.topic.topicArn,
      [ENV.maxPercent]: String(settings.maxPercent),
      ...(settings.maxDeletions === undefined ? {} : { [ENV.maxDeletions]: String(settings.maxDeletions) }),
      [ENV.rateShare]: String(settings.rateShare),
      ...(settings.concurrency === undefined ? {} : { [ENV.concurrency]: String(settings.concurrency) }),
      ...(settings.protect.length === 0 ? {} : { [ENV.protect]: settings.protect.join(',') }),
      [ENV.allowDirectoryUsers]: booleanToEnvText(settings.allowDirectoryUsers),
      [ENV.safetyMarginMs]: String(settings.stepSafetyMargin.toMilliseconds()),
      [ENV.requireReviewedPlan]: String(settings.requireReviewedPlan),
      [ENV.planMaxAgeHours]: String(settings.planMaxAgeHours),
      [ENV.requireSecondApprover]: String(settings.requireSecondApprover),
      [ENV.deleteOnlySuspended]: booleanToEnvText(settings.deleteOnlySuspended),
      [ENV.snapshotDetail]: settings.snapshotDetail,
    };
    const shared = {
      timeout: settings.stepTimeout,
      memorySize: 1024,
      logRetention: settings.logRetention,
      projectRoot: props.projectRoot,
      environment,
    };
    const step = new BundledFunction(this, 'Step', {
      ...shared,
      entry: 'lambda/handlers/step.ts',
      description: 'OneLogin bulk delete: runs one step of a job from its checkpoint',
    });
    const finalize = new BundledFunction(this, 'Finalize', {
      ...shared,
      entry: 'lambda/handlers/finalize.ts',
      description: 'OneLogin bulk delete: writes the report of a failed, aborted or timed-out job and notifies',
      onFailure: new destinations.SqsDestination(this.failureQueue),
      retryAttempts: 2,
    });
    return { step, finalize };
  }

  private createOnUploadFunction(settings: Settings, props: OneLoginBulkDeleteProps): BundledFunction {
    return new BundledFunction(this, 'OnUpload', {
      entry: 'lambda/handlers/on-upload.ts',
      description: 'OneLogin bulk delete: starts a job for an uploaded CSV',
      timeout: Duration.seconds(30),
      memorySize: 256,
      logRetention: settings.logRetention,
      projectRoot: props.projectRoot,
      environment: {
        ...COMMON_ENVIRONMENT,
        [ENV.stateMachineArn]: this.stateMachine.stateMachineArn,
        // The account names only (no secret is read here): an upload under another folder is refused.
        ...(this.accounts === undefined ? {} : { [ENV.accounts]: accountsToEnvText(this.accounts) }),
      },
      onFailure: new destinations.SqsDestination(this.failureQueue),
      // Safe to retry: the execution name is derived from the object version, so a retry cannot start a second run.
      retryAttempts: 2,
    });
  }

  private startJobsOnUpload(onUpload: lambda.Function): void {
    for (const prefix of ALL_INPUT_PREFIXES) {
      // Every key under an input prefix, not just `.csv` / `.jsonl`: on-upload answers `Users.CSV`, `users.txt` or a
      // snapshot under live/ with a refused report (lambda/handlers/refused-upload.ts) instead of silence.
      this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(onUpload), { prefix });
    }
    this.acknowledgeNotificationsHandler();
  }

  private finalizeEndedJobs(finalize: lambda.Function): void {
    new events.Rule(this, 'JobEndedRule', {
      description:
        'Finalises a job whose execution ended without the workflow reaching its own end (aborted, failed, timed out).',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['ABORTED', 'FAILED', 'TIMED_OUT'],
          stateMachineArn: [this.stateMachine.stateMachineArn],
        },
      },
      targets: [
        new targets.LambdaFunction(finalize, {
          deadLetterQueue: this.failureQueue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(6),
        }),
      ],
    });
  }
  /** cdk-nag S1 exempts a bucket that receives another bucket's access logs, so it needs no acknowledgement. */
  private createAccessLogBucket(retentionDays: number): s3.Bucket {
    return new s3.Bucket(this, 'AccessLogBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Server access log delivery supports SSE-S3 only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(retentionDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
  }

  private createBucket(settings: Settings): s3.Bucket {
    const inputExpiry = Duration.days(settings.inputRetentionDays);
    return new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: 'upload-bucket/',
      // The inputs, state, reports and snapshots name people: nothing is kept longer than configured. Each prefix has
      // exactly one expiry rule (an object under two rules expires at the earlier), so snapshots live outside reports/.
      lifecycleRules: [
        ...ALL_INPUT_PREFIXES.map((prefix) => ({
          id: `expire-${prefix.slice(0, -1)}-inputs`,
          prefix,
          expiration: inputExpiry,
        })),
        { id: 'expire-state', prefix: STATE_PREFIX, expiration: inputExpiry },
        { id: 'expire-reports', prefix: REPORTS_PREFIX, expiration: Duration.days(settings.reportRetentionDays) },
        {
          id: 'expire-snapshots',
          prefix: SNAPSHOTS_PREFIX,
          expiration: Duration.days(settings.snapshotRetentionDays),
        },
        {
          id: 'clean-up-versions-and-uploads',
          noncurrentVersionExpiration: Duration.days(settings.noncurrentVersionRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
    });
  }

  /** The one secret's id, or every account's secret and overrides. */
  private secretEnvironment(secretName: string | undefined): Record<string, string> {
    if (this.accounts !== undefined) return { [ENV.accounts]: accountsToEnvText(this.accounts) };
    return { [ENV.secretId]: secretName ?? (this.secret as secretsmanager.ISecret).secretArn };
  }

  private createOrImportSecret(secretName: string | undefined): secretsmanager.ISecret {
    if (secretName) return secretsmanager.Secret.fromSecretNameV2(this, 'Secret', secretName);
    const secret = new secretsmanager.Secret(this, 'Secret', {
      description:
        'OneLogin API credentials for onelogin-bulk-delete. Replace the empty values: {"client_id","client_secret"} plus "subdomain" (or "region": "us"|"eu", or "api_url").',
      // An empty placeholder, not a credential: the real values are put in after deployment, outside the template.
      secretStringValue: SecretValue.unsafePlainText(JSON.stringify(SECRET_PLACEHOLDER)),
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Holds third-party OneLogin API credentials; they are rotated in OneLogin by an administrator, which Secrets Manager rotation cannot do.',
    });
    return secret;
  }

  private createTopicKey(): kms.Key {
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the onelogin-bulk-delete notification topic',
      enableKeyRotation: true,
    });
    // The AWS-managed aws/sns key does not let CloudWatch alarms publish, so the topic has its own key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    return key;
  }

  private grantAccess(onUpload: BundledFunction, step: BundledFunction, finalize: BundledFunction): void {
    const objects = (prefix: string) => this.bucket.arnForObjects(`${prefix}*`);
    const inputs = ALL_INPUT_PREFIXES.map(objects);
    const publish = () => [
      new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [this.topic.topicArn] }),
      new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [this.topicKey.keyArn] }),
    ];

    // Each function reads objects that may not exist yet (status.json, a checkpoint). Without s3:ListBucket S3
    // answers a missing key with 403 AccessDenied instead of 404 NoSuchKey, which the handlers rightly treat as an error.
    const listBucket = () =>
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] });

    // Writes may be multipart (large reports and checkpoints); a failed one is aborted, hence s3:AbortMultipartUpload.
    const WRITE = ['s3:PutObject', 's3:AbortMultipartUpload'];
    onUpload.accessPolicy.addStatements(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
      // Reads status.json first so that a duplicate event never overwrites the status of a running job.
      new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [objects(REPORTS_PREFIX)] }),
      listBucket(),
    );
    const secrets = this.secret === undefined ? Object.values(this.accountSecrets) : [this.secret];
    for (const engine of [step, finalize]) {
      engine.accessPolicy.addStatements(
        listBucket(),
        // Reads the exact uploaded version (VersionId from the S3 event).
        new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: inputs }),
        new iam.PolicyStatement({
          actions: ['s3:GetObject', ...WRITE, 's3:DeleteObject'],
          resources: [objects(STATE_PREFIX)],
        }),
        // The report writer removes a stale retry.csv when no row failed.
        new iam.PolicyStatement({ actions: [...WRITE, 's3:DeleteObject'], resources: [objects(REPORTS_PREFIX)] }),
        // Both end runs (finalize writes an aborted run's report) and so join snapshot.jsonl; neither reads nor deletes it.
        new iam.PolicyStatement({ actions: WRITE, resources: [objects(SNAPSHOTS_PREFIX)] }),
        ...secretReadStatements(secrets),
        ...publish(),
      );
    }
    // The step binds a live upload to its reviewed dry run: it reads plan.json and approval.json, nothing else of reports/.
    step.accessPolicy.addStatements(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects(DRY_RUN_REPORTS_PREFIX)] }),
    );

    const bucketRef = `<${this.logicalIdOf(this.bucket)}.Arn>`;
    const prefixReason = (what: string) =>
      `Object ARNs under one key prefix (${what}); job keys are only known at run time, so the prefix wildcard is the narrowest possible resource.`;
    const ack = (fn: BundledFunction, prefixes: string[], what: string) =>
      Validations.of(fn.accessPolicy).acknowledge(
        ...prefixes.map((prefix) => ({
          id: `AwsSolutions-IAM5[Resource::${bucketRef}/${prefix}*]`,
          reason: prefixReason(what),
        })),
      );
    ack(onUpload, [REPORTS_PREFIX], 'status.json of the job it starts');
    for (const engine of [step, finalize]) {
      ack(
        engine,
        [...ALL_INPUT_PREFIXES, STATE_PREFIX, REPORTS_PREFIX, SNAPSHOTS_PREFIX],
        'inputs, checkpoints, reports, snapshots',
      );
    }
    ack(step, [DRY_RUN_REPORTS_PREFIX], 'the reviewed dry runs’ plan.json and approval.json');
  }

  private acknowledgeNotificationsHandler(): void {
    const handler = Stack.of(this).node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
    if (!handler) return;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK-managed custom resource that applies the bucket notification configuration at deploy time; aws-cdk-lib does not let its role be replaced.',
    });
  }

  private createAlarms(onUpload: lambda.Function): cloudwatch.Alarm[] {
    const action = new cwActions.SnsAction(this.topic);
    const period = Duration.minutes(5);
    const alarmOnAny = (id: string, alarmDescription: string, metric: cloudwatch.IMetric): cloudwatch.Alarm =>
      new cloudwatch.Alarm(this, id, {
        alarmDescription,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    const alarms = [
      alarmOnAny(
        'ExecutionsFailedAlarm',
        'A OneLogin bulk delete job failed (its report says how far it got).',
        this.stateMachine.metricFailed({ period, statistic: 'Sum' }),
      ),
      alarmOnAny(
        'ExecutionsTimedOutAlarm',
        'A OneLogin bulk delete job ran past its execution timeout.',
        this.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
      ),
      alarmOnAny(
        'OnUploadErrorsAlarm',
        'The on-upload function failed: an uploaded CSV may not have started a job.',
        onUpload.metricErrors({ period, statistic: 'Sum' }),
      ),
      alarmOnAny(
        'FailureQueueAlarm',
        'An upload or job-end event could not be handled after retries and sits in the failure queue.',
        this.failureQueue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      ),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(action);
    return alarms;
  }

  private logicalIdOf(construct: Construct): string {
    const cfn = construct.node.defaultChild;
    if (!(cfn instanceof s3.CfnBucket)) throw new Error(`No CfnBucket under ${construct.node.path}`);
    return Stack.of(this).getLogicalId(cfn);
  }
}

interface Settings {
  inputRetentionDays: number;
  reportRetentionDays: number;
  snapshotRetentionDays: number;
  noncurrentVersionRetentionDays: number;
  accessLogRetentionDays: number;
  maxPercent: number;
  maxDeletions: number | undefined;
  rateShare: number;
  stepTimeout: Duration;
  stepSafetyMargin: Duration;
  waitSecondsDefault: number;
  executionTimeout: Duration;
  logRetention: logs.RetentionDays;
  protect: string[];
  allowDirectoryUsers: boolean;
  concurrency: number | undefined;
  requireReviewedPlan: boolean;
  planMaxAgeHours: number;
  requireSecondApprover: boolean;
  deleteOnlySuspended: boolean;
  snapshotDetail: SnapshotDetail;
}

/** Applies defaults and refuses settings that would break a run or the safety rules. */
export function resolveSettings(props: OneLoginBulkDeleteProps): Settings {
  const settings: Settings = {
    inputRetentionDays: props.inputRetentionDays ?? 30,
    reportRetentionDays: props.reportRetentionDays ?? 30,
    noncurrentVersionRetentionDays: props.noncurrentVersionRetentionDays ?? 7,
    accessLogRetentionDays: props.accessLogRetentionDays ?? 90,
    stepTimeout: props.stepTimeout ?? Duration.minutes(10),
    stepSafetyMargin: props.stepSafetyMargin ?? Duration.millis(SAFETY_MARGIN_MS.default),
    waitSecondsDefault: props.waitSecondsDefault ?? 60,
    executionTimeout: props.executionTimeout ?? Duration.days(7),
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    ...runSettingsOf(props),
    ...planSettingsOf(props),
    ...undoSettingsOf(props),
  };
  const wholeDays = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a whole number of days ≥ 1, got ${value}`);
  };
  wholeDays('inputRetentionDays', settings.inputRetentionDays);
  wholeDays('reportRetentionDays', settings.reportRetentionDays);
  wholeDays('noncurrentVersionRetentionDays', settings.noncurrentVersionRetentionDays);
  wholeDays('accessLogRetentionDays', settings.accessLogRetentionDays);
  if (settings.inputRetentionDays <= settings.executionTimeout.toDays({ integral: false })) {
    throw new Error(
      'inputRetentionDays must exceed the execution timeout, or a long run could lose its input or checkpoint',
    );
  }
  const stepSeconds = settings.stepTimeout.toSeconds();
  if (stepSeconds > 900) throw new Error('stepTimeout must be at most 15 minutes (the Lambda limit)');
  const marginMs = numberOrDefault(
    SAFETY_MARGIN_MS,
    settings.stepSafetyMargin.toMilliseconds({ integral: false }),
    'stepSafetyMargin (ms)',
  );
  if (marginMs >= stepSeconds * 1000) throw new Error('stepSafetyMargin must be shorter than stepTimeout');
  if (!(Number.isInteger(settings.waitSecondsDefault) && settings.waitSecondsDefault >= 0)) {
    throw new Error(`waitSecondsDefault must be a whole number ≥ 0, got ${settings.waitSecondsDefault}`);
  }
  return settings;
}

/** The run settings the functions receive as env vars, checked by the same rules as the CLI and the handlers. */
function runSettingsOf(
  props: OneLoginBulkDeleteProps,
): Pick<Settings, 'maxPercent' | 'maxDeletions' | 'rateShare' | 'concurrency' | 'protect' | 'allowDirectoryUsers'> {
  const protect = protectToEnvText(props.protect ?? [], 'protect');
  if (!protect.ok) throw new SettingsError([protect.problem]);
  return {
    maxPercent: numberOrDefault(MAX_PERCENT, props.maxPercent, MAX_PERCENT.key),
    maxDeletions: numberOrDefault(MAX_DELETIONS, props.maxDeletions, MAX_DELETIONS.key),
    rateShare: numberOrDefault(RATE_SHARE, props.rateShare, RATE_SHARE.key),
    // Unset stays unset: the handler then applies the same default.
    concurrency:
      props.concurrency === undefined ? undefined : numberOrDefault(CONCURRENCY, props.concurrency, CONCURRENCY.key),
    protect: normalizeProtectList(props.protect ?? []),
    allowDirectoryUsers: booleanOrDefault(ALLOW_DIRECTORY_USERS, props.allowDirectoryUsers, ALLOW_DIRECTORY_USERS.key),
  };
}

/** The plan binding's settings (docs/plans.md), through the same definitions as the handlers' env vars. */
function planSettingsOf(
  props: OneLoginBulkDeleteProps,
): Pick<Settings, 'requireReviewedPlan' | 'planMaxAgeHours' | 'requireSecondApprover'> {
  return {
    requireReviewedPlan: booleanOrDefault(REQUIRE_REVIEWED_PLAN, props.requireReviewedPlan, REQUIRE_REVIEWED_PLAN.key),
    planMaxAgeHours: numberOrDefault(PLAN_MAX_AGE_HOURS, props.planMaxAgeHours, PLAN_MAX_AGE_HOURS.key),
    requireSecondApprover: booleanOrDefault(
      REQUIRE_SECOND_APPROVER,
      props.requireSecondApprover,
      REQUIRE_SECOND_APPROVER.key,
    ),
  };
}

/** Issue 11's settings (docs/undo.md), through the same definitions as the CLI's flags and the handlers' env vars. */
function undoSettingsOf(
  props: OneLoginBulkDeleteProps,
): Pick<Settings, 'snapshotRetentionDays' | 'deleteOnlySuspended' | 'snapshotDetail'> {
  return {
    snapshotRetentionDays: numberOrDefault(
      SNAPSHOT_RETENTION_DAYS,
      props.snapshotRetentionDays,
      SNAPSHOT_RETENTION_DAYS.key,
    ),
    deleteOnlySuspended: booleanOrDefault(DELETE_ONLY_SUSPENDED, props.deleteOnlySuspended, DELETE_ONLY_SUSPENDED.key),
    snapshotDetail: choiceOrDefault(SNAPSHOT_DETAIL, props.snapshotDetail, SNAPSHOT_DETAIL.key),
  };
}
