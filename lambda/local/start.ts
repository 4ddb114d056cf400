// `npm start`: the sample file through the local S3-triggered pipeline, dry run then live, with a summary of each run
// and where its reports are. `npm start -- serve`: keep the local S3 and the OneLogin emulator running for your own files.
import './local-environment.ts';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { createConsoleLogger } from './console-logger.ts';
import { DEMO_SAMPLE_PATH } from './demo-sample.ts';
import { DEMO_CREDENTIALS, DEMO_RATE_LIMIT, SERVE_DATA_DIRECTORY, servePorts } from './demo-settings.ts';
import { DEMO_USER_COUNT } from './demo-tenant.ts';
import type { LocalPipeline } from './local-pipeline.ts';
import { startLocalPipeline } from './local-pipeline.ts';
import type { ExecutionRecord } from './local-step-functions.ts';
import { DEMO_ACCOUNTS, demoAccountOptions } from './pipeline-accounts.ts';
import { firstTakenPort } from './port-check.ts';
import { PROJECT_ROOT, reportCopiesDirectory as reportCopiesPath, reportCopyPath } from './report-copies.ts';
import { digestReport, formatDigest } from './report-summary.ts';

const projectRoot = PROJECT_ROOT;
/** Plain copies of the reports, for people to open; s3rver's own files carry a suffix. */
const reportCopiesDirectory = reportCopiesPath();
const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

function describeExecution(message: string, execution: ExecutionRecord): void {
  if (message.startsWith('waiting')) print(`  … ${execution.input.mode} run ${message} (rate-limit window)`);
  else if (message === 'failed') print(`  ! ${execution.input.mode} run failed: ${execution.error ?? 'unknown error'}`);
}

async function showRun(pipeline: LocalPipeline, execution: ExecutionRecord): Promise<boolean> {
  const keys = await pipeline.listReports(execution.input.reportPrefix);
  const reportJson = keys.find((key) => key.endsWith('/report.json'));
  if (!reportJson) {
    print(
      `  no report.json under s3://${pipeline.bucket}/${execution.input.reportPrefix} (execution ${execution.status}${execution.error ? `: ${execution.error}` : ''})`,
    );
    return false;
  }
  const digest = digestReport(await pipeline.readObject(reportJson));
  for (const line of formatDigest(digest)) print(`  ${line}`);
  print('  reports:');
  for (const key of keys.filter((name) => /\/(report\.json|report\.csv|retry\.csv)$/.test(name))) {
    const copy = reportCopyPath(key);
    await mkdir(path.dirname(copy), { recursive: true });
    await copyFile(pipeline.localPathOf(key), copy);
    print(`    s3://${pipeline.bucket}/${key}`);
    print(`      → ${path.relative(process.cwd(), copy) || copy}`);
  }
  return execution.status === 'SUCCEEDED' && digest.status === 'completed';
}

async function runDemo(): Promise<number> {
  const sample = await readFile(path.join(projectRoot, DEMO_SAMPLE_PATH));
  print(
    `Starting the local pipeline: s3rver + OneLogin emulator (${DEMO_USER_COUNT} demo users, ${DEMO_RATE_LIMIT.limit} calls per ${DEMO_RATE_LIMIT.windowSeconds} s)…`,
  );
  const pipeline = await startLocalPipeline({ logger: createConsoleLogger('warn'), onExecution: describeExecution });
  let ok = true;
  try {
    print(`S3 endpoint ${pipeline.s3Endpoint}, bucket ${pipeline.bucket}; OneLogin emulator ${pipeline.emulator.url}`);
    for (const mode of ['dry-run', 'live'] as const) {
      const key = `${mode}/demo-users.csv`;
      const before = pipeline.emulator.users().length;
      print();
      print(`Uploading ${DEMO_SAMPLE_PATH} to s3://${pipeline.bucket}/${key}`);
      await pipeline.upload(key, sample);
      const execution = await pipeline.waitForKey(key);
      ok = (await showRun(pipeline, execution)) && ok;
      print(`  users in the emulator: ${before} before, ${pipeline.emulator.users().length} after`);
    }
  } finally {
    await pipeline.close();
  }
  print();
  print(
    `Done. Report copies are under ${path.relative(process.cwd(), reportCopiesDirectory) || reportCopiesDirectory}/. To try your own files: npm start -- serve`,
  );
  return ok ? 0 : 1;
}

/** One line instead of a stack trace when another process (often an earlier `serve`) holds a port. */
function portTakenMessage(port: number): string {
  return `cannot serve: port ${port} is already in use (another \`npm start -- serve\`?). Stop it, or choose other ports: LOCAL_S3_PORT=4579 LOCAL_EMULATOR_PORT=4580 npm start -- serve (npm run local reads the same LOCAL_S3_PORT).`;
}

async function serve(withAccounts: boolean): Promise<void> {
  const directory = path.join(projectRoot, SERVE_DATA_DIRECTORY);
  const ports = servePorts();
  const pipeline = await startLocalPipeline({
    port: ports.s3,
    directory,
    ...(withAccounts
      ? { accounts: demoAccountOptions(ports.emulator) }
      : { emulatorOptions: { port: ports.emulator } }),
    logger: createConsoleLogger('info'),
    onExecution: (message, execution) => {
      describeExecution(message, execution);
      if (message === 'succeeded' || message === 'aborted') {
        print(`${execution.input.mode} run of ${execution.input.key} ${message}:`);
        void showRun(pipeline, execution).catch((error: unknown) =>
          print(`  could not read its report: ${String(error)}`),
        );
      }
    },
  });
  const cli = 'npm run local --';
  print('The local pipeline is running (Ctrl-C stops it).');
  print(
    `  S3 (s3rver)        ${pipeline.s3Endpoint}  bucket ${pipeline.bucket}, data in ${path.relative(process.cwd(), directory) || directory}/`,
  );
  if (withAccounts) printAccounts(pipeline, cli);
  else {
    print(
      `  OneLogin emulator  ${pipeline.emulator.url}  ${DEMO_USER_COUNT} demo users (fresh at every start), client id ${DEMO_CREDENTIALS.clientId}`,
    );
  }
  print('From another terminal:');
  print(`  ${cli} upload ${DEMO_SAMPLE_PATH}           # dry run: what would happen`);
  print(`  ${cli} upload ${DEMO_SAMPLE_PATH} --live    # deletes the listed users in the emulator`);
  print(`  ${cli} reports                                  # list report objects`);
  print(`  ${cli} cat <key>                                # print one`);
  const shutdown = (): void => {
    print('Stopping (running executions end with an aborted report)…');
    pipeline.close().then(
      () => process.exit(0),
      (error: unknown) => {
        print(`close failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** `serve --accounts`: two emulated accounts, each with its own emulator, secret and account id (docs/accounts.md). */
function printAccounts(pipeline: LocalPipeline, cli: string): void {
  for (const [name, emulator] of Object.entries(pipeline.accountEmulators)) {
    const accountId = DEMO_ACCOUNTS[name as keyof typeof DEMO_ACCOUNTS]?.accountId;
    print(
      `  account ${name.padEnd(8)}  ${emulator.url}  ${emulator.users().length} users, account id ${accountId}; upload with --account ${name}`,
    );
  }
  print(`  e.g. ${cli} upload ${DEMO_SAMPLE_PATH} --account prod    # → dry-run/prod/…; other folders are refused`);
}

const command = process.argv[2];
if (command === 'serve') {
  const withAccounts = process.argv.includes('--accounts');
  const ports = servePorts();
  const taken = await firstTakenPort(
    withAccounts ? [ports.s3, ports.emulator, ports.emulator + 1] : [ports.s3, ports.emulator],
  );
  if (taken === undefined) {
    await serve(withAccounts);
  } else {
    process.stderr.write(`${portTakenMessage(taken)}\n`);
    process.exitCode = 2;
  }
} else if (command === undefined || command === 'demo') {
  process.exitCode = await runDemo();
} else {
  process.stderr.write('usage: npm start [-- serve [--accounts]]\n');
  process.exitCode = 2;
}
