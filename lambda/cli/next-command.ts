// After a dry run: where its plan.json is, and the exact command that changes what it lists and nothing else. After a
// live deletion or suspension: where its snapshot.jsonl is, and the exact command that undoes it.
import path from 'node:path';
import { wordsFor } from './action-words.ts';
import type { CliOptions } from './parse-args.ts';

type CommandOptions = Pick<CliOptions, 'file' | 'host' | 'expectedAccountId'> &
  Partial<Pick<CliOptions, 'action' | 'onlySuspended' | 'snapshot' | 'profile' | 'profilesFile'>>;

export function planNextSteps(options: CommandOptions, planPath: string, cwd: string): string {
  const shown = shownPath(planPath, cwd);
  const words = [...inputWords(options), ...profileWords(options), ...hostWords(options.host)];
  if (options.expectedAccountId !== undefined) words.push('--account-id', String(options.expectedAccountId));
  if (options.onlySuspended === true) words.push('--only-suspended');
  if (options.snapshot !== undefined) words.push('--snapshot', options.snapshot);
  words.push('--live', '--plan', shown);
  return (
    `Plan: ${shown}\n` +
    `Review the report, then ${wordsFor(options.action).verb} exactly the users it lists (and only while none of them changes):\n` +
    `  ${words.map(shellQuote).join(' ')}\n`
  );
}

/** After a live delete or suspend that wrote snapshot.jsonl: the undo, as a command to run (dry run first). */
export function undoNextSteps(options: CommandOptions, snapshotPath: string, cwd: string): string {
  const shown = shownPath(snapshotPath, cwd);
  const words = ['onelogin-bulk-delete', '--restore', shown, ...profileWords(options), ...hostWords(options.host)];
  if (options.expectedAccountId !== undefined) words.push('--account-id', String(options.expectedAccountId));
  const command = words.map(shellQuote).join(' ');
  const what = options.action === 'suspend' ? 'gives them their previous status' : 'creates them again, with new ids';
  return (
    `Snapshot: ${shown} (the users as they were before this run changed them)\n` +
    `To undo (a restore ${what}), try it with --dry-run first, then:\n` +
    `  ${command} --live\n`
  );
}

function inputWords(options: CommandOptions): string[] {
  if (options.action === 'restore') return ['onelogin-bulk-delete', '--restore', options.file];
  const words = ['onelogin-bulk-delete', '--file', options.file];
  if (options.action === 'suspend') words.push('--suspend');
  return words;
}

function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** The profile gives the client id (and maybe the secret's source) of the account: the next command names it too. */
function profileWords(options: CommandOptions): string[] {
  if (options.profile === undefined) return [];
  const words = ['--profile', options.profile];
  if (options.profilesFile !== undefined) words.push('--profiles', options.profilesFile);
  return words;
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
