// The local CLI against a running local pipeline (as `npm start -- serve` runs it): upload, list, read.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { startLocalPipeline } from '../../lambda/local/local-pipeline.ts';
import { ensureDryRunPlan } from '../handlers/plan-fixture.ts';
import { csvOf, deletedIds, pipelineFiles } from './pipeline-fixtures.ts';
import { runTsx } from './run-command.ts';

const CLI = 'lambda/local/local-cli.ts';

describe('local CLI', () => {
  let pipeline: LocalPipeline;
  let folder: string;

  beforeAll(async () => {
    pipeline = await startLocalPipeline({ timeScale: 10 });
    folder = await mkdtemp(path.join(tmpdir(), 'onelogin-local-cli-'));
  });
  afterAll(async () => {
    await pipeline?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('upload --live starts a run in the serving process, waits for it and prints its summary; reports and cat read it back', async () => {
    const env = { LOCAL_S3_ENDPOINT: pipeline.s3Endpoint };
    const users = pipeline.emulator.users().slice(0, 2);
    const file = path.join(folder, 'two leavers.csv');
    await writeFile(
      file,
      csvOf(
        'id',
        users.map((user) => String(user.id)),
      ),
    );

    // Review first: the same file under dry-run/, then live/ (requireReviewedPlan, the stack's default).
    const dryRun = await runTsx(
      CLI,
      ['upload', file, '--principal', 'reviewer'],
      { ...env, LOCAL_WAIT_MS: '30000' },
      40_000,
    );
    expect(dryRun.stdout).toMatch(/dry-run run completed|would-delete 2/);
    const dryExecution = await pipeline.waitForKey('dry-run/two leavers.csv');
    await ensureDryRunPlan(pipelineFiles(pipeline), dryExecution.input.reportPrefix, await readFile(file, 'utf8'));
    const upload = await runTsx(CLI, ['upload', file, '--live'], { ...env, LOCAL_WAIT_MS: '30000' }, 40_000);
    expect(upload.code).toBe(0);
    expect(upload.stdout).toContain(`→ s3://${pipeline.bucket}/live/two leavers.csv`);
    expect(upload.stdout).toMatch(/live run completed: 2 rows — deleted 2/);
    expect(deletedIds(pipeline)).toEqual(users.map((user) => user.id).sort((a, b) => a - b));

    const reportKey = /^report: (\S.*report\.json)$/m.exec(upload.stdout)?.[1];
    expect(reportKey?.startsWith('reports/live/two leavers/')).toBe(true);
    const listing = await runTsx(CLI, ['reports', '--keys', 'reports/live/'], env, 20_000);
    expect(listing.stdout.split('\n')).toContain(reportKey);
    const jobs = await runTsx(CLI, ['reports'], { ...env, LOCAL_REPORTS_DIR: path.join(folder, 'copies') }, 20_000);
    const jobLine = jobs.stdout.split('\n').find((line) => line.includes('two leavers.csv'));
    expect(jobLine).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}live {5}two leavers\.csv {2}completed {2}deleted 2 {2}\S/,
    );
    expect(jobLine).toContain(path.join('copies', 'live', 'two leavers'));
    const shown = await runTsx(CLI, ['cat', reportKey!], env, 20_000);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      job: { mode: 'live', status: 'completed' },
      summary: { deleted: 2 },
    });
  });

  it('resolves the file against the caller folder (INIT_CWD) and exits 2 when the upload is refused as a whole', async () => {
    const env = { LOCAL_S3_ENDPOINT: pipeline.s3Endpoint, LOCAL_WAIT_MS: '30000', INIT_CWD: folder };
    await writeFile(path.join(folder, 'no-columns.csv'), 'name,department\nAda,HR\n');
    const upload = await runTsx(CLI, ['upload', 'no-columns.csv'], env, 40_000);
    expect(upload.stdout).toContain(`→ s3://${pipeline.bucket}/dry-run/no-columns.csv`);
    expect(upload.stdout).toMatch(/dry run rejected: 0 rows/);
    expect(upload.code).toBe(2);
    const jobs = await runTsx(CLI, ['reports'], env, 20_000);
    const lines = jobs.stdout.trim().split('\n');
    // Newest first: the refused upload was the last job.
    expect(lines[0]).toMatch(/ dry-run {2}no-columns\.csv {2}rejected {2}no outcomes yet /);
  });

  it('says how to start the server when nothing answers, and shows usage for a bad command', async () => {
    const [refused, usage] = await Promise.all([
      runTsx(CLI, ['reports'], { LOCAL_S3_ENDPOINT: 'http://127.0.0.1:1' }, 20_000),
      runTsx(CLI, ['frobnicate'], {}, 20_000),
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('npm start -- serve');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage:');
    expect(usage.stderr).toContain('npm run local -- upload <file.csv>');
  });
});
