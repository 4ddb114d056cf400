// An upload under dry-run/ or live/ that the product will not run (`Users.CSV`, `users.txt`) gets a short refused
// report instead of silence: report.json (status rejected, code not-a-csv-key) and status.json, in a reports/ folder
// like a run's. Nothing is read from the file and nothing is changed in OneLogin.
import { createHash } from 'node:crypto';
import type { S3EventRecord } from 'aws-lambda';
import type { JobError } from '../engine/job.ts';
import type { Mode } from '../engine/outcomes.ts';
import { emptyCounts } from '../engine/outcomes.ts';
import type { Clock, Logger, ObjectStore } from '../engine/ports.ts';
import { emptyApiCalls } from '../engine/ports.ts';
import type { ReportDocument } from '../engine/report-document.ts';
import { writeStatusDocument } from '../engine/status-document.ts';
import { putJson } from '../engine/store-json.ts';
import { INPUT_PREFIXES, INPUT_SUFFIX, REPORTS_PREFIX } from './handler-contract.ts';
import { decodeS3Key, s3Uri } from './job-naming.ts';

export const NOT_A_CSV_KEY = 'not-a-csv-key';

export interface RefusedUpload {
  jobId: string;
  mode: Mode;
  reportPrefix: string;
  error: JobError;
}

/** The refusal for an object-created key under an input prefix that does not end `.csv`; undefined for any other. */
export function refusedUploadFor(record: S3EventRecord): RefusedUpload | undefined {
  if (!record.eventName?.startsWith('ObjectCreated:')) return undefined;
  let key: string;
  try {
    key = decodeS3Key(record.s3.object.key);
  } catch {
    return undefined;
  }
  const mode = (Object.keys(INPUT_PREFIXES) as Mode[]).find((each) => key.startsWith(INPUT_PREFIXES[each]));
  // A folder marker (`live/`, `dry-run/2026/`) is how consoles create folders: not an upload to refuse.
  if (mode === undefined || key.endsWith(INPUT_SUFFIX) || key.endsWith('/')) return undefined;
  const identity = [record.s3.bucket.name, key, record.s3.object.versionId ?? '', record.s3.object.sequencer ?? ''];
  const jobId = `refused-${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 24)}`;
  const inner = key
    .slice(INPUT_PREFIXES[mode].length)
    .split('/')
    .filter((part) => part !== '' && part !== '.' && part !== '..');
  return {
    jobId,
    mode,
    reportPrefix: `${REPORTS_PREFIX}${mode}/${inner.join('/') || '_'}/${jobId}/`,
    error: { code: NOT_A_CSV_KEY, message: whyRefused(key, mode) },
  };
}

function whyRefused(key: string, mode: Mode): string {
  const name = key.split('/').pop() ?? key;
  const csvName = `${INPUT_PREFIXES[mode]}${key.slice(INPUT_PREFIXES[mode].length).replace(/\.[^./]*$/, '')}${INPUT_SUFFIX}`;
  const ending = /\.csv$/i.test(name)
    ? `it ends in '${name.slice(-4)}': S3 keys are case-sensitive and only keys ending in lower-case .csv are run`
    : 'only keys ending in .csv are run';
  return `${name} was not processed and nothing was changed: ${ending}. Upload it again as ${csvName}.`;
}

/** Writes the refused report and status; true when the record was such an upload (the caller then skips it). */
export async function reportRefusedUpload(
  record: S3EventRecord,
  storeFor: (bucket: string) => ObjectStore,
  clock: Clock,
  logger: Logger,
): Promise<boolean> {
  const refused = refusedUploadFor(record);
  if (refused === undefined) return false;
  const store = storeFor(record.s3.bucket.name);
  const at = new Date(clock.now()).toISOString();
  const source = s3Uri(record.s3.bucket.name, decodeS3Key(record.s3.object.key));
  await putJson(store, `${refused.reportPrefix}report.json`, refusedReport(refused, source, at));
  await writeStatusDocument(store, refused.reportPrefix, {
    jobId: refused.jobId,
    status: 'rejected',
    phase: 'done',
    rowsTotal: 0,
    rowsDone: 0,
    counts: emptyCounts(),
    apiCalls: 0,
    error: refused.error,
    updatedAt: at,
  });
  logger.warn('upload refused: not a .csv key', { code: NOT_A_CSV_KEY, source, reportPrefix: refused.reportPrefix });
  return true;
}

function refusedReport(refused: RefusedUpload, source: string, at: string): ReportDocument {
  return {
    schemaVersion: 1,
    job: { id: refused.jobId, mode: refused.mode, source, status: 'rejected', startedAt: at, finishedAt: at },
    error: refused.error,
    summary: { ...emptyCounts(), rows: 0, apiCalls: 0, apiCallsByKind: emptyApiCalls() },
    rows: [],
  };
}
