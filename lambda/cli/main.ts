// The onelogin-bulk-delete command (docs/cli.md): parse, check, run the engine against OneLogin, print a summary, exit 0/1/2/3.
import { readFile } from 'node:fs/promises';
import { OneLoginUserDirectory } from '../adapters/onelogin-user-directory.ts';
import { accountLabel } from './account-label.ts';
import { wordsFor } from './action-words.ts';
import type { CliIo } from './cli-io.ts';
import { describeError, processIo } from './cli-io.ts';
import { buildJob } from './cli-job.ts';
import type { Env } from './cli-option-spec.ts';
import { EXIT } from './exit-status.ts';
import type { EndedRun } from './interruptible-run.ts';
import { runWithInterrupts } from './interruptible-run.ts';
import type { CliOptions } from './parse-args.ts';
import { describeHost, parseCliArgs } from './parse-args.ts';
import { printOutcome } from './print-outcome.ts';
import { applyProfile } from './profile-loading.ts';
import type { ProgressDisplay } from './progress-display.ts';
import { PlainProgressLines, TerminalProgressBar } from './progress-display.ts';
import { createRedactor } from './redact.ts';
import { openStores, prepareInputs } from './run-dependencies.ts';
import { RunStop } from './run-stop.ts';
import { USAGE, USAGE_HINT } from './usage.ts';
import { WaitNotices } from './wait-notices.ts';

export type { CliIo } from './cli-io.ts';
export { processIo } from './cli-io.ts';

type Print = (text: string) => void;

export async function main(givenArgv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const applied = await applyProfile(givenArgv, io.env, io.cwd);
  if ('error' in applied) {
    io.stderr.write(createRedactor(secretsFromArgs(givenArgv, io.env))(`error: ${applied.error}\n${USAGE_HINT}\n`));
    return EXIT.refused;
  }
  const { argv, env } = applied;
  const parsed = parseCliArgs(argv, env);
  const secrets = parsed.kind === 'run' ? [parsed.options.credentials.clientSecret] : secretsFromArgs(argv, env);
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

/** Dependencies, job, the run itself (Ctrl-C aware), then the summary; every refusal before the run exits 2. */
async function run(options: CliOptions, io: CliIo, out: Print, err: Print): Promise<number> {
  if (options.mode === 'live' && !options.yes && !io.stdinIsTerminal) {
    err(needsYes(options));
    return EXIT.refused;
  }
  const stop = new RunStop();
  const waits = new WaitNotices();
  const inputs = await prepareInputs(options, io.cwd, err, stop.signal, waits.observe);
  if (typeof inputs === 'number') return inputs;
  const startedAt = new Date();
  const stores = await openStores(options, io.cwd, startedAt, err);
  if (stores === undefined) {
    await inputs.client.close();
    return EXIT.refused;
  }
  const display: ProgressDisplay = io.stderrIsTerminal
    ? new TerminalProgressBar(io.stderr)
    : new PlainProgressLines(io.stderr);
  waits.showOn((line) => display.log(line));
  const directory = new OneLoginUserDirectory(inputs.client);
  const { spec, deps } = buildJob({ ...inputs, options, startedAt, store: stores.store, directory, display });
  const host = accountLabel(options, describeHost(options.host));
  const approval = { accountId: async () => (await directory.account()).accountId, reportDir: stores.reportFolder.dir };
  let outcome: EndedRun | undefined;
  try {
    outcome = await runWithInterrupts({ spec, deps, store: stores.store, options, host, io, display, stop, approval });
  } finally {
    // After a hurried stop a call may still be on the wire: closing would wait for it.
    if (!outcome?.hurried) await inputs.client.close();
    await stores.removeState();
  }
  const code = await printOutcome(
    outcome,
    { options, host, reportFolder: stores.reportFolder, directory, cwd: io.cwd },
    out,
  );
  if (outcome.hurried) io.forceExit(code);
  return code;
}

function needsYes(options: Pick<CliOptions, 'action'>): string {
  return (
    'error: a live run asks for a typed "yes" on a terminal, and standard input is not a terminal: ' +
    `add --yes (old form: yes=true) to ${wordsFor(options.action).verb} without asking. Nothing was changed.\n`
  );
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
