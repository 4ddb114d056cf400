// What a run needs before the engine starts: the checked input file, the protect list, the OneLogin client, the stores.
// Each refusal is printed here and returned as the exit status, before anything has changed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalFileInput } from '../adapters/local-file-input.ts';
import { LocalFileStore } from '../adapters/local-file-store.ts';
import type { ProtectInput } from '../engine/protect-rules.ts';
import { ProtectValueError, readProtectValues } from '../engine/protect-rules.ts';
import { OneLoginClient } from '../onelogin/onelogin-client.ts';
import { OneLoginError } from '../onelogin/onelogin-errors.ts';
import { describeError } from './cli-io.ts';
import { EXIT } from './exit-status.ts';
import type { CliOptions } from './parse-args.ts';
import { parseProtectList } from './protect-list.ts';
import { createReportFolder } from './report-folder.ts';
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
}

export interface RunStores {
  store: RoutingObjectStore;
  reportFolder: { dir: string; created: boolean };
  removeState(): Promise<void>;
}

type Print = (text: string) => void;

export async function prepareInputs(options: CliOptions, cwd: string, err: Print): Promise<RunInputs | number> {
  const input = new LocalFileInput(path.resolve(cwd, options.file), options.file);
  try {
    await input.check();
  } catch (error) {
    err(`error: ${describeError(error)}\n${USAGE_HINT}\n`);
    return EXIT.refused;
  }
  const protect = await readProtectInputs(options, cwd, err);
  if (typeof protect === 'number') return protect;
  try {
    return { input, protect, client: createClient(options) };
  } catch (error) {
    if (!(error instanceof OneLoginError)) throw error;
    err(`error: ${options.hostSource}: ${error.message}\n${USAGE_HINT}\n`);
    return EXIT.refused;
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

function createClient(options: CliOptions): OneLoginClient {
  return new OneLoginClient({
    ...options.host,
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
      inputPath: options.file,
    });
  } catch (error) {
    err(`error: cannot create the report folder: ${describeError(error)}\n`);
    return undefined;
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
  return { store, reportFolder, removeState: () => rm(stateDir, { recursive: true, force: true }) };
}
