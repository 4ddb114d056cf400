// The CLI process against servers that do what OneLogin's OpenAPI document allows: a refused `limit` > 100, every
// route answering 404 "No Route Exists", a 3-second 429 burst with quota left. No false claim, no needless wait.
import path from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import {
  credentialEnv,
  csvOf,
  makeTempDir,
  outcomesOf,
  readReport,
  removeDir,
  runCli,
  startEmulator,
  writeCsv,
} from '../cli/cli-harness.ts';
import { startRecordingProxy } from '../hardening/recording-proxy.ts';

async function setup(
  context: TestContext,
  options: Partial<EmulatorOptions>,
): Promise<{ emulator: OneLoginEmulator; dir: string }> {
  const emulator = await startEmulator({ tenant: { seed: 17, count: 60, directoryShare: 0 }, ...options });
  const dir = await makeTempDir();
  context.onTestFinished(async () => {
    await emulator.close();
    await removeDir(dir);
  });
  return { emulator, dir };
}

async function liveRun(emulator: OneLoginEmulator, dir: string, rows: number, apiUrl = emulator.url) {
  const file = await writeCsv(dir, 'users.csv', csvOf(emulator.users().slice(0, rows)));
  const reportDir = path.join(dir, 'out');
  const started = Date.now();
  const run = await runCli(['--file', file, '--live', '--yes', '--api-url', apiUrl, '--report-dir', reportDir], {
    env: credentialEnv(),
  });
  return { run, reportDir, seconds: (Date.now() - started) / 1000 };
}

describe.concurrent('the CLI against what the OpenAPI document allows', () => {
  it('a server that refuses limit > 100: the run completes, every user deleted once', async (context) => {
    const { emulator, dir } = await setup(context, { limitRefusal: { above: 100, status: 422 } });
    const { run, reportDir } = await liveRun(emulator, dir, 4);
    expect(run.code).toBe(0);
    expect(outcomesOf(await readReport(reportDir))).toEqual(['deleted', 'deleted', 'deleted', 'deleted']);
    expect(emulator.stats().deletions).toHaveLength(4);
  });

  it('a server whose every route answers 404 "No Route Exists": no row claimed already-absent', async (context) => {
    const { emulator, dir } = await setup(context, { noRoute: 'resources' });
    const { run, reportDir } = await liveRun(emulator, dir, 4);
    expect(run.code).not.toBe(0);
    const outcomes = outcomesOf(await readReport(reportDir));
    expect(outcomes).toHaveLength(4);
    expect(outcomes).not.toContain('already-absent');
    expect(outcomes).not.toContain('deleted');
    expect(emulator.users()).toHaveLength(60);
    expect(`${run.stdout}${run.stderr}`).toMatch(/No Route Exists|no-route/);
  });

  it('DELETEs answered 404 with a body that names no user, users still there: stopped, nothing claimed', async (context) => {
    const { emulator, dir } = await setup(context, {});
    const proxy = await startRecordingProxy(emulator.url);
    context.onTestFinished(() => proxy.close());
    // The listing works; every DELETE gets a 404 whose body is not OneLogin's NotFoundError.
    proxy.answerInstead = (request) => (request.method === 'DELETE' ? 404 : undefined);
    const { run, reportDir } = await liveRun(emulator, dir, 4, proxy.url);
    expect(run.code).not.toBe(0);
    const outcomes = outcomesOf(await readReport(reportDir));
    expect(outcomes).toHaveLength(4);
    expect(outcomes).not.toContain('already-absent');
    expect(outcomes).not.toContain('deleted');
    expect(emulator.users()).toHaveLength(60);
    // Each 404 was checked with a user_ids lookup before anything was claimed.
    const lookups = proxy.requests.filter((request) => request.target.includes('user_ids='));
    expect(lookups.length).toBeGreaterThan(1);
  });

  it('a 3-second 429 burst with quota left costs seconds, not the window', async (context) => {
    const { emulator, dir } = await setup(context, {
      rateLimit: { limit: 5000, windowSeconds: 3600 },
      rateLimitBurst: { afterCalls: 3, seconds: 3 },
    });
    const { run, reportDir, seconds } = await liveRun(emulator, dir, 3);
    expect(run.code).toBe(0);
    expect(outcomesOf(await readReport(reportDir))).toEqual(['deleted', 'deleted', 'deleted']);
    expect(emulator.stats().rateLimited).toBeGreaterThan(0);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/Waiting \d{3,} s/);
    // The burst lasts 3 s; backoff of 1 s, 2 s (and at worst 4 s) covers it, plus the process's own start-up.
    expect(seconds).toBeLessThan(20);
  });
});
