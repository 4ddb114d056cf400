// The CLI's profiles file (docs/accounts.md): one named section per OneLogin account, like gam.cfg's. Pure: reading
// the file and its mode is profile-loading.ts's job; this checks what it holds and what a profile stands for.

/** A profile as the file holds it (snake_case, like the secret's JSON). */
export interface Profile {
  subdomain?: string;
  region?: string;
  api_url?: string;
  client_id?: string;
  account_id?: number;
  protect?: string[];
  max_deletions?: number;
  max_percent?: number;
  /** The environment variable holding this account's client secret (instead of ONELOGIN_CLIENT_SECRET). */
  client_secret_env?: string;
  /** Accepted only when the file is mode 0600: nobody but its owner may read it. */
  client_secret?: string;
}

const STRING_FIELDS = ['subdomain', 'region', 'api_url', 'client_id', 'client_secret_env', 'client_secret'] as const;
const NUMBER_FIELDS = ['account_id', 'max_deletions', 'max_percent'] as const;
const FIELDS = new Set<string>([...STRING_FIELDS, ...NUMBER_FIELDS, 'protect']);

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

/** The profiles of a file's text; throws ProfileError naming the file and every problem. */
export function parseProfiles(text: string, file: string): Readonly<Record<string, Profile>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ProfileError(`the profiles file ${file} is not valid JSON`);
  }
  const profiles = (parsed as { profiles?: unknown } | null)?.profiles;
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new ProfileError(`the profiles file ${file} must hold { "profiles": { "<name>": { … } } }`);
  }
  const problems: string[] = [];
  for (const [name, profile] of Object.entries(profiles)) problems.push(...profileProblems(name, profile));
  if (problems.length > 0) throw new ProfileError(`the profiles file ${file}: ${problems.join('; ')}`);
  return profiles as Record<string, Profile>;
}

function profileProblems(name: string, profile: unknown): string[] {
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile)) {
    return [`profile ${name} must be an object`];
  }
  const record = profile as Record<string, unknown>;
  const problems = Object.keys(record)
    .filter((key) => !FIELDS.has(key))
    .map((key) => `profile ${name}: unknown field ${key}`);
  for (const field of STRING_FIELDS) {
    if (record[field] !== undefined && (typeof record[field] !== 'string' || record[field] === '')) {
      problems.push(`profile ${name}: ${field} must be a non-empty string`);
    }
  }
  for (const field of NUMBER_FIELDS) {
    if (record[field] !== undefined && typeof record[field] !== 'number') {
      problems.push(`profile ${name}: ${field} must be a number`);
    }
  }
  const protect = record.protect;
  if (protect !== undefined && !(Array.isArray(protect) && protect.every((item) => typeof item === 'string'))) {
    problems.push(`profile ${name}: protect must be a list of ids, usernames or emails`);
  }
  const hosts = ['subdomain', 'region', 'api_url'].filter((field) => record[field] !== undefined);
  if (hosts.length > 1)
    problems.push(`profile ${name}: give one of subdomain, region or api_url, not ${hosts.join(' and ')}`);
  return problems;
}

/** Whether a file mode lets only its owner read it (0600, or stricter). */
export function ownerOnly(mode: number): boolean {
  return (mode & 0o077) === 0;
}

export function octalMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}
