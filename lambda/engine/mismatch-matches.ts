// What each identifier of an `identifier-mismatch` row points at, so the reviewer sees which users the row mixes up.
// The row's own lookup only searched its primary identifier; the others are looked up here, for those rows only.

import type { PrimaryField } from './candidate-rule.ts';
import { givenFields, matchesField, primaryField } from './candidate-rule.ts';
import { DirectoryCallError } from './directory-errors.ts';
import { forEachLimited } from './limited-concurrency.ts';
import type { ResolvedUser } from './outcomes.ts';
import type { UserDirectory } from './ports.ts';
import type { LookupKey, StoredRow } from './stored-row.ts';

/** Fills `matches` of the slice's identifier-mismatch rows; a lookup that fails leaves its identifier out (unknown). */
export async function describeMismatches(
  directory: UserDirectory,
  rows: readonly StoredRow[],
  concurrency: number,
): Promise<void> {
  const lookups: Array<{ row: StoredRow; field: PrimaryField }> = [];
  for (const row of rows) {
    if (row.reason !== 'identifier-mismatch' || !row.key) continue;
    const primary = primaryField(row.key);
    for (const field of givenFields(row.key)) if (field !== primary) lookups.push({ row, field });
  }
  await forEachLimited(lookups, concurrency, async ({ row, field }) => {
    const key = row.key as LookupKey;
    let found: ResolvedUser[];
    try {
      found = await usersWith(directory, key, field);
    } catch (error) {
      if (error instanceof DirectoryCallError) return;
      throw error;
    }
    const ids = found.filter((user) => matchesField(user, key, field)).map((user) => user.id);
    row.matches = { ...row.matches, [field]: [...new Set(ids)] };
  });
}

function usersWith(directory: UserDirectory, key: LookupKey, field: PrimaryField): Promise<ResolvedUser[]> {
  if (field === 'id') return directory.getUsersByIds([key.id as number]);
  return directory.findUsers(field, key[field] as string);
}
