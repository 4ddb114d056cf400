import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/handlers/handler-contract.ts';
import {
  type AslDefinition,
  type Json,
  logicalId,
  oneSecret,
  removeOutdirs,
  render,
  type Synthesized,
  stateMachineDefinition,
  synthStack,
} from './synth-helpers.ts';

let synth: Synthesized;
let ids: Record<string, string>;

beforeAll(() => {
  synth = synthStack();
  const { stack } = synth;
  const b = stack.bulkDelete;
  ids = {
    bucket: logicalId(stack, b.bucket),
    accessLogBucket: logicalId(stack, b.accessLogBucket),
    topic: logicalId(stack, b.topic),
    topicKey: logicalId(stack, b.topicKey),
    queue: logicalId(stack, b.failureQueue),
    secret: logicalId(stack, oneSecret(b)),
    stateMachine: logicalId(stack, b.stateMachine),
    stateMachineLogGroup: logicalId(stack, b.stateMachineLogGroup),
    onUpload: logicalId(stack, b.functions.onUpload),
    step: logicalId(stack, b.functions.step),
    finalize: logicalId(stack, b.functions.finalize),
  };
});
afterAll(removeOutdirs);

function resource(id: string | undefined): { Type: string; Properties: Record<string, Json> } {
  const all = synth.template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, Json> }>;
  const found = id === undefined ? undefined : all[id];
  if (!found) throw new Error(`no resource ${id}`);
  return found;
}

describe('upload bucket', () => {
  it('blocks public access, enforces TLS, encrypts, versions and disables ACLs', () => {
    const props = resource(ids.bucket).Properties;
    expect(props.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(props.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(props.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(props.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('expires inputs, state and reports after 30 days, snapshots after 90, and cleans up old versions and uploads', () => {
    const rules = (resource(ids.bucket).Properties.LifecycleConfiguration as { Rules: Array<Record<string, Json>> })
      .Rules;
    const byPrefix = Object.fromEntries(
      rules.filter((rule) => rule.Prefix !== undefined).map((rule) => [rule.Prefix, rule.ExpirationInDays]),
    );
    expect(byPrefix).toEqual({
      'dry-run/': 30,
      'live/': 30,
      'suspend/': 30,
      'restore/': 30,
      'state/': 30,
      'reports/': 30,
      'snapshots/': 90,
    });
    // An object under two expiry rules goes at the earlier one: no rule's prefix may contain another's.
    const prefixes = Object.keys(byPrefix);
    for (const prefix of prefixes) {
      expect(prefixes.filter((other) => other !== prefix && other.startsWith(prefix))).toEqual([]);
    }
    expect(rules.every((rule) => rule.Status === 'Enabled')).toBe(true);
    expect(rules).toContainEqual(
      expect.objectContaining({
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        NoncurrentVersionExpiration: { NoncurrentDays: 7 },
        ExpiredObjectDeleteMarker: true,
      }),
    );
  });

  it('logs server access to a separate hardened bucket that log delivery may write to', () => {
    expect(resource(ids.bucket).Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: ids.accessLogBucket },
      LogFilePrefix: 'upload-bucket/',
    });
    const logProps = resource(ids.accessLogBucket).Properties;
    expect(logProps.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(logProps.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(logProps.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(logProps.LoggingConfiguration).toBeUndefined();
    synth.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: ids.accessLogBucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'logging.s3.amazonaws.com' },
          }),
        ]),
      },
    });
  });

  it('starts on-upload for every object created under dry-run/, live/, suspend/ and restore/ (it refuses keys that do not run), and for nothing else', () => {
    const notifications = synth.template.findResources('Custom::S3BucketNotifications');
    const configs = Object.values(notifications).map(
      (n) =>
        (n as { Properties: { NotificationConfiguration: Record<string, Json> } }).Properties.NotificationConfiguration,
    );
    expect(configs).toHaveLength(1);
    const config = configs[0] as Record<string, Json>;
    expect(Object.keys(config)).toEqual(['LambdaFunctionConfigurations']);
    const lambdaConfigs = config.LambdaFunctionConfigurations as Array<{
      Events: string[];
      Filter: Json;
      LambdaFunctionArn: Json;
    }>;
    expect(
      lambdaConfigs.map((c) => ({ events: c.Events, filter: c.Filter, target: render(c.LambdaFunctionArn) })),
    ).toEqual([
      {
        events: ['s3:ObjectCreated:*'],
        filter: {
          Key: {
            FilterRules: [{ Name: 'prefix', Value: 'dry-run/' }],
          },
        },
        target: `${ids.onUpload}.Arn`,
      },
      {
        events: ['s3:ObjectCreated:*'],
        filter: {
          Key: {
            FilterRules: [{ Name: 'prefix', Value: 'live/' }],
          },
        },
        target: `${ids.onUpload}.Arn`,
      },
      {
        events: ['s3:ObjectCreated:*'],
        filter: {
          Key: {
            FilterRules: [{ Name: 'prefix', Value: 'suspend/' }],
          },
        },
        target: `${ids.onUpload}.Arn`,
      },
      {
        events: ['s3:ObjectCreated:*'],
        filter: {
          Key: {
            FilterRules: [{ Name: 'prefix', Value: 'restore/' }],
          },
        },
        target: `${ids.onUpload}.Arn`,
      },
    ]);
  });
});

describe('functions', () => {
  const names = ['onUpload', 'step', 'finalize'] as const;

  it.each(names)('%s: Node.js 24 on arm64, X-Ray active, bundled ESM handler, own log group kept a month', (name) => {
    const props = resource(ids[name]).Properties;
    expect(props.Runtime).toBe('nodejs24.x');
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.Handler).toBe('index.handler');
    const logGroupId = render((props.LoggingConfig as { LogGroup: Json }).LogGroup);
    expect(resource(logGroupId).Type).toBe('AWS::Logs::LogGroup');
    expect(resource(logGroupId).Properties.RetentionInDays).toBe(30);
  });

  it('no function uses the deprecated logRetention custom resource', () => {
    expect(Object.keys(synth.template.findResources('Custom::LogRetention'))).toEqual([]);
  });

  function environment(name: (typeof names)[number]): Record<string, string> {
    const variables = (resource(ids[name]).Properties.Environment as { Variables: Record<string, Json> }).Variables;
    return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, render(value)]));
  }
  const powertools = {
    POWERTOOLS_SERVICE_NAME: 'onelogin-bulk-delete',
    POWERTOOLS_METRICS_NAMESPACE: 'OneLoginBulkDelete',
    NODE_OPTIONS: '--enable-source-maps',
  };

  it('on-upload gets the state machine ARN', () => {
    expect(environment('onUpload')).toEqual({ ...powertools, [ENV.stateMachineArn]: ids.stateMachine });
  });

  it.each(['step', 'finalize'] as const)(
    '%s gets the secret, topic, budget, rate share, safety margin, plan rules and undo settings (no MAX_DELETIONS by default)',
    (name) => {
      expect(environment(name)).toEqual({
        ...powertools,
        [ENV.secretId]: ids.secret,
        [ENV.topicArn]: ids.topic,
        [ENV.maxPercent]: '10',
        [ENV.rateShare]: '0.8',
        [ENV.safetyMarginMs]: '60000',
        [ENV.requireReviewedPlan]: 'true',
        [ENV.planMaxAgeHours]: '72',
        [ENV.requireSecondApprover]: 'false',
        [ENV.allowDirectoryUsers]: 'false',
        [ENV.deleteOnlySuspended]: 'false',
        [ENV.snapshotDetail]: 'full',
      });
      expect(resource(ids[name]).Properties.Timeout).toBe(600);
    },
  );

  it.each(['onUpload', 'finalize'] as const)(
    '%s sends events that fail after 2 retries to the encrypted failure queue',
    (name) => {
      synth.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: ids[name] },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.queue, 'Arn'] } } },
      });
    },
  );

  it('the failure queue is SSE-encrypted and refuses plain HTTP', () => {
    expect(resource(ids.queue).Properties.SqsManagedSseEnabled).toBe(true);
    synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: ids.queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('state machine', () => {
  let asl: AslDefinition;
  beforeAll(() => {
    asl = stateMachineDefinition(synth.template);
  });

  it('starts with Step, which invokes the step function and yields its result as the state', () => {
    const step = asl.States[asl.StartAt];
    expect(asl.StartAt).toBe('Step');
    expect(step?.Type).toBe('Task');
    expect(step?.Resource).toBe(`${ids.step}.Arn`);
    expect(step?.OutputPath).toBeUndefined();
    expect(step?.ResultPath).toBeUndefined();
  });

  it('retries Lambda service errors and failed steps with exponential backoff', () => {
    const retry = asl.States.Step?.Retry ?? [];
    expect(retry).toContainEqual(
      expect.objectContaining({
        ErrorEquals: expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
        BackoffRate: 2,
      }),
    );
    const taskFailed = retry.find((r) => r.ErrorEquals.includes('States.TaskFailed'));
    expect(taskFailed).toMatchObject({ BackoffRate: 2 });
    expect(taskFailed?.MaxAttempts).toBeGreaterThanOrEqual(3);
  });

  it('loops: Choice on $.done → Succeed, otherwise Wait $.waitSeconds (or the default) → Step', () => {
    const choice = asl.States[asl.States.Step?.Next ?? ''];
    expect(choice?.Type).toBe('Choice');
    expect(choice?.Choices?.[0]).toMatchObject({ Variable: '$.done', BooleanEquals: true });
    expect(asl.States[String(choice?.Choices?.[0]?.Next)]?.Type).toBe('Succeed');
    expect(choice?.Choices?.[1]).toMatchObject({ Variable: '$.waitSeconds', IsPresent: false });
    const waitDefault = asl.States[String(choice?.Choices?.[1]?.Next)];
    expect(waitDefault).toMatchObject({ Type: 'Wait', Seconds: 60, Next: 'Step' });
    const waitAsked = asl.States[choice?.Default ?? ''];
    expect(waitAsked).toMatchObject({ Type: 'Wait', SecondsPath: '$.waitSeconds', Next: 'Step' });
  });

  it('catches any Step error into finalize (job + $.error), then fails', () => {
    const catchers = asl.States.Step?.Catch ?? [];
    expect(catchers).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Finalize' }]);
    const finalize = asl.States.Finalize;
    expect(finalize?.Resource).toBe(`${ids.finalize}.Arn`);
    expect(asl.States[finalize?.Next ?? '']?.Type).toBe('Fail');
  });

  it('is a standard workflow with a 7-day timeout, ALL-level logging without execution data, and tracing', () => {
    expect(asl.TimeoutSeconds).toBe(7 * 24 * 3600);
    const props = resource(ids.stateMachine).Properties;
    expect(props.StateMachineType).toBe('STANDARD');
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration).toEqual({
      Level: 'ALL',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [ids.stateMachineLogGroup, 'Arn'] } } }],
    });
    expect(resource(ids.stateMachineLogGroup).Properties.RetentionInDays).toBe(30);
    expect(resource(ids.stateMachineLogGroup).Properties.LogGroupName).toMatch(/^\/aws\/vendedlogs\/states\/[\w-]+$/);
  });

  it('an EventBridge rule finalises executions that end ABORTED, FAILED or TIMED_OUT, with a dead-letter queue', () => {
    synth.template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['ABORTED', 'FAILED', 'TIMED_OUT'], stateMachineArn: [{ Ref: ids.stateMachine }] },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [ids.finalize, 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.queue, 'Arn'] } },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 4 }),
        }),
      ],
    });
  });
});

describe('notifications and alarms', () => {
  it('the topic refuses plain HTTP and is encrypted with a rotated key CloudWatch alarms may use', () => {
    expect(render(resource(ids.topic).Properties.KmsMasterKeyId)).toBe(`${ids.topicKey}.Arn`);
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const key = resource(ids.topicKey).Properties;
    expect(key.EnableKeyRotation).toBe(true);
    expect((key.KeyPolicy as { Statement: Json[] }).Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      }),
    );
  });

  it('has no email subscription unless notificationEmail is given', () => {
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('alarms on failed and timed-out executions, on-upload errors and a non-empty failure queue, all to the topic', () => {
    const alarms = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a as { Properties: Record<string, Json> }).Properties,
    );
    const summary = alarms
      .map((a) => ({
        metric: `${String(a.Namespace)}/${String(a.MetricName)}`,
        on: render((a.Dimensions as Array<{ Value: Json }>)[0]?.Value),
        threshold: a.Threshold,
        comparison: a.ComparisonOperator,
        actions: render(a.AlarmActions),
      }))
      .sort((x, y) => x.metric.localeCompare(y.metric));
    const common = { threshold: 1, comparison: 'GreaterThanOrEqualToThreshold', actions: ids.topic };
    expect(summary).toEqual([
      { metric: 'AWS/Lambda/Errors', on: ids.onUpload, ...common },
      { metric: 'AWS/SQS/ApproximateNumberOfMessagesVisible', on: `${ids.queue}.QueueName`, ...common },
      { metric: 'AWS/States/ExecutionsFailed', on: ids.stateMachine, ...common },
      { metric: 'AWS/States/ExecutionsTimedOut', on: ids.stateMachine, ...common },
    ]);
  });

  it('creates the credentials secret with an empty placeholder JSON when no secretName is given', () => {
    const props = resource(ids.secret).Properties;
    expect(JSON.parse(String(props.SecretString))).toEqual({ client_id: '', client_secret: '', subdomain: '' });
    expect(String(props.Description)).toMatch(/client_id.*client_secret.*subdomain/);
  });
});
