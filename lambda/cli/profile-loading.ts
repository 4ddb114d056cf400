// --profile NAME [--profiles FILE] (docs/accounts.md): the profile's values become the run's, before the usual
// parsing, as the flags they stand for; a flag given on the command line wins over the profile's value.
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Env } from './cli-option-spec.ts';
import { OPTION_SPEC } from './cli-option-spec.ts';
import type { Profile } from './profiles.ts';
import { octalMode, ownerOnly, ProfileError, parseProfiles } from './profiles.ts';

export const SECRET_ENV = 'ONELOGIN_CLIENT_SECRET';

export type ProfileApplied = { argv: readonly string[]; env: Env } | { error: string };

/** Where the profiles file is by default: `$XDG_CONFIG_HOME/onelogin-bulk-delete/profiles.json` (else ~/.config). */
export function defaultProfilesPath(env: Env): string {
  const base = env.XDG_CONFIG_HOME?.trim() || path.join(env.HOME?.trim() || homedir(), '.config');
  return path.join(base, 'onelogin-bulk-delete', 'profiles.json');
}

/** Unchanged without --profile; the argv and env to parse with it; or why the profile cannot be used (exit 2). */
export async function applyProfile(argv: readonly string[], env: Env, cwd: string): Promise<ProfileApplied> {
  const given = givenOptions(argv);
  if (given === undefined) return { argv, env };
  const name = given.values.profile;
  const fileOption = given.values.profiles;
  if (name === undefined) {
    return fileOption === undefined ? { argv, env } : { error: '--profiles FILE needs --profile NAME' };
  }
  const file = fileOption === undefined ? defaultProfilesPath(env) : path.resolve(cwd, fileOption);
  try {
    const { profile, mode } = await readProfile(file, name);
    const secret = profileSecret(profile, { name, file, mode }, env, given.names);
    return {
      argv: [...profileArguments(profile, given.names), ...argv],
      env: secret === undefined ? env : { ...env, [SECRET_ENV]: secret },
    };
  } catch (error) {
    if (error instanceof ProfileError) return { error: error.message };
    throw error;
  }
}

/** What the command line names itself (flags and old-form keys); undefined when it does not parse (parse-args says why). */
function givenOptions(
  argv: readonly string[],
): { values: Record<string, unknown> & { profile?: string; profiles?: string }; names: Set<string> } | undefined {
  try {
    const parsed = parseArgs({
      args: [...argv],
      options: OPTION_SPEC,
      strict: true,
      allowPositionals: true,
      tokens: true,
    });
    const names = new Set<string>(parsed.tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : [])));
    for (const word of parsed.positionals) names.add(`${word.split('=')[0]?.toLowerCase()}=`);
    return { values: parsed.values, names };
  } catch {
    return undefined;
  }
}

async function readProfile(file: string, name: string): Promise<{ profile: Profile; mode: number }> {
  let text: string;
  let mode: number;
  try {
    [text, mode] = await Promise.all([readFile(file, 'utf8'), stat(file).then((info) => info.mode)]);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ProfileError(
      `cannot read the profiles file ${file} (${String(code ?? 'unreadable')}) for --profile ${name}`,
    );
  }
  const profiles = parseProfiles(text, file);
  const profile = Object.hasOwn(profiles, name) ? profiles[name] : undefined;
  if (profile === undefined) {
    const known = Object.keys(profiles).sort();
    throw new ProfileError(
      `no profile ${name} in ${file}; known profiles: ${known.length > 0 ? known.join(', ') : '(none)'}`,
    );
  }
  return { profile, mode };
}

/**
 * The client secret the profile leads to: --client-secret wins; then the variable the profile names; then the
 * profile's own, only from a file nobody else can read; else ONELOGIN_CLIENT_SECRET as without a profile.
 */
function profileSecret(
  profile: Profile,
  where: { name: string; file: string; mode: number },
  env: Env,
  given: Set<string>,
): string | undefined {
  if (profile.client_secret !== undefined && !ownerOnly(where.mode)) {
    throw new ProfileError(
      `the profiles file ${where.file} holds a client secret but its mode is ${octalMode(where.mode)}, so others may read it: run chmod 600 ${where.file} (or move the secret to an environment variable named by client_secret_env)`,
    );
  }
  if (given.has('client-secret') || given.has('client_secret=')) return undefined;
  if (profile.client_secret_env !== undefined) {
    const value = env[profile.client_secret_env]?.trim();
    if (value === undefined || value === '') {
      throw new ProfileError(
        `profile ${where.name} takes its client secret from ${profile.client_secret_env}, which is not set`,
      );
    }
    return value;
  }
  return profile.client_secret;
}

/** The flags a profile stands for, left out where the command line gives its own; protect values add up. */
function profileArguments(profile: Profile, given: Set<string>): string[] {
  const words: string[] = [];
  const hostGiven = ['subdomain', 'region', 'api-url', 'env='].some((name) => given.has(name));
  if (!hostGiven) {
    if (profile.subdomain !== undefined) words.push('--subdomain', profile.subdomain);
    if (profile.region !== undefined) words.push('--region', profile.region);
    if (profile.api_url !== undefined) words.push('--api-url', profile.api_url);
  }
  const unless = (flag: string, value: string | number | undefined, also?: string) => {
    if (value !== undefined && !given.has(flag) && (also === undefined || !given.has(also))) {
      words.push(`--${flag}`, String(value));
    }
  };
  unless('client-id', profile.client_id, 'client_id=');
  unless('account-id', profile.account_id);
  unless('max-deletions', profile.max_deletions);
  unless('max-percent', profile.max_percent);
  for (const value of profile.protect ?? []) words.push('--protect', value);
  return words;
}
