// Which OneLogin account an upload is for (issue 12, docs/accounts.md). With an `accounts` setting, the first folder
// under any input prefix names the account (`<prefix>/<account>/<name>.csv`); without it, one secret serves every key.
// Independent of which prefixes exist: upload-kinds.ts says what the folder is, this says whose account it is.
import type { AccountSetting, AccountsSetting } from '../settings/accounts-setting.ts';
import { INPUT_FOLDERS, inputFolderOf } from './upload-kinds.ts';

/** An upload under no account folder, or under a folder the stack does not serve: refused with a report, nothing runs. */
export const UNKNOWN_ACCOUNT = 'unknown-account';

export type AccountRoute =
  /** No `accounts` setting: the stack's one secret. */
  | { kind: 'single' }
  | { kind: 'account'; name: string; account: AccountSetting }
  | { kind: 'unknown'; code: typeof UNKNOWN_ACCOUNT; message: string };

/** The account a key (already known to be an input key) is for. */
export function accountRouteFor(key: string, accounts: AccountsSetting | undefined): AccountRoute {
  if (accounts === undefined) return { kind: 'single' };
  const folder = inputFolderOf(key);
  const prefix = folder === undefined ? '' : INPUT_FOLDERS[folder];
  const segments = key.slice(prefix.length).split('/');
  const candidate = segments.length > 1 ? segments[0] : undefined;
  const known = Object.keys(accounts).sort();
  if (candidate !== undefined && Object.hasOwn(accounts, candidate)) {
    return { kind: 'account', name: candidate, account: accounts[candidate] as AccountSetting };
  }
  const example = `${prefix}${known[0] ?? '<account>'}/${segments[segments.length - 1] ?? ''}`;
  const where =
    candidate === undefined
      ? `it is not under an account folder (${prefix}<account>/…)`
      : `'${candidate}' is not an account this stack serves`;
  return {
    kind: 'unknown',
    code: UNKNOWN_ACCOUNT,
    message: `the upload was not processed and nothing was changed: ${where}. Known accounts: ${known.join(', ')}. Upload it again as ${example}.`,
  };
}

/** The account's name when the key routes to one (for logs, reports and the summary); undefined otherwise. */
export function accountNameOf(key: string, accounts: AccountsSetting | undefined): string | undefined {
  const route = accountRouteFor(key, accounts);
  return route.kind === 'account' ? route.name : undefined;
}
