// Pure rules that turn an S3 object into a job: key decoding, mode, job id, report and state prefixes.
import { createHash } from 'node:crypto';
import type { Mode } from '../engine/outcomes.ts';
import { REPORTS_PREFIX, SNAPSHOTS_PREFIX, STATE_PREFIX } from './handler-contract.ts';
import type { UploadKind } from './upload-kinds.ts';
import { INPUT_FOLDERS, innerNameOf, uploadKindOf } from './upload-kinds.ts';

/** S3 event keys are form-URL-encoded: `+` is a space, `%2B` a plus. Throws URIError on a malformed escape. */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/** The inverse of decodeS3Key, as real S3 encodes keys in events (for local bridges that receive raw keys). */
export function encodeS3Key(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

/** The mode a key triggers, or undefined when the key is not an input file (upload-kinds.ts). */
export function modeOfKey(key: string): Mode | undefined {
  return uploadKindOf(key)?.mode;
}

export interface S3ObjectRef {
  bucket: string;
  /** Decoded key. */
  key: string;
  versionId?: string;
  /** Fallback identity of an unversioned object: the same PUT always carries the same eTag and sequencer. */
  eTag?: string;
  sequencer?: string;
}

const NAME_LIMIT = 30;
const HASH_HEX = 24;

/**
 * A deterministic Step Functions execution name (≤ 80 chars of [A-Za-z0-9_-]): the same object version gives the same id,
 * so a duplicate S3 event cannot start a second run. `<mode>-<readable name ≤30>-<sha256 hex 24>`.
 */
export function jobIdFor(ref: S3ObjectRef): string {
  const kind = uploadKindOf(ref.key);
  if (kind === undefined) throw new Error(NOT_AN_INPUT_KEY);
  const identity =
    ref.versionId !== undefined && ref.versionId !== '' && ref.versionId !== 'null'
      ? ['version', ref.bucket, ref.key, ref.versionId]
      : ['etag', ref.bucket, ref.key, (ref.eTag ?? '').replace(/"/g, ''), ref.sequencer ?? ''];
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, HASH_HEX);
  return `${kind.folder}-${readableName(innerNameOf(ref.key, kind))}-${hash}`;
}

const NOT_AN_INPUT_KEY =
  'not an input key: expected dry-run/, live/ or suspend/ … .csv, or restore/ or dry-run/ … .jsonl';

function readableName(inner: string): string {
  const base = inner.split('/').pop() ?? '';
  const safe = base
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_LIMIT)
    .replace(/-+$/, '');
  return safe === '' ? 'file' : safe;
}

/** `reports/<folder>/<name>/<jobId>/`; empty, `.` and `..` segments cannot move it out of its folder. */
export function reportPrefixFor(key: string, jobId: string): string {
  return `${reportFolderFor(key)}${jobId}/`;
}

/** `reports/<folder>/<key without its folder and ending>/`: the folder holding every run of that file name. */
export function reportFolderFor(key: string): string {
  return `${REPORTS_PREFIX}${kindFolderPath(key)}`;
}

/** `snapshots/<folder>/<name>/<jobId>/`: where a live run's snapshot.jsonl goes (docs/s3-layout.md). */
export function snapshotPrefixFor(key: string, jobId: string): string {
  return `${SNAPSHOTS_PREFIX}${kindFolderPath(key)}${jobId}/`;
}

/** `<folder>/<safe segments of the name>/`. */
function kindFolderPath(key: string): string {
  const kind = requireKind(key);
  const segments = innerNameOf(key, kind)
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (segment === '.' || segment === '..' ? '_' : segment));
  if (segments.length === 0) segments.push('_');
  return `${kind.folder}/${segments.join('/')}/`;
}

function requireKind(key: string): UploadKind {
  const kind = uploadKindOf(key);
  if (kind === undefined) throw new Error(NOT_AN_INPUT_KEY);
  return kind;
}

/**
 * The dry-run upload a live key is reviewed through, with the same name and ending: `live/a/b.csv` and
 * `suspend/a/b.csv` → `dry-run/a/b.csv`, `restore/a/b.jsonl` → `dry-run/a/b.jsonl`.
 */
export function dryRunKeyFor(liveKey: string): string {
  const kind = requireKind(liveKey);
  return `${INPUT_FOLDERS['dry-run']}${liveKey.slice(INPUT_FOLDERS[kind.folder].length)}`;
}

export function statePrefixFor(jobId: string): string {
  return `${STATE_PREFIX}${jobId}/`;
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
