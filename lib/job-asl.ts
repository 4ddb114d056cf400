// The job workflow as Amazon States Language: synthesized from the same CDK code the stack deploys, with fixed
// function ARNs in place of the deployed ones, so the local stand-in can run exactly what AWS runs.
import { App, type Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { JOB_FUNCTION_ARNS } from './job-function-arns.ts';
import { buildJobDefinition } from './job-state-machine.ts';

export interface JobAslSettings {
  readonly waitSecondsDefault: number;
  readonly executionTimeout: Duration;
}

/** The ASL document of the job state machine, as a JSON value (the template's DefinitionString, parsed). */
export function synthesizeJobAsl(settings: JobAslSettings): Record<string, unknown> {
  const app = new App();
  const stack = new Stack(app, 'JobAsl', { env: { account: '000000000000', region: 'us-east-1' } });
  const definition = buildJobDefinition(stack, {
    stepFunction: lambda.Function.fromFunctionArn(stack, 'StepFunction', JOB_FUNCTION_ARNS.step),
    finalizeFunction: lambda.Function.fromFunctionArn(stack, 'FinalizeFunction', JOB_FUNCTION_ARNS.finalize),
    waitSecondsDefault: settings.waitSecondsDefault,
  });
  const machine = new sfn.StateMachine(stack, 'Job', {
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
    timeout: settings.executionTimeout,
  });
  const cfn = machine.node.defaultChild as sfn.CfnStateMachine;
  const text: unknown = stack.resolve(cfn.definitionString);
  if (typeof text !== 'string') throw new Error('the job definition did not resolve to plain text');
  return JSON.parse(text) as Record<string, unknown>;
}
