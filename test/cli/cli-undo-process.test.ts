// --suspend and --restore through the real CLI process against the OneLogin emulator on loopback: the refusals that
// change nothing (exit 2, no API call at all) and a suspend dry run that names its action and its next command.
// A live suspend or restore end to end needs the engine's operations (branches "changes" and "restore").
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { credentialEnv, csvOf, emulatorAndFolder, runCli, writeCsv } from './cli-harness.ts';

function setup(context: TestContext) {
  return emulatorAndFolder(context, { tenant: { seed: 11, count: 30, directoryShare: 0 } });
}

function totalCalls(emulator: OneLoginEmulator): number {
  return Object.values(emulator.stats().calls).reduce((sum, count) => sum + count, 0);
}

describe('suspend and restore through the CLI process', () => {
  it.for<[string[], RegExp]>([
    [['--suspend', '--live'], /add --yes \(old form: yes=true\) to suspend without asking/],
    [['--suspend', '--restore', 'SNAPSHOT'], /--suspend and --restore were both given/],
    [['--only-suspended', '--suspend'], /--only-suspended .* cannot be given with --suspend/],
    [['--suspend', '--live', '--yes', '--require-plan'], /--require-plan: a live run needs --plan FILE/],
  ])('%j with a CSV: exit 2, nothing looked up or changed', async ([extra, message], context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 3)));
    const snapshot = path.join(dir, 'snapshot.jsonl');
    const args = [
      '--file',
      file,
      '--api-url',
      emulator.url,
      ...extra.map((arg) => (arg === 'SNAPSHOT' ? snapshot : arg)),
    ];
    const run = await runCli(args, { env: credentialEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(totalCalls(emulator)).toBe(0);
    expect(emulator.users()).toHaveLength(30);
  });

  it('--restore without --yes and without a terminal: exit 2, says restore, no call', async (context) => {
    const { emulator, dir } = await setup(context);
    const snapshot = path.join(dir, 'snapshot.jsonl');
    await writeFile(snapshot, '{"schemaVersion":1}\n');
    const run = await runCli(['--restore', snapshot, '--live', '--api-url', emulator.url], { env: credentialEnv() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/to restore without asking\. Nothing was changed/);
    expect(totalCalls(emulator)).toBe(0);
  });

  it('--restore with --file, or into a report folder that is not empty: exit 2, no call', async (context) => {
    const { emulator, dir } = await setup(context);
    const snapshot = path.join(dir, 'snapshot.jsonl');
    await writeFile(snapshot, '{"schemaVersion":1}\n');
    const both = await runCli(['--restore', snapshot, '--file', snapshot, '--api-url', emulator.url], {
      env: credentialEnv(),
    });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/leave out --file/);
    const used = path.join(dir, 'used');
    await mkdir(used);
    await writeFile(path.join(used, 'keep.txt'), 'earlier report');
    const full = await runCli(['--restore', snapshot, '--report-dir', used, '--api-url', emulator.url], {
      env: credentialEnv(),
    });
    expect(full.code).toBe(2);
    expect(full.stderr).toMatch(/is not empty/);
    expect(totalCalls(emulator)).toBe(0);
  });

  it('a suspend dry run changes nothing, names its action and the --suspend --live --plan command', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 2)));
    const reportDir = path.join(dir, 'out');
    const run = await runCli(['--file', file, '--suspend', '--api-url', emulator.url, '--report-dir', reportDir], {
      env: credentialEnv(),
    });
    expect(run.stdout.split('\n')[0]).toMatch(/^Dry run \(suspend\) of .*users\.csv on /);
    expect(run.stdout).toMatch(/--suspend --api-url \S+ --live --plan \S*plan\.json/);
    expect(emulator.stats().deletions).toHaveLength(0);
    expect(emulator.users()).toHaveLength(30);
  });
});
