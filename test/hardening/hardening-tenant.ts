// Users for hardening scenarios and the test's own reading of which users a file names unambiguously (the plan).
import type { EmulatorUser } from '../../lambda/emulator/emulator-types.ts';
import type { RowInput } from '../../lambda/engine/outcomes.ts';

export function emulatorUser(id: number, username: string | null, email: string | null): EmulatorUser {
  return {
    id,
    username,
    email,
    firstname: 'Test',
    lastname: `User ${id}`,
    status: 1,
    state: 1,
    created_at: '2020-01-01T00:00:00.000Z',
    updated_at: '2020-01-01T00:00:00.000Z',
  };
}

/** `count` plain users u<id>@example.com from firstId, each with its own username and email. */
export function plainUsers(count: number, firstId = 2001): EmulatorUser[] {
  return Array.from({ length: count }, (_, i) =>
    emulatorUser(firstId + i, `u${firstId + i}`, `u${firstId + i}@example.com`),
  );
}

/** A row of an input file, as the report echoes it. */
export type PlanRow = RowInput;

/**
 * The users a file names unambiguously: exactly one user matches every identifier the row gives (id exactly;
 * username/email case-insensitively), and no value is a wildcard. An id with a shared email is therefore unambiguous
 * (the email only confirms it). Worked out independently of the product's resolver on purpose.
 */
export function namedUsers(rows: readonly PlanRow[], users: readonly EmulatorUser[]): Set<number> {
  const named = new Set<number>();
  for (const row of rows) {
    const id = row.id?.trim() ?? '';
    const username = row.username?.trim() ?? '';
    const email = row.email?.trim() ?? '';
    if (id === '' && username === '' && email === '') continue;
    if ([id, username, email].some((value) => value.includes('*') || value.startsWith('!'))) continue;
    if (id !== '' && !/^[0-9]+$/.test(id)) continue;
    const matching = users.filter(
      (user) =>
        (id === '' || user.id === Number(id)) &&
        (username === '' || user.username?.toLowerCase() === username.toLowerCase()) &&
        (email === '' || user.email?.toLowerCase() === email.toLowerCase()),
    );
    if (matching.length === 1) named.add(matching[0]!.id);
  }
  return named;
}
