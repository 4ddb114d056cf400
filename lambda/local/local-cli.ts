// Talks S3 to a running `npm start -- serve`: upload a CSV (its event then fires in the serving process), list and read reports.
//   npm run local -- upload users.csv [--live | --suspend] [--no-wait] [--principal NAME] [--account NAME]
//   npm run local -- upload snapshot.jsonl [--live] …  (a restore: dry run, or with --live under restore/)
//   npm run local -- reports [--keys [prefix]]
//   npm run local -- cat <key>
// Paths are the caller's: npm runs scripts in the project root and keeps the caller's folder in INIT_CWD.
import './local-environment.ts';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportDocument } from '../engine/report-document.ts';
import { REPORTS_PREFIX } from '../handlers/handler-contract.ts';
import { LOCAL_BUCKET, servePorts } from './demo-settings.ts';
import { exitStatusOfReport, jobLines } from './job-listing.ts';
import { listKeys, localS3Client, putObject, readText } from './local-s3.ts';
import { callerDirectory } from './report-copies.ts';
import { digestReport, formatDigest } from './report-summary.ts';
import { uploadTargetFor } from './upload-key.ts';

const USAGE = `usage:
  npm run local -- upload <file.csv> [--live | --suspend] [--no-wait] [--principal NAME]
                                                            upload under dry-run/ (or live/, suspend/) and wait for
                                                            the report; a live or suspend upload needs a dry run of
                                                            the same file first; --principal names the uploader
                                                            (requireSecondApprover)
  npm run local -- upload <file> … --account NAME              under the account's folder (<prefix>/NAME/<file>), for
                                                            \`npm start -- serve --accounts\` (accounts prod, sandbox)
  npm run local -- upload <snapshot.jsonl> [--live] [--no-wait]
                                                            a restore: under dry-run/ (try it), with --live under
                                                            restore/ (after a dry run of the same file)
  npm run local -- reports                                  one line per job, newest first
  npm run local -- reports --keys [prefix]                  the report objects (default prefix ${REPORTS_PREFIX})
  npm run local -- cat <key>                                print an object
Talks to the local S3 of \`npm start -- serve\` at LOCAL_S3_ENDPOINT (default http://127.0.0.1:${servePorts().s3}, or LOCAL_S3_PORT).`;

const endpoint = process.env.LOCAL_S3_ENDPOINT ?? `http://127.0.0.1:${servePorts().s3}`;
const bucket = process.env.LOCAL_S3_BUCKET ?? LOCAL_BUCKET;
const client = localS3Client(endpoint);
const print = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface UploadRequest {
  file: string;
  live: boolean;
  suspend: boolean;
  wait: boolean;
  timeoutMs: number;
  principal?: string;
  account?: string;
}

async function upload({ file, live, suspend, wait, timeoutMs, principal, account }: UploadRequest): Promise<number> {
  const { key, reportFolder, contentType } = uploadTargetFor(path.basename(file), { live, suspend }, account);
  const earlier = new Set(await listKeys(client, bucket, reportFolder));
  await putObject(client, bucket, key, await readFile(path.resolve(callerDirectory(), file)), contentType, principal);
  print(`uploaded ${file} → s3://${bucket}/${key}`);
  if (!wait) return 0;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const report = (await listKeys(client, bucket, reportFolder)).find(
      (candidate) => candidate.endsWith('/report.json') && !earlier.has(candidate),
    );
    if (report) {
      const text = await readText(client, bucket, report);
      for (const line of formatDigest(digestReport(text))) print(line);
      print(`report: ${report}`);
      print(`        ${report.replace(/report\.json$/, 'report.csv')}`);
      return exitStatusOfReport(JSON.parse(text) as ReportDocument);
    }
    await sleep(500);
  }
  print(
    `no report yet under ${reportFolder}; a long run waits for the rate limit. Check later with: reports ${reportFolder}`,
  );
  return 0;
}

async function listedJobs(): Promise<Array<{ key: string; report: ReportDocument }>> {
  const keys = (await listKeys(client, bucket, REPORTS_PREFIX)).filter((key) => key.endsWith('/report.json'));
  return Promise.all(
    keys.map(async (key) => ({ key, report: JSON.parse(await readText(client, bucket, key)) as ReportDocument })),
  );
}

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const principalOption = optionValue(rest, '--principal');
  const accountOption = optionValue(principalOption.rest, '--account');
  const principal = principalOption.value;
  const account = accountOption.value;
  const others = accountOption.rest;
  const flags = new Set(others.filter((arg) => arg.startsWith('--')));
  const positional = others.filter((arg) => !arg.startsWith('--'));
  switch (command) {
    case 'upload': {
      const file = positional[0];
      if (!file) break;
      if (principalOption.missing || accountOption.missing) break;
      return upload({
        file,
        live: flags.has('--live'),
        suspend: flags.has('--suspend'),
        wait: !flags.has('--no-wait'),
        timeoutMs: Number(process.env.LOCAL_WAIT_MS ?? 600_000),
        ...(principal === undefined ? {} : { principal }),
        ...(account === undefined ? {} : { account }),
      });
    }
    case 'reports':
      if (flags.has('--keys')) {
        for (const key of await listKeys(client, bucket, positional[0] ?? REPORTS_PREFIX)) print(key);
        return 0;
      }
      for (const line of jobLines(await listedJobs())) print(line);
      return 0;
    case 'cat': {
      const key = positional[0];
      if (!key) break;
      process.stdout.write(await readText(client, bucket, key));
      return 0;
    }
    default:
      break;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

/** `--flag VALUE` taken out of args; `missing` when the flag is there without a value. */
function optionValue(args: string[], flag: string): { value?: string; rest: string[]; missing: boolean } {
  const at = args.indexOf(flag);
  if (at < 0) return { rest: args, missing: false };
  const value = args[at + 1];
  const rest = [...args.slice(0, at), ...args.slice(at + 2)];
  if (value === undefined || value.startsWith('--')) return { rest, missing: true };
  return { value, rest, missing: false };
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const name = (error as { name?: unknown }).name;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    name === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)
      ? `nothing answers at ${endpoint}: start it with \`npm start -- serve\`\n`
      : `local-cli: ${message}\n`,
  );
  process.exitCode = 1;
} finally {
  client.destroy();
}
