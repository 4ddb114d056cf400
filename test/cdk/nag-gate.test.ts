// The cdk-nag AwsSolutions gate: the stack passes it, and it does fail when something is weakened.
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { OneLoginBulkDeleteStack } from '../../lib/onelogin-bulk-delete-stack.ts';
import { newApp, removeOutdirs } from './synth-helpers.ts';

afterAll(removeOutdirs);

function gatedStack(context: Record<string, unknown> = {}) {
  const app = newApp(context);
  const stack = new OneLoginBulkDeleteStack(app, 'GateStack');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** The rule ids of the violations in the thrown validation report. */
function findingsOf(synth: () => unknown): string[] {
  try {
    synth();
  } catch (error) {
    return [...String(error).matchAll(/AwsSolutions-[A-Za-z0-9]+(\[[^\]]*\])?/g)].map((m) => m[0]);
  }
  return [];
}

describe('cdk-nag AwsSolutions gate', () => {
  it('passes for the stack as deployed by default (created secret)', () => {
    const { app } = gatedStack();
    expect(() => app.synth()).not.toThrow();
  });

  it('passes with an imported secret and an email subscription', () => {
    const { app } = gatedStack({ secretName: 'prod/onelogin', notificationEmail: 'ops@example.com' });
    expect(() => app.synth()).not.toThrow();
  });

  it('passes with two accounts, each with its own imported secret', () => {
    const { app, stack } = gatedStack({ accounts: { prod: 'onelogin/prod', sandbox: 'onelogin/sandbox' } });
    expect(Object.keys(stack.bulkDelete.accountSecrets)).toEqual(['prod', 'sandbox']);
    expect(() => app.synth()).not.toThrow();
  });

  it('fails when the upload bucket loses its access logging and TLS-only policy', () => {
    const { app, stack } = gatedStack();
    const bucket = stack.bulkDelete.bucket.node.defaultChild as s3.CfnBucket;
    bucket.loggingConfiguration = undefined;
    stack.bulkDelete.bucket.node.tryRemoveChild('Policy');
    const findings = findingsOf(() => app.synth());
    expect(findings).toContain('AwsSolutions-S1');
    expect(findings).toContain('AwsSolutions-S10');
  });

  it('fails on a plain extra bucket: acknowledgements do not leak to other resources', () => {
    const { app, stack } = gatedStack();
    new s3.Bucket(stack, 'Weak');
    const findings = findingsOf(() => app.synth());
    expect(findings).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it('fails on a wildcard action added to a function role that already has acknowledged findings', () => {
    const { app, stack } = gatedStack();
    stack.bulkDelete.functions.step.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:*'], resources: [stack.bulkDelete.bucket.bucketArn] }),
    );
    expect(findingsOf(() => app.synth())).toEqual(['AwsSolutions-IAM5[Action::s3:*]']);
  });
});
