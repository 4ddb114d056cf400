// The CLI side of issue 11: --suspend, --restore, --only-suspended and --snapshot parse into one action and its options,
// contradictory combinations are refused, the engine's JobSpec carries them, and the console speaks of the action.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { approvePlan } from '../../lambda/cli/approve-plan.ts';
import type { CliIo } from '../../lambda/cli/cli-io.ts';
import type { CliJobParts } from '../../lambda/cli/cli-job.ts';
import { buildJob } from '../../lambda/cli/cli-job.ts';
import { planNextSteps, undoNextSteps } from '../../lambda/cli/next-command.ts';
import { nextStepLines } from '../../lambda/cli/next-step.ts';
import type { CliOptions, Env, ParseOutcome } from '../../lambda/cli/parse-args.ts';
import { parseCliArgs } from '../../lambda/cli/parse-args.ts';
import type { ProgressDisplay } from '../../lambda/cli/progress-display.ts';
import { defaultReportFolderName } from '../../lambda/cli/report-folder.ts';
import { formatSummary } from '../../lambda/cli/summary.ts';
import { USAGE } from '../../lambda/cli/usage.ts';
import { emptyCounts } from '../../lambda/engine/outcomes.ts';
import { emptyApiCalls } from '../../lambda/engine/ports.ts';

const ENV: Env = { ONELOGIN_CLIENT_ID: 'id', ONELOGIN_CLIENT_SECRET: 'secret', ONELOGIN_SUBDOMAIN: 'acme' };

function run(argv: string[]): CliOptions {
  const outcome = parseCliArgs(argv, ENV);
  if (outcome.kind !== 'run') throw new Error(`expected run, got ${JSON.stringify(outcome)}`);
  return outcome.options;
}

function errors(argv: string[]): string[] {
  const outcome: ParseOutcome = parseCliArgs(argv, ENV);
  if (outcome.kind !== 'error') throw new Error(`expected error, got ${outcome.kind}`);
  return outcome.errors;
}

describe('parsing the action', () => {
  it('deletes by default, with no undo options set', () => {
    expect(run(['--file', 'u.csv'])).toMatchObject({ action: 'delete', onlySuspended: false, mode: 'dry-run' });
    expect(run(['--file', 'u.csv'])).not.toHaveProperty('snapshot');
  });

  it('--suspend goes with --file; a dry run unless --live', () => {
    expect(run(['--file', 'u.csv', '--suspend'])).toMatchObject({ action: 'suspend', file: 'u.csv', mode: 'dry-run' });
    expect(run(['--file', 'u.csv', '--suspend', '--live', '--snapshot', 'BASIC'])).toMatchObject({
      action: 'suspend',
      mode: 'live',
      snapshot: 'basic',
    });
  });

  it('--restore SNAPSHOT takes the place of --file; a dry run unless --live', () => {
    expect(run(['--restore', 'reports/x/snapshot.jsonl'])).toMatchObject({
      action: 'restore',
      file: 'reports/x/snapshot.jsonl',
      mode: 'dry-run',
    });
    expect(run(['--restore', 's.jsonl', '--live', '--yes'])).toMatchObject({ action: 'restore', mode: 'live' });
  });

  it('--only-suspended guards a deletion', () => {
    expect(run(['--file', 'u.csv', '--only-suspended', '--live'])).toMatchObject({
      action: 'delete',
      onlySuspended: true,
    });
  });

  it.each<[string[], RegExp]>([
    [['--file', 'u.csv', '--suspend', '--restore', 's.jsonl'], /--suspend and --restore were both given/],
    [['--restore', 's.jsonl', '--file', 'u.csv'], /--restore reads its snapshot instead of a CSV: leave out --file/],
    [['--restore', 's.jsonl', 'file=u.csv'], /leave out --file \(and file=\)/],
    [['--file', 'u.csv', '--suspend', '--only-suspended'], /--only-suspended .* cannot be given with --suspend/],
    [['--restore', 's.jsonl', '--only-suspended'], /--only-suspended .* cannot be given with --restore/],
    [['--restore', 's.jsonl', '--snapshot', 'basic'], /--snapshot .* a restore writes no snapshot/],
    [['--file', 'u.csv', '--snapshot', 'minimal'], /--snapshot must be full or basic, not 'minimal'/],
    [['--restore', ' '], /--restore needs the path of a snapshot\.jsonl/],
    [['--suspend'], /missing the CSV file: pass --file users\.csv \(or --restore snapshot\.jsonl/],
    [['--file', 'u.csv', '--suspend', '--suspend'], /--suspend was given more than once/],
    [['--restore', 's.jsonl', '--live', '--require-plan'], /--require-plan: a live run needs --plan FILE/],
  ])('%j is refused', (argv, message) => {
    expect(errors(argv).join('\n')).toMatch(message);
  });

  it('--snapshot on a dry run is accepted with a warning that it has no effect', () => {
    const outcome = parseCliArgs(['--file', 'u.csv', '--dry-run', '--snapshot', 'basic'], ENV);
    expect(outcome.kind === 'run' && outcome.warnings.join()).toMatch(/--snapshot has no effect on a dry run/);
  });

  it('the usage text documents every new flag', () => {
    for (const flag of ['--suspend', '--restore SNAPSHOT', '--only-suspended', '--snapshot full|basic']) {
      expect(USAGE).toContain(flag);
    }
  });
});

describe('the JobSpec the CLI hands the engine', () => {
  const parts = (options: CliOptions): CliJobParts =>
    ({
      options,
      protect: [],
      startedAt: new Date(Date.UTC(2026, 0, 2)),
      display: { log() {}, update() {}, stop() {} } as unknown as ProgressDisplay,
    }) as unknown as CliJobParts;

  it('carries the action and the undo options', () => {
    const suspend = buildJob(parts(run(['--file', 'u.csv', '--suspend', '--live', '--snapshot', 'basic']))).spec;
    expect(suspend).toMatchObject({ mode: 'live', action: 'suspend', source: 'u.csv', options: { snapshot: 'basic' } });
    expect(suspend.options).not.toHaveProperty('onlySuspended');
    const restore = buildJob(parts(run(['--restore', 's.jsonl', '--live']))).spec;
    expect(restore).toMatchObject({ mode: 'live', action: 'restore', source: 's.jsonl' });
    const guarded = buildJob(parts(run(['--file', 'u.csv', '--only-suspended', '--live']))).spec;
    expect(guarded).toMatchObject({ action: 'delete', options: { onlySuspended: true } });
    expect(guarded.options).not.toHaveProperty('snapshot');
  });
});

describe('what the console says', () => {
  const host = { subdomain: 'acme' };
  const cwd = '/work/here';

  it('the summary names a suspend or restore run; a deletion reads as before', () => {
    const base = {
      mode: 'live' as const,
      status: 'completed' as const,
      source: 'u.csv',
      host: 'acme',
      counts: { ...emptyCounts(), suspended: 2 },
      rows: 2,
      apiCalls: emptyApiCalls(),
      reportFiles: [],
    };
    expect(formatSummary(base).split('\n')[0]).toBe('Live run of u.csv on acme: completed');
    expect(formatSummary({ ...base, action: 'suspend' }).split('\n')[0]).toBe(
      'Live run (suspend) of u.csv on acme: completed',
    );
    expect(formatSummary({ ...base, action: 'suspend' })).toMatch(/suspended\s+2/);
  });

  it('after a dry run, the next command repeats the action and its options with --live --plan', () => {
    const plan = path.join(cwd, 'reports', 'r', 'plan.json');
    expect(planNextSteps({ file: 'u.csv', host, action: 'suspend' }, plan, cwd)).toContain(
      'then suspend exactly the users it lists',
    );
    expect(planNextSteps({ file: 'u.csv', host, action: 'suspend' }, plan, cwd)).toContain(
      'onelogin-bulk-delete --file u.csv --suspend --subdomain acme --live --plan reports/r/plan.json',
    );
    expect(planNextSteps({ file: 's.jsonl', host, action: 'restore' }, plan, cwd)).toContain(
      'onelogin-bulk-delete --restore s.jsonl --subdomain acme --live --plan reports/r/plan.json',
    );
    expect(
      planNextSteps({ file: 'u.csv', host, action: 'delete', onlySuspended: true, snapshot: 'basic' }, plan, cwd),
    ).toContain('--file u.csv --subdomain acme --only-suspended --snapshot basic --live --plan');
  });

  it('after a live delete or suspend, the undo names snapshot.jsonl and the exact --restore … --live command', () => {
    const snapshot = path.join(cwd, 'reports', 'my run', 'snapshot.jsonl');
    const text = undoNextSteps({ file: 'u.csv', host, expectedAccountId: 7, action: 'suspend' }, snapshot, cwd);
    expect(text).toContain('Snapshot: reports/my run/snapshot.jsonl');
    expect(text).toContain(
      "  onelogin-bulk-delete --restore 'reports/my run/snapshot.jsonl' --subdomain acme --account-id 7 --live\n",
    );
    expect(text).toMatch(/previous status/);
    expect(undoNextSteps({ file: 'u.csv', host }, snapshot, cwd)).toMatch(/creates them again, with new ids/);
  });

  it('the retry command keeps the action', () => {
    const input = {
      mode: 'live' as const,
      status: 'completed' as const,
      counts: emptyCounts(),
      host,
      planned: 0,
      accountUsers: 0,
      budget: { maxPercent: 10 },
    };
    expect(nextStepLines({ ...input, action: 'suspend', retryFile: 'r/retry.csv' }).join('\n')).toContain(
      'onelogin-bulk-delete --file r/retry.csv --suspend --live --subdomain acme',
    );
    expect(nextStepLines({ ...input, action: 'restore', retryFile: 'r/retry.jsonl' }).join('\n')).toContain(
      'onelogin-bulk-delete --restore r/retry.jsonl --live',
    );
  });

  it('the default report folder says the action', () => {
    const at = new Date(2026, 0, 2, 3, 4, 5);
    expect(defaultReportFolderName(at, 'live', 'users.csv')).toBe('20260102-030405-live-users');
    expect(defaultReportFolderName(at, 'live', 'users.csv', 'suspend')).toBe('20260102-030405-live-suspend-users');
    expect(defaultReportFolderName(at, 'dry-run', 'a/snapshot.jsonl', 'restore')).toBe(
      '20260102-030405-dry-run-restore-snapshot',
    );
  });

  it('the confirmation asks to suspend (not delete), and says what follows', async () => {
    let written = '';
    const io = {
      stdin: { on() {}, once() {}, removeListener() {}, pause() {}, resume() {} },
      stderr: { write: (text: string) => (written += text) },
    } as unknown as CliIo;
    const logged: string[] = [];
    const plan = {
      rows: 3,
      toDelete: 2,
      counts: { ...emptyCounts(), 'would-suspend': 2, 'not-found': 1 },
      accountUsers: 50,
    };
    const agreed = await approvePlan(plan, {
      yes: true,
      action: 'suspend',
      host: 'acme.onelogin.com',
      accountId: async () => 7,
      io,
      display: { log: (line: string) => logged.push(line), stop() {} } as unknown as ProgressDisplay,
      signal: new AbortController().signal,
      store: {} as never,
      statePrefix: 'state/',
      reportDir: '/nowhere',
    });
    expect(agreed).toBe(true);
    expect(logged[0]).toBe(
      'Plan: 2 of 3 rows to suspend in acme.onelogin.com (50 users in the account); the other rows: not-found 1',
    );
    expect(written).toBe('');
  });
});
