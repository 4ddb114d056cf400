// S3 ObjectCreated → one state machine execution per object version. A duplicate event cannot start a second run:
// the execution's name is the job id, derived from bucket + key + versionId.

import type { S3Event, S3EventRecord } from 'aws-lambda';
import type { Clock, Logger, ObjectStore } from '../engine/ports.ts';
import { systemClock } from '../engine/ports.ts';
import { type QueuedStatus, statusKey, writeStatusDocument } from '../engine/status-document.ts';
import { refusedForAccount } from './account-refusal.ts';
import type { JobInput } from './handler-contract.ts';
import type { OnUploadDeps } from './handler-types.ts';
import { decodeS3Key, jobIdFor, reportPrefixFor, s3Uri, statePrefixFor } from './job-naming.ts';
import { withFields } from './observability.ts';
import { reportRefusedUpload } from './refused-upload.ts';
import { uploadKindOf } from './upload-kinds.ts';

/** The job a record describes, or the reason it is skipped. */
export function jobInputForRecord(record: S3EventRecord): { job: JobInput } | { skip: string; key?: string } {
  if (!record.eventName.startsWith('ObjectCreated:')) return { skip: 'not an object-created event' };
  let key: string;
  try {
    key = decodeS3Key(record.s3.object.key);
  } catch {
    return { skip: 'key is not validly URL-encoded' };
  }
  const kind = uploadKindOf(key);
  if (kind === undefined) return { skip: 'key is not an input file (upload-kinds.ts)', key };
  const bucket = record.s3.bucket.name;
  const versionId = record.s3.object.versionId;
  const jobId = jobIdFor({
    bucket,
    key,
    ...(versionId === undefined ? {} : { versionId }),
    ...(record.s3.object.eTag === undefined ? {} : { eTag: record.s3.object.eTag }),
    ...(record.s3.object.sequencer === undefined ? {} : { sequencer: record.s3.object.sequencer }),
  });
  const job: JobInput = {
    jobId,
    bucket,
    key,
    mode: kind.mode,
    ...(kind.action === 'delete' ? {} : { action: kind.action }),
    reportPrefix: reportPrefixFor(key, jobId),
    statePrefix: statePrefixFor(jobId),
  };
  if (versionId !== undefined && versionId !== '' && versionId !== 'null') job.versionId = versionId;
  const principalId = record.userIdentity?.principalId;
  if (typeof principalId === 'string' && principalId !== '') job.principalId = principalId;
  return { job };
}

export function createOnUploadHandler(deps: OnUploadDeps): (event: S3Event) => Promise<void> {
  const clock = deps.clock ?? systemClock;
  return async (event) => {
    const failures: unknown[] = [];
    for (const record of event.Records ?? []) {
      const found = jobInputForRecord(record);
      if ('skip' in found) {
        if (await reportRefusedUpload(record, deps.storeFor, clock, deps.logger)) continue;
        deps.logger.info('ignored object', {
          bucket: record.s3?.bucket?.name,
          key: found.key ?? record.s3?.object?.key,
          reason: found.skip,
        });
        continue;
      }
      const job = found.job;
      if (await refusedForAccount(deps, job, clock)) continue;
      const log = withFields(deps.logger, {
        bucket: job.bucket,
        key: job.key,
        jobId: job.jobId,
        mode: job.mode,
        action: job.action ?? 'delete',
      });
      try {
        await writeQueuedStatus(deps.storeFor(job.bucket), job, clock, log);
        const started = await deps.startExecution(job);
        if (started === 'duplicate') log.info('duplicate event: the job was already started', { outcome: 'duplicate' });
        else log.info('job started', { outcome: 'started', reportPrefix: job.reportPrefix });
      } catch (error) {
        log.error('could not start the job', { error: errorSummary(error) });
        failures.push(error);
      }
    }
    // Throwing makes Lambda retry the event; records that did start are then seen as duplicates.
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `${failures.length} records could not be started`);
  };
}

/** Before the start, so the folder exists at once; never over a status a running or finished job has written. */
async function writeQueuedStatus(store: ObjectStore, job: JobInput, clock: Clock, log: Logger): Promise<void> {
  const key = statusKey(job.reportPrefix);
  const existing = await store.get(key);
  if (existing !== null) {
    await drain(existing);
    log.debug('status.json already exists: left as is');
    return;
  }
  const status: QueuedStatus = {
    jobId: job.jobId,
    status: 'queued',
    source: s3Uri(job.bucket, job.key),
    mode: job.mode,
    updatedAt: new Date(clock.now()).toISOString(),
  };
  await writeStatusDocument(store, job.reportPrefix, status);
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<void> {
  // Consuming the body releases the HTTP connection back to the pool.
  for await (const _chunk of stream) void _chunk;
}

export function errorSummary(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
