// OneLogin credentials and host from the Secrets Manager secret of docs/secret.md, validated strictly.
// Error messages name what is wrong, never a value: a secret must not leak through a report, a log line or a notification.

import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { OneLoginCredentials, OneLoginHost } from '../onelogin/client-types.ts';
import type { HostKind } from '../settings/onelogin-host.ts';
import { HostSettingError, resolveHostSetting } from '../settings/onelogin-host.ts';

export interface OneLoginSettings {
  credentials: OneLoginCredentials;
  /** Exactly one of subdomain, region or apiUrl is set. */
  host: OneLoginHost;
  /** `account_id`: the account the credentials must reach; a token of another account refuses the run (wrong-account). */
  accountId?: number;
}

/** `secret-invalid`: missing, unreadable or malformed secret; `host-invalid`: the host it names (or an override) is not acceptable. */
export type SettingsErrorCode = 'secret-invalid' | 'host-invalid';

export class SecretSettingsError extends Error {
  override readonly name = 'SecretSettingsError';
  constructor(
    readonly code: SettingsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const HOST_KEYS = ['subdomain', 'region', 'api_url'] as const;
const HOST_KIND = { subdomain: 'subdomain', region: 'region', api_url: 'apiUrl' } as const satisfies Record<
  (typeof HOST_KEYS)[number],
  HostKind
>;
const SECRET_NAMES = { subdomain: 'subdomain', region: 'region', apiUrl: 'api_url' } as const;

/** Parses and validates the secret's JSON text. Pure; throws SecretSettingsError. */
export function settingsFromJson(text: string | undefined): OneLoginSettings {
  if (text === undefined || text.trim() === '') {
    throw new SecretSettingsError(
      'secret-invalid',
      'the OneLogin secret is empty: it must hold JSON with client_id, client_secret and one of subdomain, region or api_url',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes part of the input, so it is not passed on.
    throw new SecretSettingsError(
      'secret-invalid',
      'the OneLogin secret is not valid JSON: it must be an object with client_id, client_secret and one of subdomain, region or api_url',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SecretSettingsError(
      'secret-invalid',
      'the OneLogin secret must be a JSON object with client_id, client_secret and one of subdomain, region or api_url',
    );
  }
  const fields = parsed as Record<string, unknown>;
  const clientId = requiredString(fields, 'client_id');
  const clientSecret = requiredString(fields, 'client_secret');
  const given = HOST_KEYS.filter((name) => fields[name] !== undefined && fields[name] !== null && fields[name] !== '');
  if (given.length !== 1) {
    throw new SecretSettingsError(
      given.length === 0 ? 'secret-invalid' : 'host-invalid',
      given.length === 0
        ? 'the OneLogin secret names no host: give one of subdomain, region (us or eu) or api_url'
        : `the OneLogin secret names more than one host (${given.join(', ')}): give exactly one of subdomain, region or api_url`,
    );
  }
  const settings: OneLoginSettings = { credentials: { clientId, clientSecret }, host: hostFrom(fields, given[0]!) };
  const accountId = optionalAccountId(fields.account_id);
  if (accountId !== undefined) settings.accountId = accountId;
  return settings;
}

/** A positive whole number, or its decimal digits as text (as the admin console shows it). */
function optionalAccountId(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number) || number <= 0) {
    throw new SecretSettingsError('secret-invalid', "the OneLogin secret's account_id must be a positive whole number");
  }
  return number;
}

function requiredString(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (value === undefined || value === null)
    throw new SecretSettingsError('secret-invalid', `the OneLogin secret has no ${name}`);
  if (typeof value !== 'string')
    throw new SecretSettingsError('secret-invalid', `the OneLogin secret's ${name} must be a string`);
  const trimmed = value.trim();
  if (trimmed === '') throw new SecretSettingsError('secret-invalid', `the OneLogin secret's ${name} is empty`);
  return trimmed;
}

function hostFrom(fields: Record<string, unknown>, name: (typeof HOST_KEYS)[number]): OneLoginHost {
  const value = fields[name];
  if (typeof value !== 'string')
    throw new SecretSettingsError('host-invalid', `the OneLogin secret's ${name} must be a string`);
  return resolveSecretHost(HOST_KIND[name], value, `the OneLogin secret's ${name}`);
}

/** Accepts an https base URL, or plain http only to a loopback address (docs/secret.md); returns it without a trailing slash. */
export function validateApiUrl(text: string, what = 'the OneLogin API URL'): string {
  return resolveSecretHost('apiUrl', text, what).apiUrl ?? text;
}

function resolveSecretHost(kind: HostKind, value: string, subject: string): OneLoginHost {
  try {
    return resolveHostSetting(kind, value, { subject, names: SECRET_NAMES }).host;
  } catch (error) {
    if (error instanceof HostSettingError) throw new SecretSettingsError('host-invalid', error.message);
    throw error;
  }
}

const CONFIG_ERRORS = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'DecryptionFailure',
  'InvalidRequestException',
]);

export interface SecretSettingsLoaderOptions {
  client: SecretsManagerClient;
  secretId: string;
  /** How long a good secret is reused (default 5 min): a rotated secret takes effect within this time. */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * A loader with a short cache. Only a successfully validated secret is cached, so a fixed secret takes effect at once.
 * Transient Secrets Manager errors are rethrown unchanged (the state machine retries the step); a missing, unreadable or
 * malformed secret throws SecretSettingsError.
 */
export function createSecretSettingsLoader(options: SecretSettingsLoaderOptions): () => Promise<OneLoginSettings> {
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  let cached: { settings: OneLoginSettings; at: number } | undefined;
  return async () => {
    if (cached !== undefined && now() - cached.at < maxAgeMs) return cached.settings;
    let text: string | undefined;
    try {
      const answer = await options.client.send(new GetSecretValueCommand({ SecretId: options.secretId }));
      text = answer.SecretString;
    } catch (error) {
      const name = (error as { name?: unknown }).name;
      if (typeof name === 'string' && CONFIG_ERRORS.has(name)) {
        throw new SecretSettingsError(
          'secret-invalid',
          `the OneLogin secret ${options.secretId} cannot be read (${name})`,
        );
      }
      throw error;
    }
    const settings = settingsFromJson(text);
    cached = { settings, at: now() };
    return settings;
  };
}
