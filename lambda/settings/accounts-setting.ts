// The `accounts` setting (issue 12, docs/accounts.md): several OneLogin accounts served by one stack, each with its own
// secret and optional overrides of the stack's guards. The construct validates it at synth and hands the handlers the
// validated form through one env var; both sides read it through parseAccounts, so they accept the same values.
import type { SettingResult } from './number-setting.ts';
import { checkNumberSetting } from './number-setting.ts';
import { protectProblems } from './protect-list.ts';
import { MAX_DELETIONS, MAX_PERCENT, RATE_SHARE } from './run-settings.ts';
import { SettingsError } from './settings-error.ts';

/** The env var holding the accounts, as JSON (`{"prod":{"secretId":"…"}}`); absent: one secret serves every key. */
export const ACCOUNTS_ENV = 'ONELOGIN_ACCOUNTS';

/** An account name is a folder of every input prefix: one safe, lower-case path segment. */
export const ACCOUNT_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface AccountOverrides {
  /** Added to the stack's protect list (an account can protect more, never less). */
  protect?: string[];
  maxDeletions?: number;
  maxPercent?: number;
  rateShare?: number;
  requireReviewedPlan?: boolean;
}

export interface AccountSetting extends AccountOverrides {
  /** The Secrets Manager secret (name or ARN) holding this account's OneLogin credentials. */
  secretId: string;
}

export type AccountsSetting = Readonly<Record<string, AccountSetting>>;

const OVERRIDE_KEYS = ['protect', 'maxDeletions', 'maxPercent', 'rateShare', 'requireReviewedPlan'] as const;

/**
 * Reads an accounts map: name → secret name (short form) or `{ secretName | secretId, …overrides }`. Throws
 * SettingsError listing every problem: a bad name, a missing or shared secret, an override out of bounds.
 */
export function parseAccounts(value: unknown, label: string): AccountsSetting {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SettingsError([`${label} must be an object mapping account names to secret names`]);
  }
  const problems: string[] = [];
  const accounts: Record<string, AccountSetting> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (!ACCOUNT_NAME_PATTERN.test(name)) {
      problems.push(`${label}: account name '${name}' must match ${ACCOUNT_NAME_PATTERN.source} (it is an S3 folder)`);
      continue;
    }
    const read = readAccount(entry, `${label}.${name}`);
    if (read.ok) accounts[name] = read.value;
    else problems.push(read.problem);
  }
  if (Object.keys(value).length === 0) problems.push(`${label} must name at least one account`);
  problems.push(...sharedSecretProblems(accounts, label));
  if (problems.length > 0) throw new SettingsError(problems);
  return accounts;
}

function readAccount(entry: unknown, label: string): SettingResult<AccountSetting> {
  if (typeof entry === 'string') return secretIdResult(entry, label, {});
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return { ok: false, problem: `${label} must be a secret name or an object with secretName` };
  }
  const record = entry as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter(
    (key) => key !== 'secretName' && key !== 'secretId' && !(OVERRIDE_KEYS as readonly string[]).includes(key),
  );
  if (unknownKeys.length > 0) return { ok: false, problem: `${label}: unknown setting(s) ${unknownKeys.join(', ')}` };
  const overrides = readOverrides(record, label);
  if (!overrides.ok) return overrides;
  return secretIdResult(record.secretName ?? record.secretId, label, overrides.value);
}

function secretIdResult(secret: unknown, label: string, overrides: AccountOverrides): SettingResult<AccountSetting> {
  if (typeof secret !== 'string' || secret.trim() === '') {
    return { ok: false, problem: `${label} needs a secretName (the Secrets Manager secret of that account)` };
  }
  return { ok: true, value: { secretId: secret.trim(), ...overrides } };
}

function readOverrides(record: Record<string, unknown>, label: string): SettingResult<AccountOverrides> {
  const overrides: AccountOverrides = {};
  const problems: string[] = [];
  for (const setting of [MAX_DELETIONS, MAX_PERCENT, RATE_SHARE]) {
    const raw = record[setting.key];
    if (raw === undefined) continue;
    const checked = checkNumberSetting(setting, raw, `${label}.${setting.key}`);
    if (checked.ok) overrides[setting.key] = checked.value;
    else problems.push(checked.problem);
  }
  if (record.requireReviewedPlan !== undefined) {
    if (typeof record.requireReviewedPlan === 'boolean') overrides.requireReviewedPlan = record.requireReviewedPlan;
    else problems.push(`${label}.requireReviewedPlan must be true or false`);
  }
  if (record.protect !== undefined) {
    const protect = record.protect;
    if (!Array.isArray(protect) || !protect.every((item) => typeof item === 'string')) {
      problems.push(`${label}.protect must be a list of ids, usernames or emails`);
    } else {
      const wrong = protectProblems(protect);
      if (wrong.length > 0) problems.push(`${label}.protect: ${wrong.join('; ')}`);
      else overrides.protect = protect.map((item) => item.trim()).filter((item) => item !== '');
    }
  }
  return problems.length > 0 ? { ok: false, problem: problems.join('; ') } : { ok: true, value: overrides };
}

/** Two accounts on one secret would make the account folder a label only: the guard would be one account's. */
function sharedSecretProblems(accounts: Record<string, AccountSetting>, label: string): string[] {
  const owners = new Map<string, string[]>();
  for (const [name, account] of Object.entries(accounts)) {
    owners.set(account.secretId, [...(owners.get(account.secretId) ?? []), name]);
  }
  return [...owners.entries()]
    .filter(([, names]) => names.length > 1)
    .map(([secret, names]) => `${label}: accounts ${names.join(', ')} share the secret ${secret}; each needs its own`);
}

/** The env var's text of a validated map (what the handlers read back with accountsFromEnv). */
export function accountsToEnvText(accounts: AccountsSetting): string {
  return JSON.stringify(accounts);
}

/** Undefined when the variable is unset (one secret for every key); throws SettingsError when it is not valid. */
export function accountsFromEnv(env: NodeJS.ProcessEnv): AccountsSetting | undefined {
  const text = env[ACCOUNTS_ENV]?.trim();
  if (text === undefined || text === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SettingsError([`${ACCOUNTS_ENV} is not valid JSON`]);
  }
  return parseAccounts(parsed, ACCOUNTS_ENV);
}
