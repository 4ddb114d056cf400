// Protect values that match no user in the account: a typo must never silently disable protection, so each one is a
// warning in the report and on the console. Ids are looked up in batches (`user_ids`), texts one search each.
import { DirectoryCallError } from './directory-errors.ts';
import { sameText } from './identifier-text.ts';
import type { ResolvedUser } from './outcomes.ts';
import type { UserDirectory } from './ports.ts';
import type { ProtectRules, ProtectValue } from './protect-rules.ts';

/** One warning for each protect value no user in the account carries (or whose lookup failed). */
export async function unmatchedProtectWarnings(directory: UserDirectory, rules: ProtectRules): Promise<string[]> {
  if (rules.size === 0) return [];
  const warnings: string[] = [];
  const foundIds = await idsPresent(directory, rules.values, warnings);
  for (const value of rules.values) {
    // An id found is a match; ids that could not be checked already have their warning.
    if (value.id !== undefined && (foundIds === undefined || foundIds.has(value.id))) continue;
    const fields = searchFields(value);
    if (fields.length === 0) {
      warnings.push(noUserWarning(value));
      continue;
    }
    try {
      if (!(await someUserCarries(directory, value, fields))) warnings.push(noUserWarning(value));
    } catch (error) {
      if (!(error instanceof DirectoryCallError)) throw error;
      warnings.push(`protect value ${JSON.stringify(value.text)} could not be checked: ${error.message}`);
    }
  }
  return warnings;
}

function noUserWarning(value: ProtectValue): string {
  const what = value.field === undefined ? 'no user has this id, username or email' : `no user has this ${value.field}`;
  return `protect value ${JSON.stringify(value.text)} matches no user in the account (${what}): is it a typo?`;
}

/** The protect ids that exist, or undefined when the lookup failed (a warning says so). */
async function idsPresent(
  directory: UserDirectory,
  values: readonly ProtectValue[],
  warnings: string[],
): Promise<Set<number> | undefined> {
  const ids = [...new Set(values.flatMap((value) => (value.id === undefined ? [] : [value.id])))];
  const present = new Set<number>();
  const size = Math.max(1, directory.idBatchSize);
  try {
    for (let start = 0; start < ids.length; start += size) {
      for (const user of await directory.getUsersByIds(ids.slice(start, start + size))) present.add(user.id);
    }
  } catch (error) {
    if (!(error instanceof DirectoryCallError)) throw error;
    warnings.push(`protected ids could not be checked: ${error.message}`);
    return undefined;
  }
  return present;
}

/** Which searches can find the value's user: its own field, or (a bare value) username and, with an "@", email. */
function searchFields(value: ProtectValue): ('email' | 'username')[] {
  if (value.key === undefined) return [];
  if (value.field === 'email' || value.field === 'username') return [value.field];
  return value.text.includes('@') ? ['email', 'username'] : ['username'];
}

async function someUserCarries(
  directory: UserDirectory,
  value: ProtectValue,
  fields: readonly ('email' | 'username')[],
): Promise<boolean> {
  for (const field of fields) {
    const users: ResolvedUser[] = await directory.findUsers(field, value.text);
    // A server may widen a search: only an exact match counts, read the way the rules read it.
    if (users.some((user) => sameText(user[field], value.text))) return true;
  }
  return false;
}
