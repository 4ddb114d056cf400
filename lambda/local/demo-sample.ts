// samples/demo-users.csv, derived from the demo tenant (same seed, so its users exist) together with the outcome each
// row must get. The static file is written by generate-demo-sample.ts; a test keeps it equal to this output.
import type { EmulatorUser } from '../emulator/emulator-types.ts';
import { createSeededRandom } from '../emulator/seeded-random.ts';
import type { Outcome } from '../engine/outcomes.ts';
import { DEMO_TENANT } from './demo-settings.ts';
import { DEMO_PROBE_USERS, demoTenantUsers } from './demo-tenant.ts';

export const DEMO_SAMPLE_PATH = 'samples/demo-users.csv';

export interface ExpectedRow {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  /** Outcome in a dry run; a live run turns would-delete into deleted. */
  dryRun: Outcome;
  reason?: string;
  /** The user a would-delete row resolves to. */
  userId?: number;
}

export interface DemoSample {
  csv: string;
  expected: ExpectedRow[];
}

type Cells = [id: string, username: string, email: string];

/** Users that an id, username or email names unambiguously: both identifiers present and unique, case-insensitively. */
function unambiguousUsers(users: EmulatorUser[]): EmulatorUser[] {
  const count = (values: Array<string | null>): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const value of values)
      if (value !== null) counts.set(value.toLowerCase(), (counts.get(value.toLowerCase()) ?? 0) + 1);
    return counts;
  };
  const emails = count(users.map((user) => user.email));
  const usernames = count(users.map((user) => user.username));
  return users.filter(
    (user) =>
      user.email !== null &&
      user.username !== null &&
      emails.get(user.email.toLowerCase()) === 1 &&
      usernames.get(user.username.toLowerCase()) === 1 &&
      !/[*!,"]/.test(`${user.email}${user.username}`),
  );
}

function isDirectoryUser(user: EmulatorUser): boolean {
  return user.directory_id !== undefined && user.directory_id !== null;
}

function sharedEmail(users: EmulatorUser[]): string {
  const seen = new Map<string, number>();
  for (const user of users) {
    if (user.email === null) continue;
    const key = user.email.toLowerCase();
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const shared = users.find((user) => user.email !== null && (seen.get(user.email.toLowerCase()) ?? 0) >= 2);
  if (!shared?.email) throw new Error('the demo tenant has no shared email');
  return shared.email;
}

export function buildDemoSample(users: EmulatorUser[] = demoTenantUsers()): DemoSample {
  const probeIds = new Set(DEMO_PROBE_USERS.map((user) => user.id));
  const take = chooseUsers(users, probeIds);
  const { rows, deletes, refuses } = sampleRows();

  const firstUser = take();
  deletes([String(firstUser.id), '', ''], firstUser);
  for (let i = 0; i < 9; i += 1) {
    const user = take();
    deletes([String(user.id), '', ''], user);
  }
  refuses(['10000abc', '', ''], 'rejected', 'invalid-id');
  for (let i = 0; i < 8; i += 1) {
    const user = take();
    // One upper-cased address shows that emails match case-insensitively.
    deletes(['', '', i === 3 ? user.email!.toUpperCase() : user.email!], user);
  }
  refuses(['', '', absentEmail(users)], 'not-found');
  refuses(['', '', '*@example.com'], 'rejected', 'wildcard');
  for (let i = 0; i < 8; i += 1) {
    const user = take();
    deletes(['', user.username!, ''], user);
  }
  // A directory user was never planned, so naming it again is refused the same way, not as a duplicate.
  refuses(['', '', firstUser.email!], 'rejected', isDirectoryUser(firstUser) ? 'directory-managed' : 'duplicate');
  refuses(['', '', sharedEmail(users)], 'rejected', 'ambiguous');
  for (let i = 0; i < 8; i += 1) {
    const user = take();
    deletes([String(user.id), user.username!, user.email!], user);
  }
  const idOwner = take();
  const emailOwner = take();
  refuses([String(idOwner.id), '', emailOwner.email!], 'rejected', 'identifier-mismatch');
  refuses([String(absentId(users)), '', ''], 'not-found');
  for (const probe of users.filter((user) => probeIds.has(user.id))) deletes([String(probe.id), '', ''], probe);

  return renderSample(rows);
}

/**
 * The 36 users the sample names, drawn at random (seeded) from the unambiguous non-probe users, handed out in order.
 * The probe users are named once each, at the end: the random picks stay those of the generated tenant.
 */
function chooseUsers(users: EmulatorUser[], probeIds: ReadonlySet<number>): () => EmulatorUser {
  const random = createSeededRandom(DEMO_TENANT.seed + 1);
  const pool = unambiguousUsers(users.filter((user) => !probeIds.has(user.id)));
  const chosen: EmulatorUser[] = [];
  while (chosen.length < 36) {
    const candidate = pool.splice(Math.floor(random() * pool.length), 1)[0];
    if (!candidate) throw new Error('the demo tenant has too few unambiguous users');
    chosen.push(candidate);
  }
  return () => {
    const user = chosen.shift();
    if (!user) throw new Error('ran out of chosen users');
    return user;
  };
}

interface SampleRow {
  cells: Cells;
  expected: Omit<ExpectedRow, 'line'>;
}

/** The rows so far, with the two ways of adding one: naming a user to delete, or a row that must be refused. */
function sampleRows(): {
  rows: SampleRow[];
  deletes: (cells: Cells, user: EmulatorUser) => void;
  refuses: (cells: Cells, dryRun: Outcome, reason?: string) => void;
} {
  const rows: SampleRow[] = [];
  return {
    rows,
    deletes: (cells, user) => {
      // A user synced from a directory is refused by default (the stack's allowDirectoryUsers is false).
      const expected: Omit<ExpectedRow, 'line'> = isDirectoryUser(user)
        ? { dryRun: 'rejected', reason: 'directory-managed' }
        : { dryRun: 'would-delete', userId: user.id };
      rows.push({ cells, expected });
    },
    refuses: (cells, dryRun, reason) => {
      rows.push({ cells, expected: reason === undefined ? { dryRun } : { dryRun, reason } });
    },
  };
}

/** An email no demo user has. */
function absentEmail(users: EmulatorUser[]): string {
  const email = 'former.contractor@example.com';
  const knownEmails = new Set(users.flatMap((user) => (user.email === null ? [] : [user.email.toLowerCase()])));
  if (knownEmails.has(email)) throw new Error('the not-found email exists in the demo tenant');
  return email;
}

/** The first id from 99000001 up that no demo user has. */
function absentId(users: EmulatorUser[]): number {
  const knownIds = new Set(users.map((user) => user.id));
  let id = 99_000_001;
  while (knownIds.has(id)) id += 1;
  return id;
}

function renderSample(rows: SampleRow[]): DemoSample {
  const lines = ['id,username,email', ...rows.map((row) => row.cells.join(','))];
  return {
    csv: `${lines.join('\n')}\n`,
    expected: rows.map((row, index) => ({ line: index + 2, ...row.expected })),
  };
}
