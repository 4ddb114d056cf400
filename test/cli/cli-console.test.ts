// What an administrator reads on the console of a real CLI process: sentences, not log lines; why it waits; what next.
import path from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { credentialEnv, csvOf, emulatorAndFolder, runCli, writeCsv } from './cli-harness.ts';

function setup(context: TestContext) {
  return emulatorAndFolder(context);
}

describe.concurrent('the console of onelogin-bulk-delete', () => {
  it('says in a sentence that the input was refused, with no structured log line', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', 'name,department\nAda,HR\n');
    const run = await runCli(['--file', file, '--api-url', emulator.url, '--report-dir', path.join(dir, 'out')], {
      env: credentialEnv(),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('The input file was refused as a whole (no-known-columns): nothing was changed');
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/warning: input refused|\{"code"/);
  });

  it("prints the input's warnings (ignored columns)", async (context) => {
    const { emulator, dir } = await setup(context);
    const [user] = emulator.users();
    const file = await writeCsv(dir, 'users.csv', `id,department\n${user!.id},HR\n`);
    const run = await runCli(['--file', file, '--api-url', emulator.url, '--report-dir', path.join(dir, 'out')], {
      env: credentialEnv(),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Note on the input: ignored column \(not id, username or email\): .*department/);
  });

  it('tells each retry of the token request and why', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 1)));
    // Nothing listens on port 1 of loopback: every connection is refused at once.
    const run = await runCli(
      ['--file', file, '--api-url', 'http://127.0.0.1:1', '--max-attempts', '3', '--report-dir', path.join(dir, 'out')],
      { env: credentialEnv() },
    );
    expect(run.stderr).toMatch(/retrying the token request 2\/3 in \d+ s: connection refused/);
    expect(run.stderr).toMatch(/retrying the token request 3\/3 in \d+ s: connection refused/);
  });

  it('over budget: names the setting that would allow the plan', async (context) => {
    const { emulator, dir } = await setup(context);
    const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, 3)));
    const run = await runCli(
      ['--file', file, '--api-url', emulator.url, '--max-deletions', '2', '--report-dir', path.join(dir, 'out')],
      { env: credentialEnv() },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/A live run would be refused: the plan deletes 3 users, more than the maximum of 2/);
    expect(run.stdout).toContain('It would need --max-deletions 3 (or fewer rows)');
  });
});
