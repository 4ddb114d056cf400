// What a run needs before the engine starts: the checked input file, the protect list, the OneLogin client, the stores.
// Each refusal is printed here and returned as the exit status, before anything has changed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalFileInput } from '../adapters/local-file-input.ts';
import { LocalFileStore } from '../adapters/local-file-store.ts';
import type { PlanDocument } from '../engine/plan/plan-document.ts';
import { parsePlan } from '../engine/plan/plan-document.ts';
import type { ProtectInput } from '../engine/protect-rules.ts';
import { ProtectValueError, readProtectValues } from '../engine/protect-rules.ts';
import type { ClientWait } from '../onelogin/client-types.ts';
import { OneLoginClient } from '../onelogin/onelogin-client.ts';
import { OneLoginError } from '../onelogin/onelogin-errors.ts';
import { describeError } from './cli-io.ts';
import { EXIT } from './exit-status.ts';
import { HandOverStore } from './hand-over-store.ts';
import { OwnFilesStore } from './own-files-store.ts';
import type { CliOptions } from './parse-args.ts';
import { parseProtectList } from './protect-list.ts';
import { createReportFolder, ReportFolderNotEmptyError } from './report-folder.ts';
import { RoutingObjectStore } from './routing-object-store.ts';
import { USAGE_HINT } from './usage.ts';

/** State kept away from the reports and deleted at the end: checkpoints, spooled chunks, status.json. */
export const STATE_PREFIX = 'state/';
const STATUS_KEY = 'status.json';
const MAX_CLIENT_WAIT_MS = 30_000;

export interface RunInputs {
  input: LocalFileInput;
  protect: ProtectInput[];
  client: OneLoginClient;
  /** --plan: the reviewed dry run's plan this live run executes. */
  plan?: PlanDocument;
}

export interface RunStores {
  /** State in a temporary folder, reports in the report folder (only files of this run are written or deleted). */
  store: HandOverStore;
  reportFolder: { dir: string; created: boolean };
  removeState(): Promise<void>;
}

type Print = (text: string) => void;

export async function prepareInputs(
  options: CliOptions,
  cwd: string,
  err: Print,
  stopSignal: AbortSignal,
  onWait?: (wait: ClientWait) => void,
): Promise<RunInputs | number> {
  const input = new LocalFileInput(path.resolve(cwd, options.file), options.file);
  try {
    await input.check();
  } catch (error) {
    err(`error: ${describeError(error)}\n${USAGE_HINT}\n`);
    return EXIT.refused;
  }
  const protect = await readProtectInputs(options, cwd, err);
  if (typeof protect === 'number') return protect;
  const plan = options.planFile === undefined ? undefined : await readPlan(path.resolve(cwd, options.planFile));
  if (typeof plan === 'string') {
    err(`error: --plan ${options.planFile}: ${plan}\n`);
    return EXIT.refused;
  }
  try {
    return {
      input,
      protect,
      client: createClient(options, stopSignal, onWait),
      ...(plan !== undefined ? { plan } : {}),
    };
  } catch (error) {
    if (!(error instanceof OneLoginError)) throw error;
    err(`error: ${options.hostSource}: ${error.message}\n${USAGE_HINT}\n`);
    return EXIT.refused;
  }
}

/** The plan, or what is wrong with the file. */
async function readPlan(file: string): Promise<PlanDocument | string> {
  try {
    return parsePlan(await readFile(file, 'utf8'));
  } catch (error) {
    return describeError(error);
  }
}

/** --protect and --protect-file values, each checked before any call: one that cannot be an identifier refuses the run. */
async function readProtectInputs(options: CliOptions, cwd: string, err: Print): Promise<ProtectInput[] | number> {
  const protect: ProtectInput[] = [...options.protect];
  for (const file of options.protectFiles) {
    try {
      protect.push(...parseProtectList(await readFile(path.resolve(cwd, file), 'utf8'), file));
    } catch (error) {
      err(`error: --protect-file ${file}: ${describeError(error)}\n`);
      return EXIT.refused;
    }
  }
  try {
    readProtectValues(protect);
  } catch (error) {
    if (!(error instanceof ProtectValueError)) throw error;
    const lines = error.problems.map((problem) => `  protect value ${problem}\n`).join('');
    err(`error: protect values refused (nothing was looked up or changed):\n${lines}${USAGE_HINT}\n`);
    return EXIT.refused;
  }
  return protect;
}

function createClient(
  options: CliOptions,
  stopSignal: AbortSignal,
  onWait: ((wait: ClientWait) => void) | undefined,
): OneLoginClient {
  return new OneLoginClient({
    ...options.host,
    // From Ctrl-C / SIGTERM on, calls waiting in the pacer or a retry are abandoned and no DELETE is sent.
    stopSignal,
    ...(onWait ? { onWait } : {}),
    credentials: options.credentials,
    // Long rate-limit waits come back to the driver as waitSeconds, where they are shown and Ctrl-C can cut them short.
    waitDeadline: () => Date.now() + MAX_CLIENT_WAIT_MS,
    probeRateStatus: true,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.rateShare !== undefined ? { rateShare: options.rateShare } : {}),
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
  });
}

/** The report folder for people, a temporary folder for the engine's state; undefined when the report folder is refused. */
export async function openStores(
  options: CliOptions,
  cwd: string,
  startedAt: Date,
  err: Print,
): Promise<RunStores | undefined> {
  let reportFolder: RunStores['reportFolder'];
  try {
    reportFolder = await createReportFolder({
      ...(options.reportDir !== undefined ? { reportDir: options.reportDir } : {}),
      cwd,
      startedAt,
      mode: options.mode,
      action: options.action,
      inputPath: options.file,
    });
  } catch (error) {
    if (error instanceof ReportFolderNotEmptyError) err(`error: ${error.message}\n`);
    else err(`error: cannot create the report folder: ${describeError(error)}\n`);
    return undefined;
  }
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'onelogin-bulk-delete-'));
  const stateStore = new LocalFileStore(stateDir);
  const routes = [
    { prefix: STATE_PREFIX, store: stateStore },
    { prefix: STATUS_KEY, store: stateStore },
  ];
  const store = new HandOverStore(
    new RoutingObjectStore(routes, new OwnFilesStore(new LocalFileStore(reportFolder.dir))),
  );
  return { store, reportFolder, removeState: () => rm(stateDir, { recursive: true, force: true }) };
}
