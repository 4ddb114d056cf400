// Least privilege: every role's permissions, listed exactly.
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asArray,
  grantsOf,
  type Json,
  logicalId,
  oneSecret,
  type PolicyStatementJson,
  removeOutdirs,
  render,
  type Synthesized,
  synthStack,
} from './synth-helpers.ts';

interface InlinePolicy {
  PolicyDocument: { Statement: PolicyStatementJson[] };
}

interface Resource {
  Type: string;
  Properties: Record<string, unknown>;
}

let synth: Synthesized;
let resources: Record<string, Resource>;
let id: Record<string, string> = {};
const roleIds = (): string[] =>
  [id.onUploadRole, id.stepRole, id.finalizeRole, id.stateMachineRole].map((role) => role ?? '');

beforeAll(() => {
  synth = synthStack();
  resources = synth.template.toJSON().Resources as Record<string, Resource>;
  const { stack } = synth;
  const b = stack.bulkDelete;
  const roleOf = (fn: { role?: IConstruct | undefined }) => {
    if (fn.role === undefined) throw new Error('function without a role');
    return logicalId(stack, fn.role);
  };
  id = {
    bucket: logicalId(stack, b.bucket),
    queue: logicalId(stack, b.failureQueue),
    topic: logicalId(stack, b.topic),
    topicKey: logicalId(stack, b.topicKey),
    secret: logicalId(stack, oneSecret(b)),
    stateMachine: logicalId(stack, b.stateMachine),
    stateMachineRole: logicalId(stack, b.stateMachine.role),
    onUpload: logicalId(stack, b.functions.onUpload),
    step: logicalId(stack, b.functions.step),
    finalize: logicalId(stack, b.functions.finalize),
    onUploadRole: roleOf(b.functions.onUpload),
    stepRole: roleOf(b.functions.step),
    finalizeRole: roleOf(b.functions.finalize),
  };
});
afterAll(removeOutdirs);

function statementsOfRole(roleId: string): PolicyStatementJson[] {
  const statements: PolicyStatementJson[] = [];
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const roles = asArray(resource.Properties.Roles as Json[]).map(render);
    if (!roles.includes(roleId)) continue;
    statements.push(...(resource.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement);
  }
  const role = resources[roleId];
  for (const inline of asArray(role?.Properties.Policies as InlinePolicy[] | undefined)) {
    statements.push(...inline.PolicyDocument.Statement);
  }
  return statements;
}

function logGroupOf(functionId: string): string {
  return render((resources[functionId]?.Properties.LoggingConfig as { LogGroup: Json } | undefined)?.LogGroup);
}

const XRAY = ['xray:PutTelemetryRecords *', 'xray:PutTraceSegments *'];

describe('function roles', () => {
  it('no function role has a managed policy (no AWSLambdaBasicExecutionRole)', () => {
    for (const role of roleIds().slice(0, 3)) {
      expect(resources[role]?.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('on-upload: start its own state machine, read/write status under reports/, list the bucket, its logs, X-Ray, the failure queue', () => {
    const objects = (prefix: string) => `${id.bucket}.Arn/${prefix}*`;
    expect(grantsOf(statementsOfRole(id.onUploadRole ?? ''))).toEqual(
      [
        `states:StartExecution ${id.stateMachine}`,
        `s3:GetObject ${objects('reports/')}`,
        `s3:PutObject ${objects('reports/')}`,
        `s3:ListBucket ${id.bucket}.Arn`,
        `logs:CreateLogStream ${logGroupOf(id.onUpload ?? '')}.Arn`,
        `logs:PutLogEvents ${logGroupOf(id.onUpload ?? '')}.Arn`,
        `sqs:GetQueueAttributes ${id.queue}.Arn`,
        `sqs:GetQueueUrl ${id.queue}.Arn`,
        `sqs:SendMessage ${id.queue}.Arn`,
        ...XRAY,
      ].sort(),
    );
  });

  function engineGrants(functionId: string): string[] {
    const objects = (prefix: string) => `${id.bucket}.Arn/${prefix}*`;
    return [
      `s3:ListBucket ${id.bucket}.Arn`,
      ...['dry-run/', 'live/', 'suspend/', 'restore/'].flatMap((prefix) => [
        `s3:GetObject ${objects(prefix)}`,
        `s3:GetObjectVersion ${objects(prefix)}`,
      ]),
      ...['GetObject', 'PutObject', 'AbortMultipartUpload', 'DeleteObject'].map(
        (action) => `s3:${action} ${objects('state/')}`,
      ),
      ...['PutObject', 'AbortMultipartUpload', 'DeleteObject'].map((action) => `s3:${action} ${objects('reports/')}`),
      ...['PutObject', 'AbortMultipartUpload'].map((action) => `s3:${action} ${objects('snapshots/')}`),
      `secretsmanager:GetSecretValue ${id.secret}`,
      `sns:Publish ${id.topic}`,
      `kms:Decrypt ${id.topicKey}.Arn`,
      `kms:GenerateDataKey ${id.topicKey}.Arn`,
      `logs:CreateLogStream ${logGroupOf(functionId)}.Arn`,
      `logs:PutLogEvents ${logGroupOf(functionId)}.Arn`,
      ...XRAY,
    ];
  }

  it('step: read inputs (pinned version), read/write/delete state, write reports, read the reviewed dry runs, the secret, publish, its logs, X-Ray', () => {
    expect(grantsOf(statementsOfRole(id.stepRole ?? ''))).toEqual(
      [...engineGrants(id.step ?? ''), `s3:GetObject ${id.bucket}.Arn/reports/dry-run/*`].sort(),
    );
  });

  it('only the step reads plans, and only under reports/dry-run/ (never the live reports)', () => {
    const readers = (resource: string) =>
      [id.onUploadRole, id.stepRole, id.finalizeRole].filter((role) =>
        grantsOf(statementsOfRole(role ?? '')).includes(`s3:GetObject ${id.bucket}.Arn/${resource}`),
      );
    expect(readers('reports/dry-run/*')).toEqual([id.stepRole]);
    expect(readers('reports/live/*')).toEqual([]);
  });

  it('snapshots: step and finalize write them (each run joins its own); no function reads or deletes one', () => {
    const functionRoles = [id.onUploadRole, id.stepRole, id.finalizeRole, id.stateMachineRole];
    const holders = (grant: string) =>
      functionRoles.filter((role) => grantsOf(statementsOfRole(role ?? '')).includes(grant));
    const snapshots = `${id.bucket}.Arn/snapshots/*`;
    expect(holders(`s3:PutObject ${snapshots}`)).toEqual([id.stepRole, id.finalizeRole]);
    for (const action of ['GetObject', 'GetObjectVersion', 'DeleteObject']) {
      expect(holders(`s3:${action} ${snapshots}`)).toEqual([]);
    }
    expect(
      functionRoles.flatMap((role) =>
        grantsOf(statementsOfRole(role ?? '')).filter((grant) => / \S+\.Arn\/\*$/.test(grant)),
      ),
    ).toEqual([]);
  });

  it('finalize: the same as step (it finishes the engine run) plus the failure queue for its async events', () => {
    expect(grantsOf(statementsOfRole(id.finalizeRole ?? ''))).toEqual(
      [
        ...engineGrants(id.finalize ?? ''),
        `sqs:GetQueueAttributes ${id.queue}.Arn`,
        `sqs:GetQueueUrl ${id.queue}.Arn`,
        `sqs:SendMessage ${id.queue}.Arn`,
      ].sort(),
    );
  });

  it('only on-upload may start executions, and only step and finalize may read the secret', () => {
    const holders = (action: string) =>
      roleIds().filter((role) => grantsOf(statementsOfRole(role)).some((grant) => grant.startsWith(`${action} `)));
    expect(holders('states:StartExecution')).toEqual([id.onUploadRole]);
    expect(holders('secretsmanager:GetSecretValue')).toEqual([id.stepRole, id.finalizeRole]);
  });
});

describe('state machine role', () => {
  it('invokes exactly the step and finalize functions, plus log delivery and X-Ray', () => {
    expect(grantsOf(statementsOfRole(id.stateMachineRole ?? ''))).toEqual(
      [
        ...[id.step, id.finalize].flatMap((fn) => [
          `lambda:InvokeFunction ${fn}.Arn`,
          `lambda:InvokeFunction ${fn}.Arn:*`,
        ]),
        ...[
          'CreateLogDelivery',
          'GetLogDelivery',
          'UpdateLogDelivery',
          'DeleteLogDelivery',
          'ListLogDeliveries',
          'PutResourcePolicy',
          'DescribeResourcePolicies',
          'DescribeLogGroups',
        ].map((action) => `logs:${action} *`),
        ...['PutTraceSegments', 'PutTelemetryRecords', 'GetSamplingRules', 'GetSamplingTargets'].map(
          (action) => `xray:${action} *`,
        ),
      ].sort(),
    );
  });
});

describe('every identity policy in the stack', () => {
  const allowedOnAnyResource =
    /^(xray:(PutTraceSegments|PutTelemetryRecords|GetSamplingRules|GetSamplingTargets)|logs:(CreateLogDelivery|GetLogDelivery|UpdateLogDelivery|DeleteLogDelivery|ListLogDeliveries|PutResourcePolicy|DescribeResourcePolicies|DescribeLogGroups))$/;

  function allIdentityStatements(): PolicyStatementJson[] {
    const statements: PolicyStatementJson[] = [];
    for (const resource of Object.values(resources)) {
      if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
        statements.push(...(resource.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement);
      }
      if (resource.Type === 'AWS::IAM::Role') {
        for (const inline of asArray(resource.Properties.Policies as InlinePolicy[] | undefined)) {
          statements.push(...inline.PolicyDocument.Statement);
        }
      }
    }
    return statements;
  }

  it('allows only named actions: no "*" and no service-wide or prefix wildcard in any action', () => {
    const actions = allIdentityStatements().flatMap((statement) => asArray(statement.Action));
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('uses Resource "*" only for X-Ray and log-delivery actions, which have no resource-level permissions', () => {
    const wildcardActions = allIdentityStatements()
      .filter((statement) => asArray(statement.Resource as Json[]).some((resource) => resource === '*'))
      .flatMap((statement) => asArray(statement.Action));
    expect(wildcardActions.length).toBeGreaterThan(0);
    expect(wildcardActions.filter((action) => !allowedOnAnyResource.test(action))).toEqual([]);
  });

  it('has only Allow statements, none with NotAction or NotResource', () => {
    for (const statement of allIdentityStatements()) {
      expect(statement.Effect).toBe('Allow');
      expect(Object.keys(statement).filter((key) => key.startsWith('Not'))).toEqual([]);
    }
  });
});

describe('with two accounts', () => {
  it('step and finalize read exactly the two accounts’ secrets, one statement per secret ARN; nothing else reads one', () => {
    const two = synthStack({ accounts: { prod: 'onelogin/prod', sandbox: 'onelogin/sandbox' } });
    const arn = (name: string) => `arn:AWS::Partition:secretsmanager:AWS::Region:AWS::AccountId:secret:${name}-??????`;
    const all = two.template.toJSON().Resources as Record<string, Resource>;
    const secretStatements = (roleId: string) =>
      Object.values(all)
        .filter((resource) => resource.Type === 'AWS::IAM::Policy')
        .filter((resource) =>
          asArray(resource.Properties.Roles as Json[])
            .map(render)
            .includes(roleId),
        )
        .flatMap((resource) => (resource.Properties.PolicyDocument as { Statement: PolicyStatementJson[] }).Statement)
        .filter((statement) =>
          asArray(statement.Action).some((action) => String(action).startsWith('secretsmanager:')),
        );
    const fns = two.stack.bulkDelete.functions;
    const roleOf = (fn: { role?: IConstruct | undefined }) => logicalId(two.stack, fn.role as IConstruct);
    for (const fn of [fns.step, fns.finalize]) {
      const statements = secretStatements(roleOf(fn));
      expect(statements.map((statement) => grantsOf([statement]))).toEqual([
        [`secretsmanager:GetSecretValue ${arn('onelogin/prod')}`],
        [`secretsmanager:GetSecretValue ${arn('onelogin/sandbox')}`],
      ]);
    }
    expect(secretStatements(roleOf(fns.onUpload))).toEqual([]);
  });
});
