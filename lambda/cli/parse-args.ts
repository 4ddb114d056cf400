// Turns argv + environment into validated CLI options (docs/cli.md). Pure: no I/O, so every rule is unit-testable.
import { parseArgs } from 'node:util';
import type { Mode } from '../engine/outcomes.ts';
import type { OneLoginCredentials, OneLoginHost } from '../onelogin/client-types.ts';
import type { CliActionOptions } from './cli-action.ts';
import { readAction } from './cli-action.ts';
import { resolveCliHost } from './cli-host.ts';
import { resolveMode } from './cli-mode.ts';
import type { Env, OptionValues, ParsedArgv } from './cli-option-spec.ts';
import { OPTION_SPEC, REPEATABLE } from './cli-option-spec.ts';
import type { CliPlanOptions } from './cli-plan-options.ts';
import { readPlanOptions } from './cli-plan-options.ts';
import type { CliRunSettings } from './cli-run-settings.ts';
import { readRunSettings } from './cli-run-settings.ts';
import type { OldForm } from './old-form.ts';
import { parseOldForm, readOldYes } from './old-form.ts';
import { nonEmpty, pickOne } from './option-values.ts';

export { describeHost } from './cli-host.ts';
export type { Env } from './cli-option-spec.ts';

export interface CliOptions extends CliRunSettings, CliPlanOptions, CliActionOptions {
  /** The CSV of users, or (action 'restore') the snapshot given with --restore. */
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
  /** --allow-directory-users: users synced from a directory may be deleted. */
  allowDirectoryUsers: boolean;
  yes: boolean;
  /** --profile NAME (profile-loading.ts already turned its values into options): the account's name for people. */
  profile?: string;
  /** --profiles FILE, as given, when not the default file (for the next-step commands). */
  profilesFile?: string;
}

export type ParseOutcome =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; options: CliOptions; warnings: string[] }
  | { kind: 'error'; errors: string[]; warnings: string[] };

export function parseCliArgs(argv: readonly string[], env: Env): ParseOutcome {
  const warnings: string[] = [];
  let parsed: ParsedArgv;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTION_SPEC, strict: true, allowPositionals: true, tokens: true });
  } catch (error) {
    return { kind: 'error', errors: [describeParseError(error)], warnings };
  }
  const { values, positionals, tokens } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const errors = repeatedOptions(tokens);
  const oldForm = parseOldForm(positionals, argv, errors);
  const csvFile = pickOne(
    'the CSV file',
    [
      ['--file', values.file],
      ['file=', oldForm.file],
    ],
    errors,
  );
  const actionChoice = readAction(values, values.file !== undefined || oldForm.file !== undefined, errors, warnings);
  const { restoreFile, ...action } = actionChoice;
  const file = action.action === 'restore' ? restoreFile : csvFile;
  if (file === undefined && values.restore === undefined) {
    errors.push('missing the CSV file: pass --file users.csv (or --restore snapshot.jsonl to undo a run)');
  }
  const mode = resolveMode(values['dry-run'] === true, values.live === true, oldForm.dry_run, errors);
  const hostChoice = resolveCliHost(values, oldForm.env, env, errors, warnings);
  const credentials = readCredentials(values, oldForm, env, errors, warnings);
  const settings = readRunSettings(values, errors);
  const protect = readProtect(values, errors);
  const yes = values.yes === true || readOldYes(oldForm.yes, errors);
  const planOptions = readPlanOptions(values, env, mode, errors);
  const reportDir = values['report-dir'];
  if (reportDir !== undefined && reportDir.trim() === '') errors.push('--report-dir needs a folder path');

  if (errors.length > 0 || file === undefined || credentials === undefined || !hostChoice || !mode) {
    return { kind: 'error', errors: errors.length > 0 ? errors : ['invalid options'], warnings };
  }
  const options: CliOptions = {
    file,
    mode,
    host: hostChoice.host,
    hostSource: hostChoice.source,
    credentials,
    ...(reportDir !== undefined ? { reportDir } : {}),
    protect,
    protectFiles: values['protect-file'] ?? [],
    allowDirectoryUsers: values['allow-directory-users'] === true,
    ...action,
    ...settings,
    ...planOptions,
    yes,
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(values.profiles !== undefined ? { profilesFile: values.profiles } : {}),
  };
  return { kind: 'run', warnings, options };
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

function repeatedOptions(tokens: ParsedArgv['tokens']): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== 'option' || REPEATABLE.has(token.name)) continue;
    if (seen.has(token.name)) errors.push(`--${token.name} was given more than once`);
    seen.add(token.name);
  }
  return errors;
}

function readCredentials(
  values: OptionValues,
  oldForm: OldForm,
  env: Env,
  errors: string[],
  warnings: string[],
): OneLoginCredentials | undefined {
  const idFromArgs = pickOne(
    'the client id',
    [
      ['--client-id', values['client-id']],
      ['client_id=', oldForm.client_id],
    ],
    errors,
  );
  const clientId = idFromArgs ?? nonEmpty(env.ONELOGIN_CLIENT_ID);
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
  if (clientId === undefined) errors.push('missing the client id: pass --client-id or set ONELOGIN_CLIENT_ID');
  if (clientSecret === undefined)
    errors.push('missing the client secret: set ONELOGIN_CLIENT_SECRET (or pass --client-secret)');
  return clientId !== undefined && clientSecret !== undefined ? { clientId, clientSecret } : undefined;
}

function readProtect(values: OptionValues, errors: string[]): string[] {
  const protect: string[] = [];
  for (const value of values.protect ?? []) {
    const trimmed = value.trim();
    if (trimmed === '') errors.push('--protect needs a non-empty id, username or email');
    else protect.push(trimmed);
  }
  return protect;
}
