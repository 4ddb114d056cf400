// The stack of the real-AWS integration test (`npm run integ`, see run-integ.ts): the product's construct configured
// for a short test, plus the OneLogin emulator as a Lambda function URL that the secret points at. Everything in it is
// deleted with the stack: no retained buckets, log groups, keys or secrets.
import { App, CfnOutput, Duration, RemovalPolicies, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { EMULATOR_ENV } from '../../lambda/emulator/function-url-handler.ts';
import { DEMO_TENANT } from '../../lambda/local/demo-settings.ts';
import { BundledFunction } from '../../lib/bundled-function.ts';
import { OneLoginBulkDelete } from '../../lib/onelogin-bulk-delete.ts';

export const INTEG_STACK_NAME = 'OneLoginBulkDeleteInteg';
export const INTEG_OUTPUTS = {
  bucket: 'BucketName',
  accessLogBucket: 'AccessLogBucketName',
  secretArn: 'SecretArn',
  emulatorUrl: 'EmulatorUrl',
  stateMachineArn: 'StateMachineArn',
} as const;

export function buildIntegApp(app: App = new App()): Stack {
  const stackName: unknown = app.node.tryGetContext('integStackName');
  const stack = new Stack(app, typeof stackName === 'string' && stackName !== '' ? stackName : INTEG_STACK_NAME, {
    description:
      'onelogin-bulk-delete integration test: the pipeline against a OneLogin emulator (delete after the run)',
  });
  const bulkDelete = new OneLoginBulkDelete(stack, 'BulkDelete', {
    // One request at a time keeps the emulator on one Lambda instance, so its users and stats are one account's.
    concurrency: 1,
    inputRetentionDays: 1,
    reportRetentionDays: 1,
    noncurrentVersionRetentionDays: 1,
    accessLogRetentionDays: 1,
    stepTimeout: Duration.minutes(5),
    stepSafetyMargin: Duration.seconds(30),
    waitSecondsDefault: 10,
    executionTimeout: Duration.hours(1),
    logRetention: logs.RetentionDays.ONE_DAY,
  });

  const secret = bulkDelete.secret;
  if (secret === undefined) throw new Error('the integration stack uses the one secret, not accounts');
  const emulator = new BundledFunction(stack, 'Emulator', {
    entry: 'lambda/emulator/function-url-handler.ts',
    description: 'OneLogin emulator for the onelogin-bulk-delete integration test',
    environment: {
      [EMULATOR_ENV.secretId]: secret.secretArn,
      [EMULATOR_ENV.tenantSeed]: String(DEMO_TENANT.seed),
      [EMULATOR_ENV.tenantCount]: String(DEMO_TENANT.count),
    },
    timeout: Duration.seconds(30),
    memorySize: 512,
    logRetention: logs.RetentionDays.ONE_DAY,
  });
  emulator.accessPolicy.addStatements(
    new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
  );
  // Public like OneLogin's API: the handlers call it with OneLogin credentials, not AWS signatures.
  const url = emulator.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });

  new CfnOutput(stack, INTEG_OUTPUTS.bucket, { value: bulkDelete.bucket.bucketName });
  new CfnOutput(stack, INTEG_OUTPUTS.accessLogBucket, { value: bulkDelete.accessLogBucket.bucketName });
  new CfnOutput(stack, INTEG_OUTPUTS.secretArn, { value: secret.secretArn });
  new CfnOutput(stack, INTEG_OUTPUTS.emulatorUrl, { value: url.url });
  new CfnOutput(stack, INTEG_OUTPUTS.stateMachineArn, { value: bulkDelete.stateMachine.stateMachineArn });
  RemovalPolicies.of(stack).destroy();
  return stack;
}
