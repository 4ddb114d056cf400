// The old `delete_users.rb` form: `env=us file=users.csv client_id=… client_secret=… dry_run=false [yes=true]`.

const OLD_FORM_KEYS = ['env', 'file', 'client_id', 'client_secret', 'dry_run', 'yes'] as const;
type OldFormKey = (typeof OLD_FORM_KEYS)[number];

export type OldForm = Partial<Record<OldFormKey, string>>;

export function parseOldForm(positionals: readonly string[], argv: readonly string[], errors: string[]): OldForm {
  const result: OldForm = {};
  for (const positional of positionals) {
    const match = /^([A-Za-z_]+)=(.*)$/s.exec(positional);
    if (!match) {
      errors.push(strayArgument(positional, argv));
      continue;
    }
    const key = (match[1] ?? '').toLowerCase();
    if (!isOldFormKey(key)) {
      // The value may be a secret, so only the key is echoed.
      errors.push(
        `unknown argument '${match[1]}=…' (the old form accepts ${OLD_FORM_KEYS.map((k) => `${k}=`).join(', ')})`,
      );
      continue;
    }
    if (result[key] !== undefined) errors.push(`${key}= was given more than once`);
    result[key] = match[2] ?? '';
  }
  return result;
}

/** `yes=true` is the old form's --yes (a live run without a terminal needs one of them); absent means no. */
export function readOldYes(value: string | undefined, errors: string[]): boolean {
  if (value === undefined) return false;
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true') return true;
  if (normalized !== 'false') errors.push(`yes= must be true or false, not '${value}'`);
  return false;
}

/** Echoes only what is plainly a file name: a stray argument may be a secret that lost its option. */
function strayArgument(positional: string, argv: readonly string[]): string {
  return positional.toLowerCase().endsWith('.csv')
    ? `unexpected argument '${positional}' (did you mean --file ${positional}?)`
    : `unexpected argument at position ${argv.indexOf(positional) + 1} (not shown, it may be a secret): options start with --, old-form arguments look like file=users.csv`;
}

function isOldFormKey(key: string): key is OldFormKey {
  return (OLD_FORM_KEYS as readonly string[]).includes(key);
}

/**
 * The old script's `env=` as a region. Its third value, `de`, was never a OneLogin API host (OneLogin runs two regions,
 * US and EU): it is taken as the EU host, with a notice, so that the old command line keeps working.
 */
export function oldFormRegion(env: string, warnings: string[]): string {
  if (env.trim().toLowerCase() !== 'de') return env;
  warnings.push(
    "env=de: OneLogin documents no 'de' API host (its regions are US and EU), so the EU host api.eu.onelogin.com is used; to use your account's own host, pass --subdomain <your-subdomain> instead of env=",
  );
  return 'eu';
}
