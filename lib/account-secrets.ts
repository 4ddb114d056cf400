// The `accounts` prop (issue 12, docs/accounts.md): each account's secret is imported by name, validated at synth
// through the one accounts setting (lambda/settings/accounts-setting.ts), and only those secrets can be read.
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { AccountOverrides, AccountsSetting } from '../lambda/settings/accounts-setting.ts';
import { parseAccounts } from '../lambda/settings/accounts-setting.ts';
import { SettingsError } from '../lambda/settings/settings-error.ts';

/** One account: its secret (by name, created beforehand: docs/accounts.md) and optional overrides of the stack's guards. */
export interface AccountProps extends AccountOverrides {
  readonly secretName: string;
}

/** Account name → secret name (short form) or AccountProps. */
export type AccountsProp = Readonly<Record<string, string | AccountProps>>;

/** The validated accounts; throws at synth with every problem (a bad name, a shared secret, a bound out of range). */
export function validatedAccounts(accounts: AccountsProp, secretName: string | undefined): AccountsSetting {
  if (secretName !== undefined && secretName !== '') {
    throw new SettingsError([
      'accounts and secretName exclude each other: with accounts, each account names its own secret',
    ]);
  }
  return parseAccounts(accounts, 'accounts');
}

/** The imported secret of every account, by name. */
export function importAccountSecrets(
  scope: Construct,
  accounts: AccountsSetting,
): Readonly<Record<string, secretsmanager.ISecret>> {
  const secrets: Record<string, secretsmanager.ISecret> = {};
  for (const [name, account] of Object.entries(accounts)) {
    secrets[name] = secretsmanager.Secret.fromSecretNameV2(scope, `AccountSecret-${name}`, account.secretId);
  }
  return secrets;
}

/** One GetSecretValue statement per secret ARN: a function reads exactly the secrets of the accounts it serves. */
export function secretReadStatements(secrets: readonly secretsmanager.ISecret[]): iam.PolicyStatement[] {
  return secrets.map(
    (secret) =>
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        // An imported secret's ARN is only known up to the six random characters Secrets Manager appends to the name.
        resources: [secret.secretFullArn ?? `${secret.secretArn}-??????`],
      }),
  );
}

/** `accounts` from CDK context: a JSON object in cdk.json, or its JSON text from `-c accounts='{…}'`. */
export function accountsFromContext(value: unknown): AccountsProp | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as AccountsProp;
    } catch {
      throw new Error(`Context accounts must be JSON (e.g. '{"prod":"onelogin/prod"}'), got ${value}`);
    }
  }
  if (typeof value === 'object' && !Array.isArray(value)) return value as AccountsProp;
  throw new Error(`Context accounts must be an object of account name → secret name, got ${JSON.stringify(value)}`);
}
