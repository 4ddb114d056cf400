// An upload under an input folder that the product will not run (`Users.CSV`, `users.txt`, a snapshot under live/, a
// CSV under restore/) gets a short refused report instead of silence: report.json (status rejected, code
// not-a-csv-key or not-a-snapshot-key) and status.json, in a reports/ folder like a run's. Nothing is read from the
// file and nothing is changed in OneLogin.
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
import { REPORTS_PREFIX } from './handler-contract.ts';
import { decodeS3Key, s3Uri } from './job-naming.ts';
import type { InputFolder } from './upload-kinds.ts';
import { CSV_SUFFIX, INPUT_FOLDERS, inputFolderOf, SNAPSHOT_SUFFIX, suffixesOf, uploadKindOf } from './upload-kinds.ts';

/** A key under dry-run/, live/ or suspend/ that ends neither as its folder takes (.csv; dry-run/ also .jsonl). */
export const NOT_A_CSV_KEY = 'not-a-csv-key';
/** A key under restore/ that does not end .jsonl: only a snapshot (or a subset of its lines) is restored. */
export const NOT_A_SNAPSHOT_KEY = 'not-a-snapshot-key';

export interface RefusedUpload {
  jobId: string;
  mode: Mode;
  reportPrefix: string;
  error: JobError;
}

/** The refusal for an object-created key under an input folder that does not run; undefined for any other. */
export function refusedUploadFor(record: S3EventRecord): RefusedUpload | undefined {
  if (!record.eventName?.startsWith('ObjectCreated:')) return undefined;
  let key: string;
  try {
    key = decodeS3Key(record.s3.object.key);
  } catch {
    return undefined;
  }
  const folder = inputFolderOf(key);
  // A folder marker (`live/`, `dry-run/2026/`) is how consoles create folders: not an upload to refuse.
  if (folder === undefined || uploadKindOf(key) !== undefined || key.endsWith('/')) return undefined;
  const identity = [record.s3.bucket.name, key, record.s3.object.versionId ?? '', record.s3.object.sequencer ?? ''];
  const jobId = `refused-${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 24)}`;
  const inner = key
    .slice(INPUT_FOLDERS[folder].length)
    .split('/')
    .filter((part) => part !== '' && part !== '.' && part !== '..');
  return {
    jobId,
    mode: folder === 'dry-run' ? 'dry-run' : 'live',
    reportPrefix: `${REPORTS_PREFIX}${folder}/${inner.join('/') || '_'}/${jobId}/`,
    error: { code: folder === 'restore' ? NOT_A_SNAPSHOT_KEY : NOT_A_CSV_KEY, message: whyRefused(key, folder) },
  };
}

function whyRefused(key: string, folder: InputFolder): string {
  const name = key.split('/').pop() ?? key;
  const stem = key.slice(INPUT_FOLDERS[folder].length).replace(/\.[^./]*$/, '');
  const mainSuffix = folder === 'restore' ? SNAPSHOT_SUFFIX : CSV_SUFFIX;
  const caseOnly = suffixesOf(folder).find((each) => name.toLowerCase().endsWith(each));
  const ending = caseOnly
    ? `it ends in '${name.slice(-caseOnly.length)}': S3 keys are case-sensitive and only keys ending in lower-case ${caseOnly} are run`
    : `only keys ending in ${mainSuffix} are run`;
  return `${name} was not processed and nothing was changed: ${ending}. ${whereInstead(folder, stem, caseOnly ?? mainSuffix, name)}`;
}

function whereInstead(folder: InputFolder, stem: string, suffix: string, name: string): string {
  const restoreKey = `${INPUT_FOLDERS.restore}${stem}${SNAPSHOT_SUFFIX}`;
  if (folder !== 'restore' && name.endsWith(SNAPSHOT_SUFFIX)) {
    return `A snapshot is restored from ${restoreKey} (try it first as ${INPUT_FOLDERS['dry-run']}${stem}${SNAPSHOT_SUFFIX}).`;
  }
  if (folder === 'restore' && name.endsWith(CSV_SUFFIX)) {
    return `A CSV of users goes under ${INPUT_FOLDERS['dry-run']}, ${INPUT_FOLDERS.live} or ${INPUT_FOLDERS.suspend}; a restore takes a snapshot.jsonl (or some of its lines) as ${restoreKey}.`;
  }
  const again = `Upload it again as ${INPUT_FOLDERS[folder]}${stem}${suffix}`;
  if (folder === 'dry-run' && suffix === CSV_SUFFIX) {
    return `${again} (or, to try a restore of a snapshot, as ${INPUT_FOLDERS['dry-run']}${stem}${SNAPSHOT_SUFFIX}).`;
  }
  return `${again}.`;
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
  const source = s3Uri(record.s3.bucket.name, decodeS3Key(record.s3.object.key));
  await writeRefusedReport(storeFor(record.s3.bucket.name), refused, source, clock);
  logger.warn('upload refused: not an input key', {
    code: refused.error.code,
    source,
    reportPrefix: refused.reportPrefix,
  });
  return true;
}

/** report.json (rejected, zero rows, zero calls) and status.json of an upload that does not run. */
export async function writeRefusedReport(
  store: ObjectStore,
  refused: RefusedUpload,
  source: string,
  clock: Clock,
): Promise<void> {
  const at = new Date(clock.now()).toISOString();
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
