// The durable loop of a job: Step → (done? Succeed : Wait → Step), with any unrecoverable Step error caught,
// finalised (failure report + notification) and ended as Failed.
import { CfnElement, Duration, Names, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/** Lambda service hiccups: retried quickly and often. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** What the workflow's states need: the two functions it invokes and the fallback wait. */
export interface JobDefinitionProps {
  readonly stepFunction: lambda.IFunction;
  readonly finalizeFunction: lambda.IFunction;
  /** Used when a step returns no `waitSeconds`. */
  readonly waitSecondsDefault: number;
}

export interface JobStateMachineProps extends JobDefinitionProps {
  readonly executionTimeout: Duration;
  readonly logRetention: logs.RetentionDays;
}

/** The states of the workflow, under `scope`; the deployed state machine and the local stand-in's ASL both come from here. */
export function buildJobDefinition(scope: Construct, props: JobDefinitionProps): sfn.IChainable {
  const step = stepTask(scope, props.stepFunction);
  const finalize = new tasks.LambdaInvoke(scope, 'Finalize', {
    lambdaFunction: props.finalizeFunction,
    payloadResponseOnly: true,
    comment: 'Writes the aborted report and notifies; its input is the job plus `error` ({Error, Cause}).',
  });
  const failed = new sfn.Fail(scope, 'Failed', {
    error: 'JobFailed',
    cause: 'A step failed after its retries; see the report.',
  });
  step.addCatch(finalize.next(failed), { errors: ['States.ALL'], resultPath: '$.error' });

  const waitAsAsked = new sfn.Wait(scope, 'WaitAsAsked', { time: sfn.WaitTime.secondsPath('$.waitSeconds') });
  const waitDefault = new sfn.Wait(scope, 'WaitDefault', {
    time: sfn.WaitTime.duration(Duration.seconds(props.waitSecondsDefault)),
  });
  const decide = new sfn.Choice(scope, 'Done?')
    .when(sfn.Condition.booleanEquals('$.done', true), new sfn.Succeed(scope, 'Succeeded'))
    .when(sfn.Condition.isNotPresent('$.waitSeconds'), waitDefault.next(step))
    .otherwise(waitAsAsked.next(step));
  return step.next(decide);
}

function stepTask(scope: Construct, stepFunction: lambda.IFunction): tasks.LambdaInvoke {
  const step = new tasks.LambdaInvoke(scope, 'Step', {
    lambdaFunction: stepFunction,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    comment: 'Runs the engine from its checkpoint until its time or rate budget is used; returns a StepOutput.',
  });
  step.addRetry({
    errors: LAMBDA_SERVICE_ERRORS,
    interval: Duration.seconds(2),
    maxAttempts: 6,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  // A failed step resumes from its last checkpoint, so a retry never repeats finished work.
  step.addRetry({
    errors: ['States.TaskFailed'],
    interval: Duration.seconds(30),
    maxAttempts: 3,
    backoffRate: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  return step;
}

export class JobStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: JobStateMachineProps) {
    super(scope, id);
    const definition = buildJobDefinition(this, props);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      // The vended-logs prefix lets CloudWatch Logs cover every state machine with one resource-policy entry,
      // instead of one entry per log group (that policy is limited to 5,120 characters per account and region).
      logGroupName: `/aws/vendedlogs/states/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`,
      retention: props.logRetention,
    });
    this.stateMachine = new sfn.StateMachine(this, 'Resource', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      timeout: props.executionTimeout,
      tracingEnabled: true,
      logs: {
        destination: this.logGroup,
        level: sfn.LogLevel.ALL,
        // State inputs and outputs carry CSV file names and job data; keep them out of the logs.
        includeExecutionData: false,
      },
    });
    this.acknowledgeRoleFindings(props);
  }

  private acknowledgeRoleFindings(props: JobDefinitionProps): void {
    Validations.of(this.stateMachine.role).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Added by CDK for state machine logging (logs:*LogDelivery*, DescribeLogGroups, DescribeResourcePolicies, PutResourcePolicy) and X-Ray tracing: these CloudWatch Logs delivery and X-Ray actions do not support resource-level permissions.',
      },
      ...[props.stepFunction, props.finalizeFunction].map((fn) => ({
        id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(fn)}.Arn>:*]`,
        reason: 'Added by LambdaInvoke: lets the state machine invoke any version or alias of this one function.',
      })),
    );
  }
}

function logicalIdOf(fn: lambda.IFunction): string {
  const cfn = fn.node.defaultChild;
  if (!CfnElement.isCfnElement(cfn)) throw new Error(`No CloudFormation resource under ${fn.node.path}`);
  return fn.stack.getLogicalId(cfn);
}
