// The first users a live run's plan would delete, read from the job's spooled chunks, for the confirmation prompt.
import { loadCheckpoint } from '../engine/checkpoint.ts';
import type { ResolvedUser } from '../engine/outcomes.ts';
import type { ObjectStore } from '../engine/ports.ts';
import { readChunk } from '../engine/stored-row.ts';

export const PREVIEW_USERS = 20;

export async function plannedUsers(
  store: ObjectStore,
  statePrefix: string,
  limit = PREVIEW_USERS,
): Promise<ResolvedUser[]> {
  const checkpoint = await loadCheckpoint(store, statePrefix);
  const users: ResolvedUser[] = [];
  for (let index = 0; checkpoint !== undefined && index < checkpoint.chunkCount && users.length < limit; index += 1) {
    for (const row of await readChunk(store, statePrefix, index)) {
      if (row.planned && row.outcome === undefined && row.user !== undefined) users.push(row.user);
      if (users.length >= limit) break;
    }
  }
  return users;
}

/** One line per user: id, name, email, last sign-in (as the directory gave them; "–" when it did not). */
export function formatPlannedUsers(users: readonly ResolvedUser[], total: number): string {
  const lines = users.map(
    (user) =>
      `  ${user.id}  ${user.name ?? user.username ?? '–'}  <${user.email ?? '–'}>  last sign-in ${user.lastLogin ?? 'never'}`,
  );
  if (total > users.length) lines.push(`  … and ${total - users.length} more (all of them in the plan)`);
  return `${lines.join('\n')}\n`;
}
