import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { MIN_PART_SIZE, S3ObjectStore } from '../../lambda/adapters/s3-object-store.ts';
import { createStepHandler } from '../../lambda/handlers/step-handler.ts';
import { contextWith, startStepHarness } from '../handlers/step-harness.ts';

describe('S3ObjectStore failures are never silent', () => {
  const s3Mock = mockClient(S3Client);
  const s3 = new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const store = new S3ObjectStore(s3, 'b');
  beforeEach(() => s3Mock.reset());
  afterAll(() => s3Mock.restore());

  it('a failed put throws', async () => {
    s3Mock.on(PutObjectCommand).rejects(Object.assign(new Error('internal error'), { name: 'InternalError' }));
    await expect(store.put('state/j/checkpoint.json', '{}')).rejects.toThrow('internal error');
  });

  it('a failed part aborts the multipart upload and throws', async () => {
    s3Mock.on(CreateMultipartUploadCommand).resolves({ UploadId: 'u1' });
    s3Mock.on(UploadPartCommand).resolvesOnce({ ETag: '"1"' }).rejects(new Error('part lost'));
    s3Mock.on(AbortMultipartUploadCommand).resolves({});
    async function* big(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 3; i += 1) yield new Uint8Array(MIN_PART_SIZE);
    }
    await expect(store.put('reports/x/report.csv', big())).rejects.toThrow('part lost');
    expect(s3Mock.commandCalls(AbortMultipartUploadCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'b',
      Key: 'reports/x/report.csv',
      UploadId: 'u1',
    });
    expect(s3Mock.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  });

  it('other read errors than a missing key are thrown, not taken for "absent"', async () => {
    s3Mock
      .on(GetObjectCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    await expect(store.get('state/j/checkpoint.json')).rejects.toThrow('denied');
  });
});

describe('step handler when S3 fails', () => {
  it('throws (the state machine retries from the checkpoint) and logs the failure with the job keys', async () => {
    const h = await startStepHarness();
    try {
      const job = h.job('dry-run/s3-down.csv', `id\n${h.emulator.users()[0]!.id}\n`);
      h.bucket.mock.on(PutObjectCommand).rejects(Object.assign(new Error('slow down'), { name: 'SlowDown' }));
      await expect(createStepHandler(h.deps)(job, contextWith(900_000))).rejects.toThrow('slow down');
      expect(h.lines.find((line) => line.message === 'step failed')?.fields).toMatchObject({
        jobId: job.jobId,
        error: { name: 'SlowDown' },
      });
      expect(h.notifications).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
