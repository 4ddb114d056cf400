// The state machine's payload: checking it on the way in, and turning it into the engine's JobSpec.
import type { JobOptions, JobSpec } from '../engine/job.ts';
import type { JobInput } from './handler-contract.ts';
import { REPORTS_PREFIX } from './handler-contract.ts';
import { s3Uri, snapshotPrefixFor, statePrefixFor } from './job-naming.ts';
import { uploadKindOf, writesSnapshot } from './upload-kinds.ts';

const JOB_ID = /^[A-Za-z0-9_-]{1,80}$/;

export class InvalidJobInputError extends Error {
  override readonly name = 'InvalidJobInputError';
}

/**
 * Picks the JobInput fields out of a payload (a JobInput, a StepOutput or a Catch payload) and checks them,
 * so that a hand-started execution cannot point the engine at a prefix outside reports/ and state/.
 */
export function parseJobInput(payload: unknown): JobInput {
  if (typeof payload !== 'object' || payload === null) throw new InvalidJobInputError('job input must be an object');
  const fields = payload as Record<string, unknown>;
  const text = (name: string): string => {
    const value = fields[name];
    if (typeof value !== 'string' || value === '') throw new InvalidJobInputError(`job input has no ${name}`);
    return value;
  };
  const jobId = text('jobId');
  const bucket = text('bucket');
  const key = text('key');
  const mode = text('mode');
  const reportPrefix = text('reportPrefix');
  const statePrefix = text('statePrefix');
  if (!JOB_ID.test(jobId)) throw new InvalidJobInputError('job input jobId is not a valid execution name');
  if (mode !== 'dry-run' && mode !== 'live') throw new InvalidJobInputError('job input mode must be dry-run or live');
  // The key decides what runs: a payload whose mode or action disagrees with it is refused, never trusted.
  const kind = uploadKindOf(key);
  if (kind === undefined || kind.mode !== mode) throw new InvalidJobInputError('job input key does not match its mode');
  const action = fields.action ?? 'delete';
  if (action !== kind.action) throw new InvalidJobInputError('job input action does not match its key');
  if (
    !reportPrefix.startsWith(`${REPORTS_PREFIX}${kind.folder}/`) ||
    !reportPrefix.endsWith(`/${jobId}/`) ||
    reportPrefix.split('/').includes('..')
  ) {
    throw new InvalidJobInputError('job input reportPrefix is not under reports/<folder>/…/<jobId>/');
  }
  if (statePrefix !== statePrefixFor(jobId))
    throw new InvalidJobInputError('job input statePrefix must be state/<jobId>/');
  const input: JobInput = { jobId, bucket, key, mode, reportPrefix, statePrefix };
  if (kind.action !== 'delete') input.action = kind.action;
  const versionId = fields.versionId;
  if (typeof versionId === 'string' && versionId !== '') input.versionId = versionId;
  const principalId = fields.principalId;
  if (typeof principalId === 'string' && principalId !== '') input.principalId = principalId;
  return input;
}

/** The engine's job for a checked payload; a live delete or suspend writes its snapshot under snapshots/ (docs/s3-layout.md). */
export function jobSpecFor(job: JobInput, options: JobOptions): JobSpec {
  const action = job.action ?? 'delete';
  return {
    id: job.jobId,
    mode: job.mode,
    action,
    source: s3Uri(job.bucket, job.key),
    options: { ...options, protect: [...options.protect] },
    reportPrefix: job.reportPrefix,
    ...(writesSnapshot({ mode: job.mode, action }) ? { snapshotPrefix: snapshotPrefixFor(job.key, job.jobId) } : {}),
    statePrefix: job.statePrefix,
  };
}
