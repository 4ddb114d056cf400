// Unit tests of the CLI's small parts: store routing, protect files, report folders, summary, exit codes, redaction,
// progress output, the step driver and the local file input.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestContext } from 'vitest';
import { describe, expect, it } from 'vitest';
import { LocalFileInput } from '../../lambda/adapters/local-file-input.ts';
import { MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import type { RunStep } from '../../lambda/cli/drive-job.ts';
import { abortableSleep, driveJob } from '../../lambda/cli/drive-job.ts';
import { EXIT, exitStatusFor } from '../../lambda/cli/exit-status.ts';
import { formatEta, PlainProgressLines, RowRate } from '../../lambda/cli/progress-display.ts';
import { createRedactor } from '../../lambda/cli/redact.ts';
import { createReportFolder, defaultReportFolderName } from '../../lambda/cli/report-folder.ts';
import { RoutingObjectStore } from '../../lambda/cli/routing-object-store.ts';
import { formatSummary, reasonsByOutcome } from '../../lambda/cli/summary.ts';
import type { EngineDeps, JobSpec, PlanSummary, StepLimits, StepResult } from '../../lambda/engine/job.ts';
import { emptyCounts } from '../../lambda/engine/outcomes.ts';
import { emptyApiCalls } from '../../lambda/engine/ports.ts';
import { makeTempDir, removeDir } from './cli-harness.ts';

async function tempDir(context: TestContext): Promise<string> {
  const dir = await makeTempDir();
  context.onTestFinished(() => removeDir(dir));
  return dir;
}

async function textOf(body: AsyncIterable<Uint8Array> | null): Promise<string | null> {
  if (!body) return null;
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(Buffer.from(part));
  return Buffer.concat(parts).toString('utf8');
}

describe('RoutingObjectStore', () => {
  it('sends keys under a route prefix to that store and the rest to the fallback', async () => {
    const state = new MemoryObjectStore();
    const reports = new MemoryObjectStore();
    const store = new RoutingObjectStore(
      [
        { prefix: 'state/', store: state },
        { prefix: 'status.json', store: state },
      ],
      reports,
    );
    await store.put('state/checkpoint.json', '{}');
    await store.put('status.json', '{"phase":"resolve"}');
    await store.put('report.json', '{"rows":[]}');
    expect(state.keys()).toEqual(['state/checkpoint.json', 'status.json']);
    expect(reports.keys()).toEqual(['report.json']);
    expect(await textOf(await store.get('report.json'))).toBe('{"rows":[]}');
    expect(await textOf(await store.get('state/checkpoint.json'))).toBe('{}');
    await store.delete('state/checkpoint.json');
    expect(state.keys()).toEqual(['status.json']);
  });
});

describe('report folders', () => {
  it('names the default folder after the time, mode and input', () => {
    const at = new Date(2026, 10, 28, 9, 5, 7);
    expect(defaultReportFolderName(at, 'dry-run', '/data/Q4 leavers.CSV')).toBe('20261128-090507-dry-run-Q4_leavers');
    expect(defaultReportFolderName(at, 'live', '../..')).toBe('20261128-090507-live-input');
  });

  it('creates a fresh default folder per run, even twice in one second', async (context) => {
    const cwd = await tempDir(context);
    const options = { cwd, startedAt: new Date(2026, 0, 2, 3, 4, 5), mode: 'live' as const, inputPath: 'users.csv' };
    const first = await createReportFolder(options);
    const second = await createReportFolder(options);
    expect(first).toEqual({ dir: path.join(cwd, 'reports', '20260102-030405-live-users'), created: true });
    expect(second.dir).toBe(`${first.dir}-2`);
    expect(await readdir(path.join(cwd, 'reports'))).toHaveLength(2);
  });

  it('uses --report-dir as given, creating it when missing', async (context) => {
    const cwd = await tempDir(context);
    await mkdir(path.join(cwd, 'existing'));
    const existing = await createReportFolder({
      reportDir: 'existing',
      cwd,
      startedAt: new Date(),
      mode: 'dry-run',
      inputPath: 'u.csv',
    });
    expect(existing).toEqual({ dir: path.join(cwd, 'existing'), created: false });
    const fresh = await createReportFolder({
      reportDir: 'a/b',
      cwd,
      startedAt: new Date(),
      mode: 'dry-run',
      inputPath: 'u.csv',
    });
    expect(fresh).toEqual({ dir: path.join(cwd, 'a', 'b'), created: true });
    expect(existsSync(fresh.dir)).toBe(true);
  });
});

describe('exit status', () => {
  it('follows the contract', () => {
    const clean = emptyCounts();
    const withFailures = { ...emptyCounts(), deleted: 3, failed: 1 };
    expect(exitStatusFor('completed', clean)).toBe(EXIT.ok);
    expect(exitStatusFor('completed', withFailures)).toBe(1);
    expect(exitStatusFor('rejected', withFailures)).toBe(2);
    expect(exitStatusFor('aborted', clean)).toBe(3);
    expect([EXIT.ok, EXIT.someFailed, EXIT.refused, EXIT.aborted]).toEqual([0, 1, 2, 3]);
  });
});

describe('createRedactor', () => {
  it('hides every occurrence of every secret, longest first', () => {
    const redact = createRedactor(['abcd1234', 'abcd1234-long']);
    expect(redact('x abcd1234-long y abcd1234 z')).toBe('x [redacted] y [redacted] z');
  });

  it('leaves text alone without secrets and ignores trivially short ones', () => {
    expect(createRedactor([])('abc')).toBe('abc');
    expect(createRedactor(['a'])('a cat')).toBe('a cat');
  });
});

describe('formatSummary', () => {
  it('shows status, non-zero outcomes with reasons, API calls and report files', () => {
    const text = formatSummary({
      mode: 'live',
      status: 'completed',
      source: 'users.csv',
      host: 'acme.onelogin.com',
      counts: { ...emptyCounts(), deleted: 7, rejected: 3, failed: 1 },
      rows: 11,
      reasons: reasonsByOutcome([
        { outcome: 'rejected', reason: 'wildcard' },
        { outcome: 'rejected', reason: 'duplicate' },
        { outcome: 'rejected', reason: 'duplicate' },
        { outcome: 'failed', reason: 'http-500' },
        { outcome: 'deleted' },
      ]),
      apiCalls: { ...emptyApiCalls(), token: 1, list: 2, delete: 8 },
      reportFiles: ['/r/report.json', '/r/retry.csv'],
    });
    expect(text).toBe(
      [
        'Live run of users.csv on acme.onelogin.com: completed',
        '  rows                 11',
        '  deleted               7',
        '  rejected              3   (duplicate 2, wildcard 1)',
        '  failed                1   (http-500 1)',
        '  API calls            11   (token 1, list 2, delete 8)',
        'Report:',
        '  /r/report.json',
        '  /r/retry.csv',
        '',
      ].join('\n'),
    );
  });

  it('explains a refused run', () => {
    const text = formatSummary({
      mode: 'dry-run',
      status: 'rejected',
      source: 'u.csv',
      host: 'api.us.onelogin.com',
      counts: emptyCounts(),
      rows: 0,
      apiCalls: emptyApiCalls(),
      error: { code: 'no-identifier-column', message: 'the header has none of id, username, email' },
      reportFiles: [],
    });
    expect(text).toContain('Dry run of u.csv on api.us.onelogin.com: refused, nothing was changed');
    expect(text).toContain('  the header has none of id, username, email [no-identifier-column]');
  });
});

describe('progress output', () => {
  it('writes plain lines at most every interval, and at every phase change', () => {
    let now = 0;
    const lines: string[] = [];
    const plain = new PlainProgressLines({ write: (text: string) => lines.push(text) }, () => now, 5_000);
    const progress = (phase: 'resolve' | 'apply', rowsDone: number) => ({
      phase,
      rowsTotal: 10,
      rowsDone,
      counts: { ...emptyCounts(), deleted: rowsDone },
      apiCalls: 4,
    });
    plain.update(progress('resolve', 0));
    now = 1_000;
    plain.update(progress('resolve', 1));
    now = 2_000;
    plain.update(progress('apply', 2));
    now = 7_500;
    plain.update(progress('apply', 6));
    expect(lines).toEqual([
      '[00:00:00] Looking up: 0/10 rows done (no outcomes yet), 4 API calls\n',
      '[00:00:02] Deleting: 2/10 rows done (deleted 2), 4 API calls\n',
      '[00:00:07] Deleting: 6/10 rows done (deleted 6), 4 API calls\n',
    ]);
  });

  it('estimates the time left from the recent rate', () => {
    let now = 0;
    const rate = new RowRate(() => now, 60_000);
    expect(rate.etaSeconds(0, 100)).toBeUndefined();
    now = 10_000;
    expect(rate.etaSeconds(10, 100)).toBe(90);
    now = 20_000;
    expect(rate.etaSeconds(20, 100)).toBe(80);
    now = 200_000;
    // The old fast samples have left the window: the slow recent rate counts.
    expect(rate.etaSeconds(22, 100)).toBe(Math.ceil(78 / (2 / 180)));
    expect(rate.etaSeconds(100, 100)).toBe(0);
  });

  it('formats durations', () => {
    expect([formatEta(undefined), formatEta(42), formatEta(125), formatEta(3 * 3600 + 7 * 60)]).toEqual([
      '--',
      '42s',
      '2m05s',
      '3h07m',
    ]);
  });
});

describe('driveJob', () => {
  const spec = { id: 'j', mode: 'live' } as JobSpec;
  const deps = {} as EngineDeps;
  const plan: PlanSummary = { rows: 3, toDelete: 2, counts: emptyCounts(), accountUsers: 100 };
  const result = (overrides: Partial<StepResult>): StepResult => ({
    done: false,
    waitSeconds: 0,
    phase: 'resolve',
    status: 'running',
    progress: { phase: 'resolve', rowsTotal: 3, rowsDone: 0, counts: emptyCounts(), apiCalls: 0 },
    ...overrides,
  });

  function scriptedSteps(results: StepResult[]): { runStep: RunStep; calls: StepLimits[] } {
    const calls: StepLimits[] = [];
    return {
      calls,
      runStep: async (_spec, _deps, limits = {}) => {
        calls.push(limits);
        const next = results.shift();
        if (!next) throw new Error('no more steps');
        return next;
      },
    };
  }

  it('stops after the plan, asks, then runs on without stopping and waits when told to', async () => {
    const { runStep, calls } = scriptedSteps([
      result({ phase: 'apply', plan }),
      result({ phase: 'apply', plan, waitSeconds: 2 }),
      result({ done: true, phase: 'done', status: 'completed', plan }),
    ]);
    const asked: PlanSummary[] = [];
    const waits: number[] = [];
    const slept: number[] = [];
    const outcome = await driveJob({
      runStep,
      spec,
      deps,
      signal: new AbortController().signal,
      beforeApply: async (shown) => {
        asked.push(shown);
        return true;
      },
      onWait: (seconds) => waits.push(seconds),
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    expect(outcome.kind).toBe('finished');
    expect(asked).toEqual([plan]);
    expect(calls.map((limits) => limits.stopAfterPlan === true)).toEqual([true, false, false]);
    expect(waits).toEqual([2]);
    expect(slept).toEqual([2000]);
  });

  it('stops without running on when the plan is declined', async () => {
    const { runStep, calls } = scriptedSteps([result({ phase: 'apply', plan })]);
    const outcome = await driveJob({
      runStep,
      spec,
      deps,
      signal: new AbortController().signal,
      beforeApply: async () => false,
      sleep: async () => {},
    });
    expect(outcome).toMatchObject({ kind: 'declined', plan });
    expect(calls).toHaveLength(1);
  });

  it('keeps asking for the plan until the engine has made it', async () => {
    const { runStep, calls } = scriptedSteps([
      result({}),
      result({ phase: 'apply', plan }),
      result({ done: true, phase: 'done', status: 'completed' }),
    ]);
    let asked = 0;
    await driveJob({
      runStep,
      spec,
      deps,
      signal: new AbortController().signal,
      beforeApply: async () => ++asked > 0,
      sleep: async () => {},
    });
    expect(asked).toBe(1);
    expect(calls.map((limits) => limits.stopAfterPlan === true)).toEqual([true, true, false]);
  });

  it('reports an interruption when the engine returns unfinished after the signal', async () => {
    const controller = new AbortController();
    const { runStep, calls } = scriptedSteps([result({ phase: 'apply' })]);
    const runAndAbort: RunStep = async (...args) => {
      controller.abort();
      return runStep(...args);
    };
    const outcome = await driveJob({
      runStep: runAndAbort,
      spec,
      deps,
      signal: controller.signal,
      sleep: async () => {},
    });
    expect(outcome.kind).toBe('interrupted');
    expect(calls[0]?.signal).toBe(controller.signal);
  });

  it('stops waiting for the rate limit when interrupted, without another step', async () => {
    const controller = new AbortController();
    const { runStep, calls } = scriptedSteps([result({ phase: 'apply', waitSeconds: 3600 })]);
    const outcome = await driveJob({
      runStep,
      spec,
      deps,
      signal: controller.signal,
      sleep: (ms, signal) => {
        const sleeping = abortableSleep(ms, signal);
        controller.abort();
        return sleeping;
      },
    });
    expect(outcome.kind).toBe('interrupted');
    expect(calls).toHaveLength(1);
  });

  it('has a sleep that the signal cuts short', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});

describe('LocalFileInput', () => {
  it('opens the file as a byte stream, once per pass', async (context) => {
    const dir = await tempDir(context);
    const file = path.join(dir, 'u.csv');
    await writeFile(file, 'id\n1\n');
    const input = new LocalFileInput(file, 'u.csv');
    await input.check();
    expect(input.name).toBe('u.csv');
    for (let pass = 0; pass < 2; pass += 1) expect(await textOf(await input.open())).toBe('id\n1\n');
  });

  it('explains a missing path and a folder', async (context) => {
    const dir = await tempDir(context);
    await expect(new LocalFileInput(path.join(dir, 'none.csv')).check()).rejects.toThrow(/none\.csv: no such file/);
    await expect(new LocalFileInput(dir).check()).rejects.toThrow(/not a file/);
    await expect(new LocalFileInput(path.join(dir, 'none.csv')).open()).rejects.toThrow(/ENOENT/);
  });
});
