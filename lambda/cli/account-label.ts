// How the CLI names the account in its start line, confirmation prompt and summary, so no one mistakes it.
import type { CliOptions } from './parse-args.ts';

/** `acme.onelogin.com (profile prod, account id 123456)`; just the host without a profile or account id. */
export function accountLabel(options: Pick<CliOptions, 'profile' | 'expectedAccountId'>, host: string): string {
  const parts: string[] = [];
  if (options.profile !== undefined) parts.push(`profile ${options.profile}`);
  if (options.expectedAccountId !== undefined) parts.push(`account id ${options.expectedAccountId}`);
  return parts.length === 0 ? host : `${host} (${parts.join(', ')})`;
}
