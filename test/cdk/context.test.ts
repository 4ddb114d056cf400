// The stack's CDK context values (cdk.json or `cdk deploy -c key=value`) reach the resources they configure.

import { readFileSync } from 'node:fs';
import { App, Duration, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/handlers/handler-contract.ts';
import { OneLoginBulkDelete, resolveSettings } from '../../lib/onelogin-bulk-delete.ts';
import { CONTEXT_KEYS, propsFromContext } from '../../lib/onelogin-bulk-delete-stack.ts';
import {
  grantsOf,
  type Json,
  logicalId,
  newApp,
  type PolicyStatementJson,
  removeOutdirs,
  render,
  synthStack,
} from './synth-helpers.ts';

afterAll(removeOutdirs);

function stepEnvironment(template: Template, stepId: string): Record<string, string> {
  const fn = template.toJSON().Resources[stepId] as {
    Properties: { Environment: { Variables: Record<string, Json> } };
  };
  return Object.fromEntries(Object.entries(fn.Properties.Environment.Variables).map(([k, v]) => [k, render(v)]));
}

describe('context values', () => {
  it('cdk.json documents every context key the stack reads, with the defaults', () => {
    const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
      app: string;
      context: Record<string, unknown>;
    };
    expect(cdkJson.app).toBe('npx tsx bin/app.ts');
    expect(Object.keys(cdkJson.context)).toEqual(expect.arrayContaining([...CONTEXT_KEYS]));
    const props = propsFromContext(new App({ context: cdkJson.context }));
    expect(resolveSettings(props)).toMatchObject({
      maxPercent: 10,
      maxDeletions: undefined,
      rateShare: 0.8,
      inputRetentionDays: 30,
      reportRetentionDays: 30,
      protect: [],
      requireReviewedPlan: true,
      planMaxAgeHours: 72,
      requireSecondApprover: false,
      allowDirectoryUsers: false,
      deleteOnlySuspended: false,
      snapshotDetail: 'full',
      snapshotRetentionDays: 90,
    });
    expect(props.secretName).toBeUndefined();
    expect(props.notificationEmail).toBeUndefined();
    expect(props.accounts).toBeUndefined();
  });

  it('budget, rate share and protected users (strings, as `-c` passes them) reach the step and finalize functions', () => {
    const { stack, template } = synthStack({
      maxPercent: '5',
      maxDeletions: '250',
      rateShare: '0.5',
      protectedUsers: 'admin@example.com,42',
      allowDirectoryUsers: 'true',
    });
    for (const fn of [stack.bulkDelete.functions.step, stack.bulkDelete.functions.finalize]) {
      expect(stepEnvironment(template, logicalId(stack, fn))).toMatchObject({
        [ENV.maxPercent]: '5',
        [ENV.maxDeletions]: '250',
        [ENV.rateShare]: '0.5',
        [ENV.protect]: 'admin@example.com,42',
        [ENV.allowDirectoryUsers]: 'true',
      });
    }
  });

  it('the plan binding settings (`-c` strings) reach the step and finalize functions; defaults bind live uploads to reviewed plans', () => {
    const defaults = synthStack({});
    expect(
      stepEnvironment(defaults.template, logicalId(defaults.stack, defaults.stack.bulkDelete.functions.step)),
    ).toMatchObject({
      [ENV.requireReviewedPlan]: 'true',
      [ENV.planMaxAgeHours]: '72',
      [ENV.requireSecondApprover]: 'false',
    });
    const { stack, template } = synthStack({
      requireReviewedPlan: 'false',
      planMaxAgeHours: '24',
      requireSecondApprover: 'true',
    });
    for (const fn of [stack.bulkDelete.functions.step, stack.bulkDelete.functions.finalize]) {
      expect(stepEnvironment(template, logicalId(stack, fn))).toMatchObject({
        [ENV.requireReviewedPlan]: 'false',
        [ENV.planMaxAgeHours]: '24',
        [ENV.requireSecondApprover]: 'true',
      });
    }
    expect(() => synthStack({ requireReviewedPlan: 'yes' })).toThrow(/requireReviewedPlan.*true or false/);
    expect(() => synthStack({ planMaxAgeHours: '0' })).toThrow(/planMaxAgeHours/);
  });

  it('retention days set the lifecycle rules', () => {
    const { stack, template } = synthStack({
      inputRetentionDays: 14,
      reportRetentionDays: 90,
      snapshotRetentionDays: '365',
    });
    const bucket = template.toJSON().Resources[logicalId(stack, stack.bulkDelete.bucket)] as {
      Properties: { LifecycleConfiguration: { Rules: Array<{ Prefix?: string; ExpirationInDays?: number }> } };
    };
    const byPrefix = Object.fromEntries(
      bucket.Properties.LifecycleConfiguration.Rules.filter((r) => r.Prefix).map((r) => [r.Prefix, r.ExpirationInDays]),
    );
    expect(byPrefix).toEqual({
      'dry-run/': 14,
      'live/': 14,
      'suspend/': 14,
      'restore/': 14,
      'state/': 14,
      'reports/': 90,
      'snapshots/': 365,
    });
    expect(() => synthStack({ snapshotRetentionDays: '0' })).toThrow(/snapshotRetentionDays/);
    expect(() => synthStack({ snapshotRetentionDays: 7.5 })).toThrow(/snapshotRetentionDays/);
  });

  it('deleteOnlySuspended and snapshotDetail (`-c` strings) reach the step and finalize functions; bad values fail the synth', () => {
    const defaults = synthStack({});
    expect(
      stepEnvironment(defaults.template, logicalId(defaults.stack, defaults.stack.bulkDelete.functions.step)),
    ).toMatchObject({ [ENV.deleteOnlySuspended]: 'false', [ENV.snapshotDetail]: 'full' });
    const { stack, template } = synthStack({ deleteOnlySuspended: 'true', snapshotDetail: 'basic' });
    for (const fn of [stack.bulkDelete.functions.step, stack.bulkDelete.functions.finalize]) {
      expect(stepEnvironment(template, logicalId(stack, fn))).toMatchObject({
        [ENV.deleteOnlySuspended]: 'true',
        [ENV.snapshotDetail]: 'basic',
      });
    }
    expect(stepEnvironment(template, logicalId(stack, stack.bulkDelete.functions.onUpload))).not.toHaveProperty(
      ENV.deleteOnlySuspended,
    );
    expect(() => synthStack({ deleteOnlySuspended: 'yes' })).toThrow(/deleteOnlySuspended.*true or false/);
    expect(() => synthStack({ snapshotDetail: 'minimal' })).toThrow(/snapshotDetail must be full or basic/);
  });

  it('notificationEmail subscribes that address to the topic', () => {
    const { stack, template } = synthStack({ notificationEmail: 'ops@example.com' });
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: logicalId(stack, stack.bulkDelete.topic) },
    });
  });

  it('secretName imports that secret: nothing is created, and only step and finalize may read it, by name', () => {
    const { stack, template } = synthStack({ secretName: 'prod/onelogin' });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const stepId = logicalId(stack, stack.bulkDelete.functions.step);
    expect(stepEnvironment(template, stepId)[ENV.secretId]).toBe('prod/onelogin');
    const secretGrants = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap(
        (p) =>
          (p as { Properties: { PolicyDocument: { Statement: PolicyStatementJson[] } } }).Properties.PolicyDocument
            .Statement,
      )
      .filter((s) => [s.Action].flat().some((a) => a?.startsWith('secretsmanager:')));
    expect(grantsOf(secretGrants)).toEqual([
      'secretsmanager:GetSecretValue arn:AWS::Partition:secretsmanager:AWS::Region:AWS::AccountId:secret:prod/onelogin-??????',
      'secretsmanager:GetSecretValue arn:AWS::Partition:secretsmanager:AWS::Region:AWS::AccountId:secret:prod/onelogin-??????',
    ]);
  });

  it('refuses values that are not numbers', () => {
    expect(() => synthStack({ maxPercent: 'ten' })).toThrow(/maxPercent must be a number/);
  });
});

describe('settings the construct refuses', () => {
  const build = (props: ConstructorParameters<typeof OneLoginBulkDelete>[2]) => () =>
    new OneLoginBulkDelete(new Stack(newApp()), 'BulkDelete', props);

  it.each([
    [{ maxPercent: 0 }, /maxPercent/],
    [{ maxPercent: 101 }, /maxPercent/],
    [{ maxDeletions: 2.5 }, /maxDeletions/],
    [{ maxDeletions: 0 }, /maxDeletions must be a positive whole number/],
    [{ rateShare: 1.5 }, /rateShare/],
    [{ rateShare: 0 }, /rateShare/],
    [{ concurrency: 0 }, /concurrency/],
    [{ concurrency: 65 }, /concurrency/],
    [{ inputRetentionDays: 7 }, /inputRetentionDays must exceed the execution timeout/],
    [{ reportRetentionDays: 0 }, /reportRetentionDays/],
    [{ stepTimeout: Duration.minutes(16) }, /stepTimeout/],
    [{ stepTimeout: Duration.minutes(1), stepSafetyMargin: Duration.minutes(1) }, /stepSafetyMargin/],
    [{ protect: ['a,b'] }, /commas/],
    [{ protect: ['*@acme.test'] }, /"\*@acme\.test" is a wildcard/],
    [{ protect: ['admin@@acme.test'] }, /email "admin@@acme\.test"/],
    [{ protect: ['ok@acme.test', '!root'] }, /"!root" is a wildcard/],
    [{ allowDirectoryUsers: 'yes' as unknown as boolean }, /allowDirectoryUsers must be true or false/],
  ])('%o', (props, message) => {
    expect(build(props)).toThrow(message);
  });

  it('accepts a count budget of 1, the whole rate limit, and the concurrency the handler allows', () => {
    expect(build({ maxDeletions: 1, rateShare: 1, maxPercent: 100, concurrency: 64 })).not.toThrow();
  });
});
