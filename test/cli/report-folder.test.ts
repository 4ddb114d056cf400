// The report folder: --report-dir must be absent or empty, and the run never overwrites or deletes a file it did not
// write (here the input itself, named retry.csv inside the report folder, which the engine's clean-up would delete).
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalFileStore } from '../../lambda/adapters/local-file-store.ts';
import { OwnFilesStore } from '../../lambda/cli/own-files-store.ts';
import { credentialEnv, csvOf, makeTempDir, readReport, removeDir, runCli, startEmulator } from './cli-harness.ts';

describe.concurrent('the report folder', () => {
  it('refuses --file out/retry.csv --report-dir out (exit 2), leaving the input as it was and deleting nothing', async (context) => {
    const emulator = await startEmulator({ tenant: { seed: 7, count: 40, directoryShare: 0 } });
    const dir = await makeTempDir();
    context.onTestFinished(async () => {
      await emulator.close();
      await removeDir(dir);
    });
    const out = path.join(dir, 'out');
    await mkdir(out);
    const input = path.join(out, 'retry.csv');
    const content = csvOf(emulator.users().slice(0, 2));
    await writeFile(input, content);

    const run = await runCli(['--file', input, '--live', '--yes', '--report-dir', out, '--api-url', emulator.url], {
      env: credentialEnv(),
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--report-dir .* is not empty/);
    expect(await readFile(input, 'utf8')).toBe(content);
    expect(existsSync(path.join(out, 'report.json'))).toBe(false);
    expect(emulator.stats().calls.delete).toBe(0);

    // The same input from outside an empty report folder runs, and the report lands there.
    const fresh = path.join(dir, 'fresh');
    const again = await runCli(['--file', input, '--dry-run', '--report-dir', fresh, '--api-url', emulator.url], {
      env: credentialEnv(),
    });
    expect(again.code).toBe(0);
    expect((await readReport(fresh)).job.status).toBe('completed');
    expect(await readFile(input, 'utf8')).toBe(content);
  });

  it('writes and deletes only its own files in the folder', async (context) => {
    const dir = await makeTempDir();
    context.onTestFinished(() => removeDir(dir));
    await writeFile(path.join(dir, 'retry.csv'), 'someone else’s\n');
    const store = new OwnFilesStore(new LocalFileStore(dir));

    await store.delete('retry.csv');
    expect(await readFile(path.join(dir, 'retry.csv'), 'utf8')).toBe('someone else’s\n');
    await expect(store.put('retry.csv', 'ours\n')).rejects.toThrow(/refusing to overwrite/);
    expect(await readFile(path.join(dir, 'retry.csv'), 'utf8')).toBe('someone else’s\n');

    await store.put('report.json', '{}');
    await store.put('report.json', '{"again":true}');
    expect(await readFile(path.join(dir, 'report.json'), 'utf8')).toBe('{"again":true}');
    await store.delete('report.json');
    expect(existsSync(path.join(dir, 'report.json'))).toBe(false);
  });
});
