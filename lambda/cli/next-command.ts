// After a dry run: where its plan.json is, and the exact command that deletes what it lists and nothing else.
import path from 'node:path';
import type { CliOptions } from './parse-args.ts';

type CommandOptions = Pick<CliOptions, 'file' | 'host' | 'expectedAccountId'>;

export function planNextSteps(options: CommandOptions, planPath: string, cwd: string): string {
  const relative = path.relative(cwd, planPath);
  const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? planPath : relative;
  const words = ['onelogin-bulk-delete', '--file', options.file, ...hostWords(options.host)];
  if (options.expectedAccountId !== undefined) words.push('--account-id', String(options.expectedAccountId));
  words.push('--live', '--plan', shown);
  return (
    `Plan: ${shown}\n` +
    'Review the report, then delete exactly the users it lists (and only while none of them changes):\n' +
    `  ${words.map(shellQuote).join(' ')}\n`
  );
}

function hostWords(host: CliOptions['host']): string[] {
  if (host.subdomain !== undefined) return ['--subdomain', host.subdomain];
  if (host.region !== undefined) return ['--region', host.region];
  if (host.apiUrl !== undefined) return ['--api-url', host.apiUrl];
  return [];
}

/** A word as a POSIX shell reads it back unchanged. */
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
