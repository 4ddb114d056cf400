import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startNamedExecution } from '../../lambda/adapters/aws-sfn-starter.ts';
import { S3ObjectStore } from '../../lambda/adapters/s3-object-store.ts';
import type { Logger } from '../../lambda/engine/ports.ts';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import type { RunStatus } from '../../lambda/engine/status-document.ts';
import type { JobInput } from '../../lambda/handlers/handler-contract.ts';
import { jobIdFor } from '../../lambda/handlers/job-naming.ts';
import { createOnUploadHandler } from '../../lambda/handlers/on-upload-handler.ts';
import type { MockBucket } from '../adapters/mock-s3-bucket.ts';
import { mockS3Bucket } from '../adapters/mock-s3-bucket.ts';

const BUCKET = 'upload-bucket';
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:jobs';

function s3Event(
  ...records: Array<{ key: string; versionId?: string; eventName?: string; eTag?: string; sequencer?: string }>
): S3Event {
  return {
    Records: records.map((record) => ({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2026-11-28T10:00:00.000Z',
      eventName: record.eventName ?? 'ObjectCreated:Put',
      userIdentity: { principalId: 'p' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'c',
        bucket: { name: BUCKET, ownerIdentity: { principalId: 'o' }, arn: `arn:aws:s3:::${BUCKET}` },
        object: {
          key: record.key,
          size: 10,
          eTag: record.eTag ?? 'etag',
          sequencer: record.sequencer ?? '0A',
          ...(record.versionId === undefined ? {} : { versionId: record.versionId }),
        },
      },
    })),
  } as S3Event;
}

function recordingLogger(): Logger & {
  lines: Array<{ level: string; message: string; fields: Record<string, unknown> }>;
} {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('on-upload handler with SFN and S3 mocked', () => {
  const sfnMock = mockClient(SFNClient);
  let bucket: MockBucket;
  let logger: ReturnType<typeof recordingLogger>;
  let handler: ReturnType<typeof createOnUploadHandler>;

  beforeEach(() => {
    sfnMock.reset();
    bucket = mockS3Bucket(BUCKET);
    logger = recordingLogger();
    const sfn = new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    handler = createOnUploadHandler({
      startExecution: (input) => startNamedExecution(sfn, ARN, input.jobId, input),
      storeFor: (name) => new S3ObjectStore(bucket.s3, name),
      logger,
      clock: { now: () => Date.UTC(2026, 10, 28, 10), sleep: async () => {} },
    });
  });
  afterEach(() => bucket.restore());

  it('starts one execution named by the job id, with a queued status.json written first', async () => {
    sfnMock.on(StartExecutionCommand).callsFake(() => {
      // The status must already exist when the execution starts.
      expect(bucket.writes.some((key) => key.endsWith('/status.json'))).toBe(true);
      return { executionArn: 'arn:x', startDate: new Date() };
    });
    await handler(s3Event({ key: 'live/team+a/users%2B1.csv', versionId: 'v7' }));

    const calls = sfnMock.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    const sent = calls[0]!.args[0].input;
    const jobId = jobIdFor({ bucket: BUCKET, key: 'live/team a/users+1.csv', versionId: 'v7' });
    expect(sent.name).toBe(jobId);
    expect(sent.stateMachineArn).toBe(ARN);
    const input = JSON.parse(sent.input!) as JobInput;
    expect(input).toEqual({
      jobId,
      bucket: BUCKET,
      key: 'live/team a/users+1.csv',
      versionId: 'v7',
      // The uploader, for the second-approver rule (docs/plans.md).
      principalId: 'p',
      mode: 'live',
      reportPrefix: `reports/live/team a/users+1/${jobId}/`,
      statePrefix: `state/${jobId}/`,
    });
    expect(bucket.json(`${input.reportPrefix}status.json`)).toEqual({
      jobId,
      status: 'queued',
      source: `s3://${BUCKET}/live/team a/users+1.csv`,
      mode: 'live',
      updatedAt: '2026-11-28T10:00:00.000Z',
    });
    const started = logger.lines.find((line) => line.message === 'job started');
    expect(started?.fields).toMatchObject({ bucket: BUCKET, key: 'live/team a/users+1.csv', jobId, mode: 'live' });
  });

  it('treats ExecutionAlreadyExists as a duplicate event: no error, status.json left as is', async () => {
    sfnMock.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    const jobId = jobIdFor({ bucket: BUCKET, key: 'dry-run/a.csv', versionId: 'v1' });
    const statusKey = `reports/dry-run/a/${jobId}/status.json`;
    bucket.objects.set(statusKey, Buffer.from('{"status":"completed"}'));

    await expect(handler(s3Event({ key: 'dry-run/a.csv', versionId: 'v1' }))).resolves.toBeUndefined();

    expect(bucket.text(statusKey)).toBe('{"status":"completed"}');
    expect(bucket.mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(logger.lines.some((line) => line.message.startsWith('duplicate event') && line.fields.jobId === jobId)).toBe(
      true,
    );
    expect(logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('gives the same job id to a redelivered event and a new one to a new version', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    await handler(
      s3Event(
        { key: 'dry-run/a.csv', versionId: 'v1' },
        { key: 'dry-run/a.csv', versionId: 'v1' },
        { key: 'dry-run/a.csv', versionId: 'v2' },
      ),
    );
    const names = sfnMock.commandCalls(StartExecutionCommand).map((call) => call.args[0].input.name);
    expect(names[0]).toBe(names[1]);
    expect(names[2]).not.toBe(names[0]);
  });

  it('ignores keys outside dry-run/ and live/, folder markers and non-create events, without touching S3', async () => {
    await handler(
      s3Event(
        { key: 'reports/dry-run/a/report.csv' },
        { key: 'state/x/checkpoint.json' },
        { key: 'live/' },
        { key: 'uploads/a.csv' },
        { key: 'live/a.txt', eventName: 'ObjectRemoved:Delete' },
        { key: 'live/%E0%A4%A.csv' },
      ),
    );
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(bucket.mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(bucket.mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(logger.lines.filter((line) => line.message === 'ignored object')).toHaveLength(6);
  });

  it('answers an upload under live/ or dry-run/ that does not end .csv with a refused report, and starts nothing', async () => {
    await handler(s3Event({ key: 'live/hr/Users.CSV', versionId: 'v1' }, { key: 'dry-run/users.txt' }));
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(0);
    expect(bucket.mock.commandCalls(GetObjectCommand)).toHaveLength(0);
    const reports = bucket.writes.filter((key) => key.endsWith('/report.json'));
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatch(/^reports\/live\/hr\/Users\.CSV\/refused-[0-9a-f]{24}\/report\.json$/);
    expect(reports[1]).toMatch(/^reports\/dry-run\/users\.txt\/refused-[0-9a-f]{24}\/report\.json$/);
    const upper = bucket.json<ReportDocument>(reports[0]!);
    expect(upper).toMatchObject({
      job: { mode: 'live', status: 'rejected', source: `s3://${BUCKET}/live/hr/Users.CSV` },
      error: { code: 'not-a-csv-key' },
      summary: { rows: 0, deleted: 0 },
      rows: [],
    });
    expect(upper?.error?.message).toMatch(/case-sensitive.*Upload it again as live\/hr\/Users\.csv/);
    expect(bucket.json<ReportDocument>(reports[1]!)?.error?.message).toMatch(
      /only keys ending in \.csv are run\. Upload it again as dry-run\/users\.csv/,
    );
    const status = bucket.json<RunStatus>(reports[0]!.replace('report.json', 'status.json'));
    expect(status).toMatchObject({ status: 'rejected', phase: 'done', error: { code: 'not-a-csv-key' } });
  });

  it('without a versionId, derives the id from eTag and sequencer', async () => {
    sfnMock.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });
    await handler(
      s3Event(
        { key: 'dry-run/a.csv', eTag: 'e1', sequencer: '01' },
        { key: 'dry-run/a.csv', eTag: 'e1', sequencer: '02' },
      ),
    );
    const inputs = sfnMock
      .commandCalls(StartExecutionCommand)
      .map((call) => JSON.parse(call.args[0].input.input!) as JobInput);
    expect(inputs[0]!.jobId).toBe(jobIdFor({ bucket: BUCKET, key: 'dry-run/a.csv', eTag: 'e1', sequencer: '01' }));
    expect(inputs[1]!.jobId).not.toBe(inputs[0]!.jobId);
    expect(inputs[0]).not.toHaveProperty('versionId');
  });

  it('throws (so Lambda retries) when StartExecution fails for another reason, after trying every record', async () => {
    sfnMock
      .on(StartExecutionCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({ executionArn: 'arn:x', startDate: new Date() });
    await expect(
      handler(s3Event({ key: 'live/a.csv', versionId: 'v1' }, { key: 'live/b.csv', versionId: 'v1' })),
    ).rejects.toThrow('throttled');
    expect(sfnMock.commandCalls(StartExecutionCommand)).toHaveLength(2);
    expect(logger.lines.some((line) => line.level === 'error' && line.fields.key === 'live/a.csv')).toBe(true);
  });
});
