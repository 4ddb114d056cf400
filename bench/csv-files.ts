// Input files built from a tenant: which users a file names, and how it names them.
import type { EmulatorUser } from '../lambda/emulator/emulator-types.ts';
import { createSeededRandom } from '../lambda/emulator/seeded-random.ts';

export type FileKind = 'ids' | 'emails' | 'usernames' | 'mixed';
export const FILE_KINDS: readonly FileKind[] = ['ids', 'emails', 'usernames', 'mixed'];

export interface FileRow {
  id?: number;
  email?: string;
  username?: string;
}

/**
 * A file of `count` rows naming distinct users drawn by a seeded shuffle. A username file names only users that have
 * a username; when the account has too few of them, the remaining rows name usernames nobody has (not-found rows).
 */
export function fileRows(kind: FileKind, users: readonly EmulatorUser[], count: number, seed: number): FileRow[] {
  const eligible = kind === 'usernames' ? users.filter((user) => user.username !== null) : users;
  const rows = rowsFor(kind, pickUsers(eligible, Math.min(count, eligible.length), seed, kind));
  for (let index = rows.length; index < count; index += 1) rows.push({ username: `departed.user${index}` });
  return rows;
}

/** `count` distinct users drawn by a seeded shuffle; a username file draws only users that have a username. */
export function pickUsers(users: readonly EmulatorUser[], count: number, seed: number, kind: FileKind): EmulatorUser[] {
  const pool = kind === 'usernames' ? users.filter((user) => user.username !== null) : [...users];
  if (count > pool.length) throw new Error(`cannot pick ${count} users from ${pool.length}`);
  const random = createSeededRandom(seed);
  for (let index = 0; index < count; index += 1) {
    const other = index + Math.floor(random() * (pool.length - index));
    const chosen = pool[other] as EmulatorUser;
    pool[other] = pool[index] as EmulatorUser;
    pool[index] = chosen;
  }
  return pool.slice(0, count);
}

/** Mixed files cycle through the three single identifiers, then a row that gives id and email together. */
export function rowsFor(kind: FileKind, users: readonly EmulatorUser[]): FileRow[] {
  return users.map((user, index) => {
    const shape = kind === 'mixed' ? (['ids', 'emails', 'usernames', 'id+email'] as const)[index % 4] : kind;
    switch (shape) {
      case 'ids':
        return { id: user.id };
      case 'emails':
        return user.email === null ? { id: user.id } : { email: user.email };
      case 'usernames':
        return user.username === null ? { id: user.id } : { username: user.username };
      default:
        return user.email === null ? { id: user.id } : { id: user.id, email: user.email };
    }
  });
}

export function csvText(rows: readonly FileRow[]): string {
  const lines = ['id,username,email'];
  for (const row of rows)
    lines.push([row.id === undefined ? '' : String(row.id), cell(row.username), cell(row.email)].join(','));
  return `${lines.join('\n')}\n`;
}

function cell(value: string | undefined): string {
  if (value === undefined) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
