// The command's options as node:util parseArgs reads them, and the shape of what it returns.
import type { parseArgs } from 'node:util';

export const OPTION_SPEC = {
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
  'allow-directory-users': { type: 'boolean' },
  'max-deletions': { type: 'string' },
  'max-percent': { type: 'string' },
  plan: { type: 'string' },
  'plan-max-age': { type: 'string' },
  'require-plan': { type: 'boolean' },
  'account-id': { type: 'string' },
  suspend: { type: 'boolean' },
  restore: { type: 'string' },
  'only-suspended': { type: 'boolean' },
  snapshot: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  concurrency: { type: 'string' },
  'rate-share': { type: 'string' },
  'max-attempts': { type: 'string' },
  profile: { type: 'string' },
  profiles: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

/** Options that may be given more than once; every other one is refused when repeated. */
export const REPEATABLE = new Set(['protect', 'protect-file']);

export type ParsedArgv = ReturnType<
  typeof parseArgs<{
    args: string[];
    options: typeof OPTION_SPEC;
    strict: true;
    allowPositionals: true;
    tokens: true;
  }>
>;

export type OptionValues = ParsedArgv['values'];

export type Env = Readonly<Record<string, string | undefined>>;
