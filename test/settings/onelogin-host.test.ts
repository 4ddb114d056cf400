// One set of host rules: the CLI (flags and env), the secret loader and the client accept and refuse the same hosts,
// and resolve an accepted one to the same normalised host.
import { describe, expect, it } from 'vitest';
import { SecretSettingsError, settingsFromJson } from '../../lambda/adapters/secret-settings.ts';
import { parseCliArgs } from '../../lambda/cli/parse-args.ts';
import type { OneLoginHost } from '../../lambda/onelogin/client-types.ts';
import { OneLoginConfigError } from '../../lambda/onelogin/onelogin-errors.ts';
import { resolveOneLoginHost } from '../../lambda/onelogin/onelogin-host.ts';
import type { HostKind } from '../../lambda/settings/onelogin-host.ts';

const CREDS = { ONELOGIN_CLIENT_ID: 'id', ONELOGIN_CLIENT_SECRET: 'secret' };
const FLAG: Record<HostKind, string> = { subdomain: '--subdomain', region: '--region', apiUrl: '--api-url' };
const ENV_NAME: Record<HostKind, string> = {
  subdomain: 'ONELOGIN_SUBDOMAIN',
  region: 'ONELOGIN_REGION',
  apiUrl: 'ONELOGIN_API_URL',
};
const SECRET_KEY: Record<HostKind, string> = { subdomain: 'subdomain', region: 'region', apiUrl: 'api_url' };

const ACCEPTED: Array<[HostKind, string, OneLoginHost]> = [
  ['subdomain', 'acme', { subdomain: 'acme' }],
  ['subdomain', ' Acme-2 ', { subdomain: 'acme-2' }],
  ['region', 'us', { region: 'us' }],
  ['region', 'EU', { region: 'eu' }],
  ['apiUrl', 'https://acme.onelogin.com/', { apiUrl: 'https://acme.onelogin.com' }],
  ['apiUrl', 'http://127.0.0.1:8080', { apiUrl: 'http://127.0.0.1:8080' }],
  ['apiUrl', 'http://[::1]:1', { apiUrl: 'http://[::1]:1' }],
  ['apiUrl', 'http://localhost:1/base/', { apiUrl: 'http://localhost:1/base' }],
];

const REFUSED: Array<[HostKind, string]> = [
  ['subdomain', 'acme.onelogin.com'],
  ['subdomain', '-acme'],
  ['subdomain', 'évil'],
  ['subdomain', 'a'.repeat(64)],
  ['region', 'de'],
  ['region', 'ap'],
  ['apiUrl', 'http://10.0.0.1'],
  ['apiUrl', 'http://127.0.0.1.nip.io'],
  ['apiUrl', 'ftp://127.0.0.1'],
  ['apiUrl', 'https://u:p@acme.onelogin.com'],
  ['apiUrl', 'https://acme.onelogin.com/?x=1'],
  ['apiUrl', 'not a url'],
];

/** Each place a host is given; each returns the resolved host or throws the refusal message. */
const ENTRY_POINTS: Record<string, (kind: HostKind, value: string) => OneLoginHost> = {
  'CLI flag': (kind, value) => cliHost(['--file', 'u.csv', FLAG[kind], value], CREDS),
  'CLI env': (kind, value) => cliHost(['--file', 'u.csv'], { ...CREDS, [ENV_NAME[kind]]: value }),
  secret: (kind, value) =>
    settingsFromJson(JSON.stringify({ client_id: 'id', client_secret: 'secret', [SECRET_KEY[kind]]: value })).host,
  client: (kind, value) => resolveOneLoginHost({ [kind]: value } as OneLoginHost).host,
};

function cliHost(argv: string[], env: Record<string, string>): OneLoginHost {
  const outcome = parseCliArgs(argv, env);
  if (outcome.kind !== 'run') throw new Error(outcome.kind === 'error' ? outcome.errors.join('; ') : outcome.kind);
  return outcome.options.host;
}

describe('one host resolver', () => {
  for (const [entry, resolve] of Object.entries(ENTRY_POINTS)) {
    it.each(ACCEPTED)(`${entry} accepts %s %j`, (kind, value, expected) => {
      expect(resolve(kind, value)).toEqual(expected);
    });
    it.each(REFUSED)(`${entry} refuses %s %j without quoting it`, (kind, value) => {
      let refusal: unknown;
      try {
        resolve(kind, value);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(Error);
      if (kind !== 'region') expect((refusal as Error).message).not.toContain(value);
    });
  }

  it('each caller keeps its own error type', () => {
    expect(() => ENTRY_POINTS.secret?.('apiUrl', 'http://10.0.0.1')).toThrow(SecretSettingsError);
    expect(() => ENTRY_POINTS.client?.('apiUrl', 'http://10.0.0.1')).toThrow(OneLoginConfigError);
  });

  it('names the setting as each caller spells it', () => {
    expect(() => ENTRY_POINTS['CLI flag']?.('subdomain', 'acme.onelogin.com')).toThrow(/^--subdomain .*--api-url/);
    expect(() => ENTRY_POINTS['CLI env']?.('subdomain', 'acme.onelogin.com')).toThrow(
      /^ONELOGIN_SUBDOMAIN .*--api-url/,
    );
    expect(() => ENTRY_POINTS.secret?.('subdomain', 'acme.onelogin.com')).toThrow(
      /^the OneLogin secret's subdomain .*api_url/,
    );
    expect(() => ENTRY_POINTS.client?.('subdomain', 'acme.onelogin.com')).toThrow(/^the OneLogin subdomain .*apiUrl/);
  });
});
