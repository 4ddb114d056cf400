// A live restore through runJobStep, as the CLI runs it (docs/restore.md): deleted users come back with their names,
// custom attributes and roles under new ids; a restore run twice never makes a duplicate; a lost answer is settled on
// resume; a failed role call is reported with the new id; suspended users get their previous status back.
import { describe, expect, it } from 'vitest';
import {
  DirectoryCallError,
  DirectoryUnavailableError,
  WaitRequiredError,
} from '../../lambda/engine/directory-errors.ts';
import { readReport, rowAt, runToEnd } from '../engine/engine-harness.ts';
import { jsonl, people, recordOf, restoreHarness, snapshotLine } from './restore-harness.ts';

/** 100 users; the first 40 were deleted, each with its snapshot line. */
function deletedForty() {
  const { users, extras } = people(100);
  const deleted = users.slice(0, 40);
  const lines = deleted.map((user, i) => snapshotLine(recordOf(user, extras.get(user.id)), { line: i + 2 }));
  const remaining = users.slice(40);
  return { deleted, extras, lines, remaining, remainingExtras: new Map([...extras].filter(([id]) => id > 1040)) };
}

function liveRestore(snapshot: string, setup = deletedForty()) {
  const h = restoreHarness({ snapshot, users: setup.remaining, extras: setup.remainingExtras, mode: 'live' });
  h.spec.options.maxPercent = 100;
  return h;
}

async function usernames(h: ReturnType<typeof liveRestore>): Promise<string[]> {
  const names: string[] = [];
  for await (const page of h.directory.listAllUsers()) for (const user of page.users) names.push(user.username ?? '');
  return names;
}

describe('a live restore', () => {
  it('brings 40 deleted users back: same usernames, emails, names, custom attributes and roles, new ids', async () => {
    const setup = deletedForty();
    const h = liveRestore(jsonl(setup.lines), setup);
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    const report = readReport(h);
    expect(report.summary.restored).toBe(40);
    for (const [i, old] of setup.deleted.entries()) {
      const row = rowAt(report, i + 1);
      expect(row.outcome).toBe('restored');
      expect(row.user?.id).not.toBe(old.id);
      expect(row.message).toContain(`old id ${old.id} → new id ${row.user?.id}`);
      const found = await h.directory.findUsers('username', old.username as string);
      expect(found).toHaveLength(1);
      const record = await h.directory.getUserRecord(found[0]!.id);
      expect(record).toMatchObject({
        id: row.user?.id,
        username: old.username,
        email: old.email,
        firstname: old.firstname,
        lastname: old.lastname,
        custom_attributes: setup.extras.get(old.id)?.custom_attributes,
      });
      expect([...((record?.role_ids ?? []) as number[])].sort()).toEqual(setup.extras.get(old.id)?.role_ids);
    }
    const csv = h.store.text('reports/restore-1/report.csv') ?? '';
    expect(csv).toContain(String(rowAt(report, 1).user?.id));
    expect(h.store.keys().some((key) => key.endsWith('snapshot.jsonl'))).toBe(false);
  });

  it('costs at most 2 calls a user plus one role call per role and batch', async () => {
    const setup = deletedForty();
    const h = liveRestore(jsonl(setup.lines), setup);
    await runToEnd(h);
    const calls = h.directory.callsByMethod;
    expect(calls.createUser).toBe(40);
    expect(calls.findUsers + calls.createUser).toBeLessThanOrEqual(2 * 40);
    const batches = Math.ceil(40 / h.directory.idBatchSize);
    // Three roles (11, 12, 13) among the users.
    expect(calls.addRoleUsers).toBeLessThanOrEqual(3 * batches);
    expect(readReport(h).summary.apiCallsByKind.create).toBe(40);
  });

  it('run twice: the second run finds every user present and creates nobody again', async () => {
    const setup = deletedForty();
    const first = liveRestore(jsonl(setup.lines), setup);
    await runToEnd(first);
    const second = restoreHarness({ snapshot: jsonl(setup.lines), mode: 'live' });
    second.spec.options.maxPercent = 100;
    // The same directory, now holding the restored users.
    second.deps.directory = first.directory;
    const created = first.directory.callsByMethod.createUser;
    await runToEnd({ spec: second.spec, deps: second.deps });
    const report = readReport(second);
    expect(report.summary['already-present']).toBe(40);
    expect(first.directory.callsByMethod.createUser).toBe(created);
    expect(first.directory.size).toBe(100);
    const names = await usernames(first);
    expect(new Set(names).size).toBe(100);
  });

  it('restores only the lines of a subset', async () => {
    const setup = deletedForty();
    const h = liveRestore(jsonl([setup.lines[3]!, setup.lines[17]!]), setup);
    await runToEnd(h);
    const report = readReport(h);
    expect(report.rows.map((row) => row.outcome)).toEqual(['restored', 'restored']);
    expect(h.directory.size).toBe(62);
    expect(await h.directory.findUsers('username', 'user1004')).toHaveLength(1);
    expect(await h.directory.findUsers('username', 'user1005')).toHaveLength(0);
  });

  it('settles a create whose answer was lost: resumed, the user is restored once', async () => {
    const setup = deletedForty();
    const h = liveRestore(jsonl(setup.lines.slice(0, 5)), setup);
    const create = h.directory.createUser.bind(h.directory);
    let lose = true;
    h.directory.createUser = async (fields) => {
      const result = await create(fields);
      if (lose && fields.username === 'user1003') {
        lose = false;
        throw new Error('socket hang up: the answer was lost');
      }
      return result;
    };
    await expect(runToEnd(h)).rejects.toThrow(/socket hang up/);
    await runToEnd(h);
    const report = readReport(h);
    expect(report.summary.restored).toBe(5);
    expect(rowAt(report, 3).message).toMatch(/created by an earlier attempt of this run/);
    for (const old of setup.deleted.slice(0, 5))
      expect(await h.directory.findUsers('username', old.username as string)).toHaveLength(1);
    const restored = (await h.directory.findUsers('username', 'user1003'))[0]!;
    expect(rowAt(report, 3).user?.id).toBe(restored.id);
    expect((await h.directory.getUserRecord(restored.id))?.role_ids).toEqual([13]);
  });

  it('reports a failed role call with the new id and the missing roles, and never creates the user again', async () => {
    const setup = deletedForty();
    const h = restoreHarness({
      snapshot: jsonl(setup.lines.slice(0, 4)),
      users: setup.remaining,
      mode: 'live',
      directory: {
        beforeCall: (call) => {
          if (call.method === 'addRoleUsers' && (call.argument as { roleId: number }).roleId === 12)
            throw new DirectoryCallError('http-500', 'server error');
        },
      },
    });
    h.spec.options.maxPercent = 100;
    await runToEnd(h);
    const report = readReport(h);
    // Even users (1002, 1004) have roles 11 and 12; odd ones only 13.
    for (const line of [2, 4]) {
      const row = rowAt(report, line);
      expect(row).toMatchObject({ outcome: 'failed', reason: 'roles-not-assigned' });
      expect(row.message).toContain(`new id ${row.user?.id}`);
      expect(row.message).toMatch(/roles 12 could not be assigned/);
      expect((await h.directory.getUserRecord(row.user?.id as number))?.role_ids).toEqual([11]);
    }
    for (const line of [1, 3]) expect(rowAt(report, line).outcome).toBe('restored');
    expect(h.directory.callsByMethod.createUser).toBe(4);
    // The user exists: its line is not offered for a retry.
    expect(h.store.text('reports/restore-1/retry.jsonl') ?? '').toBe('');
  });

  it('gives suspended users their previous status back, and leaves their roles alone', async () => {
    const { users, extras } = people(4);
    const suspended = users.map((user) => ({ ...user, status: 2 }));
    const lines = users.map((user) =>
      snapshotLine(recordOf(user, extras.get(user.id)), {
        action: 'suspend',
        previousStatus: user.id === 1004 ? 3 : 1,
      }),
    );
    const h = restoreHarness({ snapshot: jsonl(lines), users: suspended, extras, mode: 'live' });
    h.spec.options.maxPercent = 100;
    await runToEnd(h);
    const report = readReport(h);
    expect(report.summary.restored).toBe(4);
    expect((await h.directory.getUsersByIds([1001, 1004])).map((user) => user.status)).toEqual([1, 3]);
    expect(rowAt(report, 1).user).toMatchObject({ id: 1001, status: 1 });
    expect(h.directory.callsByMethod.addRoleUsers + h.directory.callsByMethod.createUser).toBe(0);
  });

  it('refuses a live restore over the budget before its first change', async () => {
    const setup = deletedForty();
    const h = liveRestore(jsonl(setup.lines), setup);
    h.spec.options.maxPercent = 10;
    const result = await runToEnd(h);
    expect(result.status).toBe('rejected');
    expect(readReport(h).rows.every((row) => row.reason === 'over-budget')).toBe(true);
    expect(h.directory.callsByMethod.createUser).toBe(0);
  });

  it('stops part-way when the directory becomes unavailable: aborted, never a restored user reported as deleted', async () => {
    const setup = deletedForty();
    let creates = 0;
    const h = restoreHarness({
      snapshot: jsonl(setup.lines.slice(0, 6)),
      users: setup.remaining,
      mode: 'live',
      directory: {
        beforeCall: (call) => {
          if (call.method === 'createUser' && ++creates > 3)
            throw new DirectoryUnavailableError('unauthorized', 'revoked');
        },
      },
      tuning: { deleteConcurrency: 1 },
    });
    h.spec.options.maxPercent = 100;
    const result = await runToEnd(h);
    expect(result.status).toBe('aborted');
    const report = readReport(h);
    expect(report.summary.restored).toBe(3);
    expect(report.summary.deleted).toBe(0);
    for (const row of report.rows.filter((r) => r.outcome !== 'restored'))
      expect(row).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/aborted|unauthorized/) });
    expect(h.store.text('reports/restore-1/retry.jsonl')?.trim().split('\n')).toHaveLength(3);
  });

  it('pauses for the rate limit and goes on where it stopped, creating each user once', async () => {
    const setup = deletedForty();
    let waits = 0;
    const h = restoreHarness({
      snapshot: jsonl(setup.lines.slice(0, 8)),
      users: setup.remaining,
      mode: 'live',
      directory: {
        beforeCall: (call) => {
          if (call.method === 'createUser' && waits < 2) {
            waits += 1;
            throw new WaitRequiredError(30_000);
          }
        },
      },
    });
    h.spec.options.maxPercent = 100;
    const result = await runToEnd(h);
    expect(result.status).toBe('completed');
    expect(readReport(h).summary.restored).toBe(8);
    for (const old of setup.deleted.slice(0, 8))
      expect(await h.directory.findUsers('username', old.username as string)).toHaveLength(1);
  });

  it('never takes someone else who shares only the username for its own earlier attempt', async () => {
    const setup = deletedForty();
    const other = { id: 9001, username: 'user1002', email: 'someone.else@example.com' };
    const h = restoreHarness({
      snapshot: jsonl(setup.lines.slice(0, 2)),
      users: [...setup.remaining, other],
      mode: 'live',
    });
    h.spec.options.maxPercent = 100;
    const create = h.directory.createUser.bind(h.directory);
    let lose = true;
    h.directory.createUser = async (fields) => {
      // The first attempt for user1002 dies on the way out: OneLogin never saw it.
      if (lose && fields.username === 'user1002') {
        lose = false;
        throw new Error('socket hang up before the request was sent');
      }
      return create(fields);
    };
    await expect(runToEnd(h)).rejects.toThrow(/socket hang up/);
    await runToEnd(h);
    const report = readReport(h);
    expect(rowAt(report, 1).outcome).toBe('restored');
    expect(rowAt(report, 2).outcome).toBe('already-present');
    expect(rowAt(report, 2).message).toMatch(/nothing was created/);
    expect((await h.directory.getUserRecord(9001))?.role_ids).toEqual([]);
  });
});
