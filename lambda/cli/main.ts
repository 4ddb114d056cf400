// The onelogin-bulk-delete command (design §6): parse, check, run the engine against OneLogin, print a summary, exit 0/1/2/3.

import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalFileInput } from '../adapters/local-file-input.ts';
import { LocalFileStore } from '../adapters/local-file-store.ts';
import { OneLoginUserDirectory } from '../adapters/onelogin-user-directory.ts';
import type { EngineDeps, JobSpec, PlanSummary, StepResult } from '../engine/job.ts';
import { abortJob, runJobStep } from '../engine/job-runner.ts';
import type { Logger } from '../engine/ports.ts';
import { systemClock } from '../engine/ports.ts';
import type { ReportDocument } from '../engine/report-document.ts';
import { OneLoginClient } from '../onelogin/onelogin-client.ts';
import { OneLoginError } from '../onelogin/onelogin-errors.ts';
import { askYes } from './confirm.ts';
import type { DriveResult } from './drive-job.ts';
import { abortableSleep, driveJob } from './drive-job.ts';
import { EXIT, exitStatusFor } from './exit-status.ts';
import type { CliOptions, Env } from './parse-args.ts';
import { describeHost, parseCliArgs } from './parse-args.ts';
import type { ProgressDisplay } from './progress-display.ts';
import { formatCounts, PlainProgressLines, TerminalProgressBar } from './progress-display.ts';
import { parseProtectList } from './protect-list.ts';
import { createRedactor } from './redact.ts';
import { createReportFolder } from './report-folder.ts';
import { RoutingObjectStore } from './routing-object-store.ts';
import { formatSummary, reasonsByOutcome } from './summary.ts';
import { USAGE, USAGE_HINT } from './usage.ts';

type OutStream = NodeJS.WritableStream & { isTTY?: boolean };
type InStream = NodeJS.ReadableStream & { isTTY?: boolean };

/** Everything the command touches outside itself, so that tests can drive it in-process. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: Env;
  cwd: string;
  /** A terminal on both ends: progress bar and confirmation prompt. */
  interactive: boolean;
  /** Calls handler on Ctrl-C; returns a function that stops listening. */
  onInterrupt(handler: () => void): () => void;
  /** Quits at once (second Ctrl-C). */
  forceExit(code: number): void;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    interactive: process.stdout.isTTY === true && process.stdin.isTTY === true,
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
    forceExit(code) {
      process.exit(code);
    },
  };
}

/** State kept away from the reports and deleted at the end: checkpoints, spooled chunks, status.json. */
const STATE_PREFIX = 'state/';
const STATUS_KEY = 'status.json';
const REPORT_FILE_NAMES = ['report.json', 'report.csv', 'report.html', 'retry.csv'];
const MAX_CLIENT_WAIT_MS = 30_000;

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const parsed = parseCliArgs(argv, io.env);
  const secrets = parsed.kind === 'run' ? [parsed.options.credentials.clientSecret] : secretsFromArgs(argv, io.env);
  const redact = createRedactor(secrets);
  const out = (text: string) => io.stdout.write(redact(text));
  const err = (text: string) => io.stderr.write(redact(text));

  switch (parsed.kind) {
    case 'help':
      out(USAGE);
      return EXIT.ok;
    case 'version':
      out(`${await readVersion()}\n`);
      return EXIT.ok;
    case 'error':
      for (const warning of parsed.warnings) err(`warning: ${warning}\n`);
      for (const error of parsed.errors) err(`error: ${error}\n`);
      err(`${USAGE_HINT}\n`);
      return EXIT.refused;
    case 'run':
      for (const warning of parsed.warnings) err(`warning: ${warning}\n`);
      try {
        return await run(parsed.options, io, out, err);
      } catch (error) {
        err(`error: ${describeError(error)}\n`);
        // Unexpected failure: for a live run some users may already be gone, so it counts as aborted part-way.
        return EXIT.aborted;
      }
  }
}

async function run(
  options: CliOptions,
  io: CliIo,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  const input = new LocalFileInput(path.resolve(io.cwd, options.file), options.file);
  try {
    await input.check();
  } catch (error) {
    err(`error: ${describeError(error)}\n${USAGE_HINT}\n`);
    return EXIT.refused;
  }

  const protect = [...options.protect];
  for (const file of options.protectFiles) {
    try {
      protect.push(...parseProtectList(await readFile(path.resolve(io.cwd, file), 'utf8'), file));
    } catch (error) {
      err(`error: --protect-file ${file}: ${describeError(error)}\n`);
      return EXIT.refused;
    }
  }

  let client: OneLoginClient;
  try {
    client = new OneLoginClient({
      ...options.host,
      credentials: options.credentials,
      // Long rate-limit waits come back to the driver as waitSeconds, where they are shown and Ctrl-C can cut them short.
      maxWaitMs: MAX_CLIENT_WAIT_MS,
      probeRateStatus: true,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.rateShare !== undefined ? { rateShare: options.rateShare } : {}),
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    });
  } catch (error) {
    if (!(error instanceof OneLoginError)) throw error;
    err(`error: ${options.hostSource}: ${error.message}\n${USAGE_HINT}\n`);
    return EXIT.refused;
  }

  const host = describeHost(options.host);
  const startedAt = new Date();
  let reportFolder: { dir: string; created: boolean };
  try {
    reportFolder = await createReportFolder({
      ...(options.reportDir !== undefined ? { reportDir: options.reportDir } : {}),
      cwd: io.cwd,
      startedAt,
      mode: options.mode,
      inputPath: options.file,
    });
  } catch (error) {
    await client.close();
    err(`error: cannot create the report folder: ${describeError(error)}\n`);
    return EXIT.refused;
  }
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'onelogin-bulk-delete-'));
  const stateStore = new LocalFileStore(stateDir);
  const store = new RoutingObjectStore(
    [
      { prefix: STATE_PREFIX, store: stateStore },
      { prefix: STATUS_KEY, store: stateStore },
    ],
    new LocalFileStore(reportFolder.dir),
  );

  const display: ProgressDisplay = io.interactive
    ? new TerminalProgressBar(io.stderr)
    : new PlainProgressLines(io.stderr);
  const directory = new OneLoginUserDirectory(client);
  const deps: EngineDeps = {
    store,
    input,
    directory,
    clock: systemClock,
    logger: cliLogger(display, createRedactor([options.credentials.clientSecret])),
    onProgress: (progress) => display.update(progress),
  };
  const spec: JobSpec = {
    id: `cli-${startedAt.toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomUUID().slice(0, 8)}`,
    mode: options.mode,
    source: options.file,
    options: {
      protect,
      maxPercent: options.maxPercent,
      ...(options.maxDeletions !== undefined ? { maxDeletions: options.maxDeletions } : {}),
    },
    reportPrefix: '',
    statePrefix: STATE_PREFIX,
  };

  const controller = new AbortController();
  let interrupts = 0;
  const stopListening = io.onInterrupt(() => {
    interrupts += 1;
    if (interrupts === 1) {
      display.log(
        options.mode === 'live'
          ? 'Stopping after the deletions in flight; the report will say how far the run got. (Ctrl-C again quits at once.)'
          : 'Stopping; the report will say how far the run got. (Ctrl-C again quits at once.)',
      );
      controller.abort();
    } else {
      display.stop();
      io.forceExit(EXIT.aborted);
    }
  });

  display.log(`${options.mode === 'live' ? 'Live run' : 'Dry run'} of ${options.file} on ${host}`);
  let outcome: DriveResult;
  try {
    outcome = await driveJob({
      runStep: runJobStep,
      spec,
      deps,
      signal: controller.signal,
      ...(options.mode === 'live'
        ? { beforeApply: (plan: PlanSummary) => approvePlan(plan, options, host, io, display, controller.signal) }
        : {}),
      onWait: (seconds) => display.log(`Waiting ${seconds} s for the OneLogin rate-limit window…`),
      sleep: abortableSleep,
    });
    if (outcome.kind === 'interrupted') outcome = { kind: 'finished', result: await finishAborted(spec, deps) };
  } finally {
    display.stop();
    stopListening();
    await client.close();
    await rm(stateDir, { recursive: true, force: true });
  }

  if (outcome.kind === 'declined') {
    if (reportFolder.created) await removeIfEmpty(reportFolder.dir);
    out(
      `Nothing was deleted: the plan (${outcome.plan.toDelete} users to delete from ${host}) was not confirmed.\n` +
        `Run with --dry-run for a report of what would be deleted.\n`,
    );
    return EXIT.refused;
  }

  const result = outcome.result;
  const reportFiles = await listReportFiles(reportFolder.dir);
  const report = await readReport(reportFolder.dir);
  out(
    formatSummary({
      mode: options.mode,
      status: result.status,
      source: options.file,
      host,
      counts: result.progress.counts,
      rows: report?.summary.rows ?? result.progress.rowsTotal,
      ...(report ? { reasons: reasonsByOutcome(report.rows) } : {}),
      apiCalls: directory.callCounts(),
      ...(result.error ? { error: result.error } : {}),
      reportFiles,
    }),
  );
  if (options.reportDir === undefined) out(`Report folder: ${reportFolder.dir}\n`);
  return exitStatusFor(result.status, result.progress.counts);
}

async function approvePlan(
  plan: PlanSummary,
  options: CliOptions,
  host: string,
  io: CliIo,
  display: ProgressDisplay,
  signal: AbortSignal,
): Promise<boolean> {
  const others = { ...plan.counts, deleted: 0, 'would-delete': 0 };
  const othersText = Object.values(others).some((count) => count > 0)
    ? `; the other rows: ${formatCounts(others)}`
    : '';
  display.log(
    `Plan: ${plan.toDelete} of ${plan.rows} rows to delete from ${host} (${plan.accountUsers} users in the account)${othersText}`,
  );
  if (plan.toDelete === 0 || options.yes || !io.interactive) return true;
  display.stop();
  const agreed = await askYes(
    `Delete ${plan.toDelete} users from ${host}? This cannot be undone. Type yes to go on: `,
    io.stdin,
    io.stderr,
    signal,
  );
  if (!agreed) io.stderr.write('Not confirmed.\n');
  return agreed;
}

/** The engine stopped on the signal before writing its report: have it write the aborted report. */
function finishAborted(spec: JobSpec, deps: EngineDeps): Promise<StepResult> {
  return abortJob(spec, deps, { code: 'interrupted', message: 'interrupted from the command line (Ctrl-C)' });
}

function cliLogger(display: ProgressDisplay, redact: (text: string) => string): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) =>
    display.log(
      redact(`${level}: ${message}${fields && Object.keys(fields).length > 0 ? ` ${safeJson(fields)}` : ''}`),
    );
  return {
    debug() {},
    info() {},
    warn: (message, fields) => line('warning', message, fields),
    error: (message, fields) => line('error', message, fields),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '';
  }
}

async function listReportFiles(dir: string): Promise<string[]> {
  const present = new Set(await readdir(dir).catch(() => [] as string[]));
  return REPORT_FILE_NAMES.filter((name) => present.has(name)).map((name) => path.join(dir, name));
}

async function readReport(dir: string): Promise<ReportDocument | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'report.json'), 'utf8')) as ReportDocument;
  } catch {
    return undefined;
  }
}

async function removeIfEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch(() => undefined);
}

async function readVersion(): Promise<string> {
  const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: string;
  };
  return packageJson.version ?? 'unknown';
}

/** Secrets to hide even when the arguments did not parse (a secret may sit next to a typo). */
function secretsFromArgs(argv: readonly string[], env: Env): string[] {
  const secrets: string[] = [];
  argv.forEach((arg, index) => {
    if (arg === '--client-secret' && argv[index + 1] !== undefined) secrets.push(argv[index + 1] as string);
    else if (arg.startsWith('--client-secret=')) secrets.push(arg.slice('--client-secret='.length));
    else if (arg.toLowerCase().startsWith('client_secret=')) secrets.push(arg.slice('client_secret='.length));
  });
  if (env.ONELOGIN_CLIENT_SECRET) secrets.push(env.ONELOGIN_CLIENT_SECRET);
  return secrets;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
