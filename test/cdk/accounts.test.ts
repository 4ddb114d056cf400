// Two OneLogin accounts in one stack (issue 12): their secrets, the accounts each function serves, per-account
// settings in the environment, the synth-time refusals, and cdk-nag still clean.
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ENV } from '../../lambda/handlers/handler-contract.ts';
import { accountsFromEnv } from '../../lambda/settings/accounts-setting.ts';
import { OneLoginBulkDelete } from '../../lib/onelogin-bulk-delete.ts';
import { type Json, logicalId, newApp, removeOutdirs, render, synthStack } from './synth-helpers.ts';

afterAll(removeOutdirs);

const TWO_ACCOUNTS = {
  prod: { secretName: 'onelogin/prod', protect: ['admin@example.com'], maxDeletions: 50, requireReviewedPlan: true },
  sandbox: 'onelogin/sandbox',
};

function environmentOf(template: Template, functionId: string): Record<string, string> {
  const fn = template.toJSON().Resources[functionId] as {
    Properties: { Environment: { Variables: Record<string, Json> } };
  };
  return Object.fromEntries(Object.entries(fn.Properties.Environment.Variables).map(([k, v]) => [k, render(v)]));
}

describe('two accounts from context', () => {
  // `-c accounts='{…}'` arrives as JSON text.
  const { stack, template } = synthStack({ accounts: JSON.stringify(TWO_ACCOUNTS), maxPercent: '5' });
  const b = stack.bulkDelete;

  it('imports each account’s secret by name and creates none; the SecretArn output is gone', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    expect(b.secret).toBeUndefined();
    expect(Object.keys(b.accountSecrets).sort()).toEqual(['prod', 'sandbox']);
    expect(Object.keys(template.toJSON().Outputs ?? {})).not.toContain('SecretArn');
  });

  it('step and finalize get every account’s secret and overrides, the stack’s settings beside them, no single secret', () => {
    for (const fn of [b.functions.step, b.functions.finalize]) {
      const env = environmentOf(template, logicalId(stack, fn));
      expect(env[ENV.secretId]).toBeUndefined();
      expect(env[ENV.maxPercent]).toBe('5');
      expect(accountsFromEnv(env)).toEqual({
        prod: {
          secretId: 'onelogin/prod',
          protect: ['admin@example.com'],
          maxDeletions: 50,
          requireReviewedPlan: true,
        },
        sandbox: { secretId: 'onelogin/sandbox' },
      });
    }
  });

  it('on-upload knows the account names (to refuse another folder) but reads no secret', () => {
    const env = environmentOf(template, logicalId(stack, b.functions.onUpload));
    expect(Object.keys(accountsFromEnv(env) ?? {})).toEqual(['prod', 'sandbox']);
    expect(env[ENV.secretId]).toBeUndefined();
  });
});

describe('accounts the construct refuses at synth', () => {
  const build = (props: ConstructorParameters<typeof OneLoginBulkDelete>[2]) => () =>
    new OneLoginBulkDelete(new Stack(newApp()), 'BulkDelete', props);

  it.each([
    [{ accounts: { Prod: 'a' } }, /account name 'Prod'/],
    [{ accounts: { 'a/b': 'a' } }, /account name 'a\/b'/],
    [{ accounts: { a: 'same', b: 'same' } }, /share the secret same/],
    [{ accounts: { a: { secretName: 'x', maxPercent: 200 } } }, /accounts\.a\.maxPercent/],
    [{ accounts: { a: 'x' }, secretName: 'y' }, /accounts and secretName exclude each other/],
    [{ accounts: {} }, /at least one account/],
  ])('%j', (props, problem) => {
    expect(build(props as never)).toThrow(problem);
  });

  it('refuses context that is not JSON', () => {
    expect(() => synthStack({ accounts: '{prod:onelogin/prod}' })).toThrow(/Context accounts must be JSON/);
  });
});
