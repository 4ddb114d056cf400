// Issue 11 end to end through the real CLI process over loopback HTTP against the emulator: a live deletion writes
// snapshot.jsonl and prints its undo; a restore of that file brings the users back (new ids), a second one creates
// nobody; a suspension's snapshot gives every user its status back; --only-suspended spares a reactivated user.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { EmulatorUser, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import type { SnapshotLine } from '../../lambda/engine/snapshot/snapshot-line.ts';
import type { CliRun } from './cli-harness.ts';
import { CLIENT_SECRET, credentialEnv, csvOf, emulatorAndFolder, readReport, runCli, writeCsv } from './cli-harness.ts';

const TENANT_SIZE = 200;
const PICKED = 40;

function setup(context: TestContext) {
  // Pages of 15 make every lookup and listing cross page boundaries; the listing omits custom attributes and roles
  // (OneLogin's default), so a full snapshot reads each user again.
  return emulatorAndFolder(context, {
    tenant: { seed: 23, count: TENANT_SIZE, directoryShare: 0 },
    defaultPageSize: 15,
    maxPageSize: 15,
  });
}

/** Users whose username and email no other user shares, with at least one role or custom attribute among them. */
function pickUsers(emulator: OneLoginEmulator): EmulatorUser[] {
  const users = emulator.users();
  const count = (key: (user: EmulatorUser) => string | null) => {
    const counts = new Map<string, number>();
    for (const user of users) {
      const value = key(user)?.toLowerCase();
      if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return counts;
  };
  const emails = count((user) => user.email);
  const usernames = count((user) => user.username);
  const unique = users.filter(
    (user) =>
      user.email !== null &&
      user.username !== null &&
      emails.get(user.email.toLowerCase()) === 1 &&
      usernames.get(user.username.toLowerCase()) === 1 &&
      !/[*,!"]/.test(`${user.email}${user.username}`),
  );
  return unique.slice(0, PICKED);
}

function baseArgs(emulator: OneLoginEmulator, reportDir: string): string[] {
  return ['--api-url', emulator.url, '--report-dir', reportDir, '--max-percent', '100'];
}

async function cli(args: string[]): Promise<CliRun> {
  const run = await runCli(args, { env: credentialEnv() });
  expect(run.stdout).not.toContain(CLIENT_SECRET);
  expect(run.stderr).not.toContain(CLIENT_SECRET);
  return run;
}

async function snapshotLines(file: string): Promise<SnapshotLine[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as SnapshotLine);
}

function sortedRoles(user: { role_ids?: number[] | undefined }): number[] {
  return [...(user.role_ids ?? [])].sort((a, b) => a - b);
}

/** The tenant shares some emails on purpose; the restored users' usernames and emails each have one holder. */
function expectOneHolderEach(emulator: OneLoginEmulator, originals: readonly EmulatorUser[]): void {
  const users = emulator.users();
  for (const original of originals) {
    const holders = users.filter(
      (user) =>
        user.username?.toLowerCase() === original.username?.toLowerCase() ||
        user.email?.toLowerCase() === original.email?.toLowerCase(),
    );
    expect(holders, original.username ?? '').toHaveLength(1);
  }
}

async function liveDelete(emulator: OneLoginEmulator, dir: string, picked: EmulatorUser[], extra: string[] = []) {
  const file = await writeCsv(dir, 'users.csv', csvOf(picked));
  const reportDir = path.join(dir, `live${extra.join('')}`);
  const run = await cli(['--file', file, ...baseArgs(emulator, reportDir), '--live', '--yes', ...extra]);
  return { run, reportDir, file };
}

describe('undo through the CLI process', () => {
  it('delete 40 → snapshot.jsonl in full; restore dry run, live restore (new ids, same records), restore again', async (context) => {
    const { emulator, dir } = await setup(context);
    const picked = pickUsers(emulator);
    expect(picked).toHaveLength(PICKED);
    expect(picked.some((user) => sortedRoles(user).length > 1)).toBe(true);
    expect(picked.some((user) => Object.values(user.custom_attributes ?? {}).some((value) => value !== null))).toBe(
      true,
    );
    expect(emulator.roles().length).toBeGreaterThan(0);
    const originals = picked.map((user) => structuredClone(user));

    const { run, reportDir } = await liveDelete(emulator, dir, picked);
    expect(run.code, run.stderr).toBe(0);
    expect(emulator.stats().deletions).toHaveLength(PICKED);
    const snapshot = path.join(reportDir, 'snapshot.jsonl');
    const lines = await snapshotLines(snapshot);
    expect(lines).toHaveLength(PICKED);
    for (const original of originals) {
      const line = lines.find((candidate) => candidate.user.id === original.id);
      expect(line, String(original.id)).toMatchObject({
        action: 'delete',
        previousStatus: original.status,
        user: { username: original.username, email: original.email, custom_attributes: original.custom_attributes },
      });
      expect(line?.missingFields).toBeUndefined();
      expect([...(line?.roles ?? [])].sort((a, b) => a - b)).toEqual(sortedRoles(original));
      expect(sortedRoles(line?.user as { role_ids?: number[] })).toEqual(sortedRoles(original));
    }
    expect(run.stdout).toContain(`Snapshot: ${snapshot}`);
    expect(run.stdout).toMatch(new RegExp(`--restore ${escapedForRegExp(snapshot)} --api-url \\S+ --live\\n`));
    // report.json names its sibling file, relative to the report folder.
    expect((await readReport(reportDir)).snapshot).toEqual({ key: 'snapshot.jsonl', lines: PICKED });

    const dryDir = path.join(dir, 'restore-dry');
    const dry = await cli(['--restore', snapshot, ...baseArgs(emulator, dryDir)]);
    expect(dry.code, dry.stderr).toBe(0);
    expect((await readReport(dryDir)).summary['would-restore']).toBe(PICKED);
    expect(emulator.stats().calls.create).toBe(0);
    expect(emulator.users()).toHaveLength(TENANT_SIZE - PICKED);

    const liveDir = path.join(dir, 'restore-live');
    const live = await cli(['--restore', snapshot, ...baseArgs(emulator, liveDir), '--live', '--yes']);
    expect(live.code, live.stderr).toBe(0);
    expect(emulator.users()).toHaveLength(TENANT_SIZE);
    await expectRestored(emulator, originals, liveDir);
    expectOneHolderEach(emulator, originals);

    const againDir = path.join(dir, 'restore-again');
    const again = await cli(['--restore', snapshot, ...baseArgs(emulator, againDir), '--live', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect((await readReport(againDir)).summary['already-present']).toBe(PICKED);
    expect(emulator.users()).toHaveLength(TENANT_SIZE);
    expectOneHolderEach(emulator, originals);
  });

  it('suspend 40, then restore their snapshot: every user has its previous status', async (context) => {
    const { emulator, dir } = await setup(context);
    const picked = pickUsers(emulator);
    // Some were not active before: a restore gives back that status, not "active".
    emulator.updateUser(picked[0]?.id as number, { status: 3 });
    emulator.updateUser(picked[1]?.id as number, { status: 0 });
    const before = new Map(picked.map((user) => [user.id, emulator.users().find((u) => u.id === user.id)?.status]));

    const { run, reportDir } = await liveDelete(emulator, dir, picked, ['--suspend']);
    expect(run.code, run.stderr).toBe(0);
    const report = await readReport(reportDir);
    expect(report.summary.suspended + report.summary['already-suspended']).toBe(PICKED);
    expect(statusesOf(emulator, picked)).toEqual(picked.map(() => 2));
    expect(emulator.stats().deletions).toHaveLength(0);
    const snapshot = path.join(reportDir, 'snapshot.jsonl');
    expect(run.stdout).toContain(`--restore ${snapshot}`);

    const restoreDir = path.join(dir, 'restore');
    const restored = await cli(['--restore', snapshot, ...baseArgs(emulator, restoreDir), '--live', '--yes']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(statusesOf(emulator, picked)).toEqual(picked.map((user) => before.get(user.id)));
    expect(emulator.stats().calls.create).toBe(0);
    expect(emulator.users()).toHaveLength(TENANT_SIZE);
  });

  it('--only-suspended after a suspension: deletes the still suspended, spares one reactivated since', async (context) => {
    const { emulator, dir } = await setup(context);
    const picked = pickUsers(emulator).slice(0, 12);
    const suspended = await liveDelete(emulator, dir, picked, ['--suspend']);
    expect(suspended.run.code, suspended.run.stderr).toBe(0);
    const reactivated = picked[5] as EmulatorUser;
    emulator.updateUser(reactivated.id, { status: 1 });

    const { run, reportDir } = await liveDelete(emulator, dir, picked, ['--only-suspended']);
    expect(run.code, run.stderr).toBe(0);
    const report = await readReport(reportDir);
    const spared = report.rows.filter((row) => row.outcome === 'rejected');
    expect(spared.map((row) => [row.user?.id ?? row.input.id, row.reason])).toEqual([
      [reactivated.id, 'not-suspended'],
    ]);
    // DELETEs run concurrently: their order is not the file's.
    const deleted = emulator.stats().deletions.map((deletion) => deletion.id);
    expect(deleted.sort((a, b) => a - b)).toEqual(
      picked
        .filter((user) => user.id !== reactivated.id)
        .map((user) => user.id)
        .sort((a, b) => a - b),
    );
    expect(emulator.users().find((user) => user.id === reactivated.id)?.status).toBe(1);
  });
});

function statusesOf(emulator: OneLoginEmulator, users: readonly EmulatorUser[]): Array<number | undefined> {
  const now = new Map(emulator.users().map((user) => [user.id, user.status]));
  return users.map((user) => now.get(user.id));
}

function escapedForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Each original is back under a new id with its fields and roles, and both report files name that new id. */
async function expectRestored(emulator: OneLoginEmulator, originals: EmulatorUser[], reportDir: string) {
  const report = await readReport(reportDir);
  expect(report.summary.restored).toBe(originals.length);
  const csvRows = parse(await readFile(path.join(reportDir, 'report.csv'), 'utf8'), {
    columns: true,
    bom: true,
  }) as Array<Record<string, string>>;
  for (const original of originals) {
    const back = emulator.users().find((user) => user.username === original.username);
    expect(back, original.username ?? '').toBeDefined();
    const user = back as EmulatorUser;
    expect(user.id).not.toBe(original.id);
    expect(user).toMatchObject({
      email: original.email,
      firstname: original.firstname,
      lastname: original.lastname,
      custom_attributes: original.custom_attributes,
    });
    expect(sortedRoles(user)).toEqual(sortedRoles(original));
    const row = report.rows.find((candidate) => candidate.input.username === original.username);
    expect(row?.user?.id).toBe(user.id);
    expect(csvRows.find((csvRow) => csvRow.username === original.username)?.user_id).toBe(String(user.id));
  }
}
