// Pure rules that turn an S3 object into a job: key decoding, mode, job id, report and state prefixes.
import { createHash } from 'node:crypto';
import type { Mode } from '../engine/outcomes.ts';
import { INPUT_PREFIXES, INPUT_SUFFIX, REPORTS_PREFIX, STATE_PREFIX } from './handler-contract.ts';

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

/** The mode a key triggers, or undefined when the key is not an input file (wrong prefix or not `.csv`). */
export function modeOfKey(key: string): Mode | undefined {
  if (!key.endsWith(INPUT_SUFFIX)) return undefined;
  for (const mode of Object.keys(INPUT_PREFIXES) as Mode[]) {
    if (key.startsWith(INPUT_PREFIXES[mode])) return mode;
  }
  return undefined;
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
  const mode = modeOfKey(ref.key);
  if (mode === undefined) throw new Error('not an input key: expected dry-run/… or live/… ending .csv');
  const identity =
    ref.versionId !== undefined && ref.versionId !== '' && ref.versionId !== 'null'
      ? ['version', ref.bucket, ref.key, ref.versionId]
      : ['etag', ref.bucket, ref.key, (ref.eTag ?? '').replace(/"/g, ''), ref.sequencer ?? ''];
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, HASH_HEX);
  return `${mode}-${readableName(ref.key)}-${hash}`;
}

function readableName(key: string): string {
  const base = (key.split('/').pop() ?? '').slice(0, -INPUT_SUFFIX.length);
  const safe = base
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, NAME_LIMIT)
    .replace(/-+$/, '');
  return safe === '' ? 'file' : safe;
}

/** `reports/<mode>/<key without mode prefix and .csv>/<jobId>/`; empty, `.` and `..` segments cannot move it out of its folder. */
export function reportPrefixFor(key: string, jobId: string): string {
  return `${reportFolderFor(key)}${jobId}/`;
}

/** `reports/<mode>/<key without mode prefix and .csv>/`: the folder holding every run of that file name. */
export function reportFolderFor(key: string, mode: Mode | undefined = modeOfKey(key)): string {
  const keyMode = modeOfKey(key);
  if (keyMode === undefined || mode === undefined) {
    throw new Error('not an input key: expected dry-run/… or live/… ending .csv');
  }
  const inner = key.slice(INPUT_PREFIXES[keyMode].length, key.length - INPUT_SUFFIX.length);
  const segments = inner
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (segment === '.' || segment === '..' ? '_' : segment));
  if (segments.length === 0) segments.push('_');
  return `${REPORTS_PREFIX}${mode}/${segments.join('/')}/`;
}

/** The dry-run upload a live key is reviewed through: `live/a/b.csv` → `dry-run/a/b.csv`. */
export function dryRunKeyFor(liveKey: string): string {
  return `${INPUT_PREFIXES['dry-run']}${liveKey.slice(INPUT_PREFIXES.live.length)}`;
}

export function statePrefixFor(jobId: string): string {
  return `${STATE_PREFIX}${jobId}/`;
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
