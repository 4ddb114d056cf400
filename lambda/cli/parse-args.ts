// Turns argv + environment into validated CLI options (docs/cli.md). Pure: no I/O, so every rule is unit-testable.
import { parseArgs } from 'node:util';
import type { Mode } from '../engine/outcomes.ts';
import type { OneLoginCredentials, OneLoginHost } from '../onelogin/client-types.ts';
import { OneLoginConfigError } from '../onelogin/onelogin-errors.ts';
import { resolveOneLoginHost } from '../onelogin/onelogin-host.ts';

export const DEFAULT_MAX_PERCENT = 10;

export interface CliOptions {
  file: string;
  mode: Mode;
  /** Exactly one of subdomain, region, apiUrl. */
  host: OneLoginHost;
  /** Where the host came from, for messages: `--api-url`, `ONELOGIN_SUBDOMAIN`, `env=us`, … */
  hostSource: string;
  credentials: OneLoginCredentials;
  reportDir?: string;
  protect: string[];
  protectFiles: string[];
  maxDeletions?: number;
  maxPercent: number;
  yes: boolean;
  concurrency?: number;
  rateShare?: number;
  maxAttempts?: number;
}

export type ParseOutcome =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; options: CliOptions; warnings: string[] }
  | { kind: 'error'; errors: string[]; warnings: string[] };

export type Env = Readonly<Record<string, string | undefined>>;

const OPTION_SPEC = {
  file: { type: 'string' },
  'dry-run': { type: 'boolean' },
  live: { type: 'boolean' },
  subdomain: { type: 'string' },
  region: { type: 'string' },
  'api-url': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'report-dir': { type: 'string' },
  protect: { type: 'string', multiple: true },
  'protect-file': { type: 'string', multiple: true },
  'max-deletions': { type: 'string' },
  'max-percent': { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  concurrency: { type: 'string' },
  'rate-share': { type: 'string' },
  'max-attempts': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

const REPEATABLE = new Set(['protect', 'protect-file']);

/** Keys of the old `delete_users.rb` form: `env=us file=users.csv client_id=… client_secret=… dry_run=false`. */
const OLD_FORM_KEYS = ['env', 'file', 'client_id', 'client_secret', 'dry_run'] as const;
type OldFormKey = (typeof OLD_FORM_KEYS)[number];

const SUBDOMAIN_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function parseCliArgs(argv: readonly string[], env: Env): ParseOutcome {
  const errors: string[] = [];
  const warnings: string[] = [];

  let parsed: ReturnType<
    typeof parseArgs<{
      args: string[];
      options: typeof OPTION_SPEC;
      strict: true;
      allowPositionals: true;
      tokens: true;
    }>
  >;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTION_SPEC, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    return { kind: 'error', errors: [describeParseError(error)], warnings };
  }
  const { values, positionals, tokens } = parsed;

  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || REPEATABLE.has(token.name)) continue;
    if (seen.has(token.name)) errors.push(`--${token.name} was given more than once`);
    seen.add(token.name);
  }

  const oldForm = parseOldForm(positionals, argv, errors);

  const file = pickOne(
    'the CSV file',
    [
      ['--file', values.file],
      ['file=', oldForm.file],
    ],
    errors,
  );

  const mode = resolveMode(values['dry-run'] === true, values.live === true, oldForm.dry_run, errors);
  const hostChoice = resolveHost(values, oldForm.env, env, errors);

  const clientId =
    pickOne(
      'the client id',
      [
        ['--client-id', values['client-id']],
        ['client_id=', oldForm.client_id],
      ],
      errors,
    ) ?? nonEmpty(env.ONELOGIN_CLIENT_ID);
  const secretFromArgs = pickOne(
    'the client secret',
    [
      ['--client-secret', values['client-secret']],
      ['client_secret=', oldForm.client_secret],
    ],
    errors,
  );
  if (secretFromArgs !== undefined) {
    warnings.push(
      'the client secret was given on the command line, where shell history and process listings can keep it; prefer the ONELOGIN_CLIENT_SECRET environment variable',
    );
  }
  const clientSecret = secretFromArgs ?? nonEmpty(env.ONELOGIN_CLIENT_SECRET);

  if (file === undefined) errors.push('missing the CSV file: pass --file users.csv');
  if (clientId === undefined) errors.push('missing the client id: pass --client-id or set ONELOGIN_CLIENT_ID');
  if (clientSecret === undefined)
    errors.push('missing the client secret: set ONELOGIN_CLIENT_SECRET (or pass --client-secret)');

  const maxDeletions = parsePositiveInteger('--max-deletions', values['max-deletions'], errors);
  const maxPercent = parsePercent(values['max-percent'], errors);
  const concurrency = parsePositiveInteger('--concurrency', values.concurrency, errors, 64);
  const maxAttempts = parsePositiveInteger('--max-attempts', values['max-attempts'], errors, 20);
  const rateShare = parseRateShare(values['rate-share'], errors);

  const protect: string[] = [];
  for (const value of values.protect ?? []) {
    const trimmed = value.trim();
    if (trimmed === '') errors.push('--protect needs a non-empty id, username or email');
    else protect.push(trimmed);
  }
  const reportDir = values['report-dir'];
  if (reportDir !== undefined && reportDir.trim() === '') errors.push('--report-dir needs a folder path');

  if (
    errors.length > 0 ||
    file === undefined ||
    clientId === undefined ||
    clientSecret === undefined ||
    !hostChoice ||
    !mode
  ) {
    return { kind: 'error', errors: errors.length > 0 ? errors : ['invalid options'], warnings };
  }

  return {
    kind: 'run',
    warnings,
    options: {
      file,
      mode,
      host: hostChoice.host,
      hostSource: hostChoice.source,
      credentials: { clientId, clientSecret },
      ...(reportDir !== undefined ? { reportDir } : {}),
      protect,
      protectFiles: values['protect-file'] ?? [],
      ...(maxDeletions !== undefined ? { maxDeletions } : {}),
      maxPercent: maxPercent ?? DEFAULT_MAX_PERCENT,
      yes: values.yes === true,
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(rateShare !== undefined ? { rateShare } : {}),
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    },
  };
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return option ? `unknown option ${option}` : 'unknown option';
  }
  // parseArgs messages name only the option, never its value, so they are safe to show.
  return message.split('\n')[0] ?? message;
}

function parseOldForm(
  positionals: readonly string[],
  argv: readonly string[],
  errors: string[],
): Partial<Record<OldFormKey, string>> {
  const result: Partial<Record<OldFormKey, string>> = {};
  for (const positional of positionals) {
    const match = /^([A-Za-z_]+)=(.*)$/s.exec(positional);
    if (!match) {
      // Echo only what is plainly a file name: a stray argument may be a secret that lost its option.
      errors.push(
        positional.toLowerCase().endsWith('.csv')
          ? `unexpected argument '${positional}' (did you mean --file ${positional}?)`
          : `unexpected argument at position ${argv.indexOf(positional) + 1} (not shown, it may be a secret): options start with --, old-form arguments look like file=users.csv`,
      );
      continue;
    }
    const key = (match[1] ?? '').toLowerCase();
    const value = match[2] ?? '';
    if (!isOldFormKey(key)) {
      // The value may be a secret, so only the key is echoed.
      errors.push(
        `unknown argument '${match[1]}=…' (the old form accepts ${OLD_FORM_KEYS.map((k) => `${k}=`).join(', ')})`,
      );
      continue;
    }
    if (result[key] !== undefined) errors.push(`${key}= was given more than once`);
    result[key] = value;
  }
  return result;
}

function isOldFormKey(key: string): key is OldFormKey {
  return (OLD_FORM_KEYS as readonly string[]).includes(key);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The one value given among equivalent spellings (a flag and its old-form key); both given is an error. */
function pickOne(what: string, candidates: Array<[string, string | undefined]>, errors: string[]): string | undefined {
  const given = candidates.filter((candidate): candidate is [string, string] => candidate[1] !== undefined);
  if (given.length > 1) {
    errors.push(`${what} was given twice (${given.map(([name]) => name).join(' and ')}); give it once`);
    return undefined;
  }
  const first = given[0];
  if (!first) return undefined;
  const value = first[1].trim();
  if (value === '') {
    errors.push(`${first[0]} needs a value`);
    return undefined;
  }
  return value;
}

function resolveMode(
  dryRunFlag: boolean,
  liveFlag: boolean,
  oldDryRun: string | undefined,
  errors: string[],
): Mode | undefined {
  let oldMode: Mode | undefined;
  if (oldDryRun !== undefined) {
    const normalized = oldDryRun.trim().toLowerCase();
    if (normalized === 'true') oldMode = 'dry-run';
    else if (normalized === 'false') oldMode = 'live';
    else {
      errors.push(`dry_run= must be true or false, not '${oldDryRun}'`);
      return undefined;
    }
  }
  const requested: Array<[string, Mode]> = [];
  if (dryRunFlag) requested.push(['--dry-run', 'dry-run']);
  if (liveFlag) requested.push(['--live', 'live']);
  if (oldMode) requested.push([`dry_run=${oldDryRun}`, oldMode]);
  if (requested.length > 1) {
    errors.push(`choose one mode: ${requested.map(([name]) => name).join(' and ')} were both given`);
    return undefined;
  }
  return requested[0]?.[1] ?? 'dry-run';
}

interface HostChoice {
  host: OneLoginHost;
  source: string;
}

function resolveHost(
  values: { subdomain?: string | undefined; region?: string | undefined; 'api-url'?: string | undefined },
  oldEnv: string | undefined,
  env: Env,
  errors: string[],
): HostChoice | undefined {
  const fromArgs: Array<[string, 'subdomain' | 'region' | 'apiUrl', string]> = [];
  if (values.subdomain !== undefined) fromArgs.push(['--subdomain', 'subdomain', values.subdomain]);
  if (values.region !== undefined) fromArgs.push(['--region', 'region', values.region]);
  if (values['api-url'] !== undefined) fromArgs.push(['--api-url', 'apiUrl', values['api-url']]);
  if (oldEnv !== undefined) fromArgs.push([`env=${oldEnv}`, 'region', oldEnv]);

  let chosen = fromArgs;
  if (fromArgs.length === 0) {
    // Flags win over the environment; the environment is consulted only when no flag names a host.
    const fromEnv: typeof fromArgs = [];
    const subdomain = nonEmpty(env.ONELOGIN_SUBDOMAIN);
    const region = nonEmpty(env.ONELOGIN_REGION);
    const apiUrl = nonEmpty(env.ONELOGIN_API_URL);
    if (subdomain !== undefined) fromEnv.push(['ONELOGIN_SUBDOMAIN', 'subdomain', subdomain]);
    if (region !== undefined) fromEnv.push(['ONELOGIN_REGION', 'region', region]);
    if (apiUrl !== undefined) fromEnv.push(['ONELOGIN_API_URL', 'apiUrl', apiUrl]);
    chosen = fromEnv;
  }
  if (chosen.length === 0) {
    errors.push(
      'missing the OneLogin host: pass one of --subdomain acme, --region us|eu or --api-url URL (or set ONELOGIN_SUBDOMAIN, ONELOGIN_REGION or ONELOGIN_API_URL)',
    );
    return undefined;
  }
  if (chosen.length > 1) {
    errors.push(`give exactly one OneLogin host, not ${chosen.map(([source]) => source).join(' and ')}`);
    return undefined;
  }
  const [source, kind, raw] = chosen[0] as [string, 'subdomain' | 'region' | 'apiUrl', string];
  const value = raw.trim();
  let host: OneLoginHost;
  if (kind === 'subdomain') {
    if (!SUBDOMAIN_PATTERN.test(value)) {
      errors.push(
        `${source} expects the first label of <subdomain>.onelogin.com (e.g. acme), not '${value}'; for a full URL use --api-url`,
      );
      return undefined;
    }
    host = { subdomain: value.toLowerCase() };
  } else if (kind === 'region') {
    const region = value.toLowerCase();
    if (region !== 'us' && region !== 'eu') {
      errors.push(
        region === 'de'
          ? `${source}: OneLogin documents no API host for region 'de'; use --subdomain <your-subdomain> (https://<your-subdomain>.onelogin.com) or --api-url URL`
          : `${source}: the region must be us or eu, not '${value}'`,
      );
      return undefined;
    }
    host = { region };
  } else {
    host = { apiUrl: value };
  }
  try {
    // The client's own host rules (https only, plain http only for loopback, …), checked before anything runs.
    resolveOneLoginHost(host);
  } catch (error) {
    if (!(error instanceof OneLoginConfigError)) throw error;
    errors.push(`${source}: ${error.message}`);
    return undefined;
  }
  return { host, source };
}

function parsePositiveInteger(
  name: string,
  raw: string | undefined,
  errors: string[],
  max?: number,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    errors.push(`${name} must be a positive whole number, not '${raw}'`);
    return undefined;
  }
  const parsed = Number(value);
  if (max !== undefined && parsed > max) {
    errors.push(`${name} must be at most ${max}, not ${parsed}`);
    return undefined;
  }
  return parsed;
}

function parsePercent(raw: string | undefined, errors: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  const parsed = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(parsed > 0 && parsed <= 100)) {
    errors.push(`--max-percent must be a number greater than 0 and at most 100, not '${raw}'`);
    return undefined;
  }
  return parsed;
}

function parseRateShare(raw: string | undefined, errors: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  const parsed = Number(value);
  if (!/^\d*\.?\d+$/.test(value) || !(parsed > 0 && parsed <= 1)) {
    errors.push(
      `--rate-share must be a number greater than 0 and at most 1 (a share of the account's rate limit), not '${raw}'`,
    );
    return undefined;
  }
  return parsed;
}

/** A short, secret-free name of the host for messages and the confirmation prompt. */
export function describeHost(host: OneLoginHost): string {
  if (host.subdomain !== undefined) return `${host.subdomain}.onelogin.com`;
  if (host.region !== undefined) return `api.${host.region}.onelogin.com`;
  if (host.apiUrl !== undefined) {
    try {
      return new URL(host.apiUrl).host;
    } catch {
      return host.apiUrl;
    }
  }
  return 'OneLogin';
}
