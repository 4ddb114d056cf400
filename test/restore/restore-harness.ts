// Shared setup for restore tests: snapshot lines written by hand (the contract of snapshot-line.ts), a directory
// with roles and custom attributes, and a restore job run to its end through runJobStep, as the CLI runs it.
import type { InMemoryDirectoryOptions, UserExtras } from '../../lambda/adapters/in-memory-user-directory.ts';
import type { EngineTuning } from '../../lambda/engine/engine-tuning.ts';
import type { ResolvedUser } from '../../lambda/engine/outcomes.ts';
import type { AccountRef } from '../../lambda/engine/plan/plan-document.ts';
import type { UserRecord } from '../../lambda/engine/ports.ts';
import type { SnapshotLine } from '../../lambda/engine/snapshot/snapshot-line.ts';
import type { Harness } from '../engine/engine-harness.ts';
import { csvSource, makeHarness, makeUsers } from '../engine/engine-harness.ts';

export const ACCOUNT: AccountRef = { host: 'acme.onelogin.com', accountId: 4242 };

/** A user of the account as GET /api/2/users/:id gives it, with the extras a full snapshot keeps. */
export function recordOf(user: ResolvedUser, extras: UserExtras = {}): UserRecord {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    firstname: user.firstname ?? null,
    lastname: user.lastname ?? null,
    status: user.status ?? 1,
    state: user.state ?? 1,
    directory_id: null,
    title: extras.title ?? null,
    department: extras.department ?? null,
    custom_attributes: structuredClone(extras.custom_attributes ?? {}),
    role_ids: [...(extras.role_ids ?? [])],
    created_at: '2024-01-01T00:00:00.000Z',
    last_login: '2026-11-01T00:00:00.000Z',
  };
}

export function snapshotLine(
  record: UserRecord,
  overrides: Partial<SnapshotLine> & { line?: number } = {},
): SnapshotLine {
  return {
    schemaVersion: 1,
    jobId: 'delete-job',
    at: '2026-11-28T11:00:00.000Z',
    action: 'delete',
    line: 2,
    account: ACCOUNT,
    user: record,
    roles: Array.isArray(record.role_ids) ? (record.role_ids as number[]) : [],
    previousStatus: typeof record.status === 'number' ? record.status : null,
    ...overrides,
  };
}

export function jsonl(lines: readonly (SnapshotLine | string)[]): string {
  return `${lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n')}\n`;
}

/** Users 1001.. with names; even ones have two roles and custom attributes. */
export function people(count: number, firstId = 1001): { users: ResolvedUser[]; extras: Map<number, UserExtras> } {
  const users = makeUsers(count, firstId).map((user) => ({
    ...user,
    firstname: `First${user.id}`,
    lastname: `Last${user.id}`,
    status: 1,
    state: 1,
    directory_id: null,
  }));
  const extras = new Map<number, UserExtras>();
  for (const user of users) {
    const even = user.id % 2 === 0;
    extras.set(user.id, {
      title: `Title ${user.id}`,
      department: even ? 'Sales' : 'Ops',
      role_ids: even ? [11, 12] : [13],
      custom_attributes: { employee_no: `E${user.id}`, cost_centre: even ? 'CC1' : 'CC2' },
    });
  }
  return { users, extras };
}

export function restoreHarness(options: {
  snapshot: string;
  users?: ResolvedUser[];
  extras?: Map<number, UserExtras>;
  mode?: 'dry-run' | 'live';
  account?: AccountRef;
  directory?: InMemoryDirectoryOptions;
  tuning?: Partial<EngineTuning>;
}): Harness {
  const h = makeHarness({
    csv: options.snapshot,
    users: options.users ?? [],
    directory: {
      account: options.account ?? ACCOUNT,
      ...(options.extras ? { extras: options.extras } : {}),
      ...options.directory,
    },
    spec: {
      id: 'restore-1',
      mode: options.mode ?? 'dry-run',
      action: 'restore',
      source: 'snapshot.jsonl',
      reportPrefix: 'reports/restore-1/',
      statePrefix: 'state/restore-1/',
    },
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
  h.deps.input = csvSource(options.snapshot, 'snapshot.jsonl');
  return h;
}
