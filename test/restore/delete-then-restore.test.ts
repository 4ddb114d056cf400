// The way back end to end in the engine: a live deletion writes snapshot.jsonl, a restore of that very file brings the
// users back (new ids), a second restore finds them present; a suspension's snapshot gives each user its status back.
import { describe, expect, it } from 'vitest';
import type { InMemoryUserDirectory } from '../../lambda/adapters/in-memory-user-directory.ts';
import { MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import type { ResolvedUser } from '../../lambda/engine/outcomes.ts';
import type { Harness } from '../engine/engine-harness.ts';
import { csvSource, makeHarness, readReport, runToEnd } from '../engine/engine-harness.ts';
import { ACCOUNT, people } from './restore-harness.ts';

const { users, extras } = people(60);

function idsCsv(count: number): string {
  return `id\n${users
    .slice(0, count)
    .map((user) => user.id)
    .join('\n')}\n`;
}

async function deleteWithSnapshot(action: 'delete' | 'suspend' = 'delete'): Promise<{ h: Harness; snapshot: string }> {
  const h = makeHarness({
    csv: idsCsv(40),
    users,
    directory: { extras, account: ACCOUNT },
    spec: { mode: 'live', action },
  });
  const result = await runToEnd(h);
  expect(result.status).toBe('completed');
  const snapshot = h.store.text(result.reports?.snapshot ?? '');
  if (snapshot === undefined) throw new Error('no snapshot');
  return { h, snapshot };
}

/** The same directory, a new job: a restore of `snapshot`. */
async function restore(directory: InMemoryUserDirectory, snapshot: string, id: string, mode: 'dry-run' | 'live') {
  const store = new MemoryObjectStore();
  const h = makeHarness({ csv: snapshot, spec: { id, mode, action: 'restore', reportPrefix: `reports/${id}/` } });
  h.deps.directory = directory;
  h.deps.store = store;
  h.deps.input = csvSource(snapshot, 'snapshot.jsonl');
  const result = await runToEnd(h);
  expect(result.status).toBe('completed');
  return readReport({ store, spec: h.spec });
}

async function byUsername(directory: InMemoryUserDirectory, username: string): Promise<ResolvedUser | undefined> {
  const found = await directory.findUsers('username', username);
  return found.find((user) => user.username === username);
}

describe('delete 40 users, then restore them from the snapshot', () => {
  it('brings back usernames, emails, names, custom attributes and roles, under new ids', async () => {
    const { h, snapshot } = await deleteWithSnapshot();
    expect(h.directory.size).toBe(20);
    const dry = await restore(h.directory, snapshot, 'restore-dry', 'dry-run');
    expect(dry.summary['would-restore']).toBe(40);
    expect(h.directory.callsByMethod.createUser).toBe(0);

    const live = await restore(h.directory, snapshot, 'restore-live', 'live');
    expect(live.summary.restored).toBe(40);
    expect(h.directory.size).toBe(60);
    for (const original of users.slice(0, 40)) {
      const back = await byUsername(h.directory, original.username as string);
      expect(back, original.username as string).toBeDefined();
      const record = await h.directory.getUserRecord((back as ResolvedUser).id);
      expect(record).toMatchObject({
        email: original.email,
        firstname: original.firstname,
        lastname: original.lastname,
        custom_attributes: extras.get(original.id)?.custom_attributes,
      });
      expect([...((record?.role_ids as number[]) ?? [])].sort()).toEqual([
        ...(extras.get(original.id)?.role_ids ?? []),
      ]);
      expect((back as ResolvedUser).id).not.toBe(original.id);
      const row = live.rows.find((r) => r.input.username === original.username);
      expect(row?.user?.id).toBe((back as ResolvedUser).id);
    }

    // A second restore of the same snapshot creates nobody: every line is already present.
    const again = await restore(h.directory, snapshot, 'restore-again', 'live');
    expect(again.summary['already-present']).toBe(40);
    expect(h.directory.size).toBe(60);
  });

  it('suspend, then restore: every user gets its previous status back', async () => {
    const { h, snapshot } = await deleteWithSnapshot('suspend');
    const suspended = await h.directory.getUsersByIds(users.slice(0, 40).map((user) => user.id));
    expect(suspended.every((user) => user.status === 2)).toBe(true);
    const report = await restore(h.directory, snapshot, 'restore-status', 'live');
    expect(report.summary.restored).toBe(40);
    const back = await h.directory.getUsersByIds(users.slice(0, 40).map((user) => user.id));
    expect(back.map((user) => user.status)).toEqual(users.slice(0, 40).map((user) => user.status));
    expect(h.directory.callsByMethod.createUser).toBe(0);
  });
});
