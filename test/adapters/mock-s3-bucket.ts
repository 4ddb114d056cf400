// An in-memory bucket behind aws-sdk-client-mock: the handlers' real S3 adapters run against it unchanged.
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient } from 'aws-sdk-client-mock';

export interface MockBucket {
  s3: S3Client;
  mock: ReturnType<typeof mockS3Client>;
  objects: Map<string, Buffer>;
  /** Keys written, in order (PutObject and completed multipart uploads). */
  writes: string[];
  text(key: string): string | undefined;
  json<T = unknown>(key: string): T | undefined;
  /** When each key was last written (the order of writes; LastModified in listings). */
  modified: Map<string, number>;
  restore(): void;
}

const mockS3Client = () => mockClient(S3Client);

export function mockS3Bucket(
  bucket: string,
  initial: Record<string, string> = {},
  options: { listPageSize?: number } = {},
): MockBucket {
  const mock = mockS3Client();
  const objects = new Map<string, Buffer>(Object.entries(initial).map(([key, text]) => [key, Buffer.from(text)]));
  const writes: string[] = [];
  const modified = new Map<string, number>();
  let writeClock = Date.UTC(2026, 0, 1);
  const touch = (key: string) => modified.set(key, (writeClock += 1000));
  const uploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const missing = (key: string): NoSuchKey =>
    new NoSuchKey({ message: `no such key ${key}`, $metadata: { httpStatusCode: 404 } });

  mock.on(GetObjectCommand).callsFake((input: { Bucket: string; Key: string; VersionId?: string }) => {
    const body = input.Bucket === bucket ? objects.get(input.Key) : undefined;
    if (body === undefined) throw missing(input.Key);
    return { Body: sdkStreamMixin(Readable.from([Buffer.from(body)])) };
  });
  mock.on(PutObjectCommand).callsFake((input: { Bucket: string; Key: string; Body: string | Uint8Array }) => {
    if (input.Bucket !== bucket) throw new Error(`unexpected bucket ${input.Bucket}`);
    objects.set(input.Key, Buffer.from(input.Body as Uint8Array));
    writes.push(input.Key);
    touch(input.Key);
    return { ETag: '"e"' };
  });
  mock.on(ListObjectsV2Command).callsFake((input: { Bucket: string; Prefix?: string; ContinuationToken?: string }) => {
    const keys = [...objects.keys()].filter((key) => key.startsWith(input.Prefix ?? '')).sort();
    const start = input.ContinuationToken === undefined ? 0 : Number(input.ContinuationToken);
    const size = options.listPageSize ?? 1000;
    const page = keys.slice(start, start + size);
    const more = start + size < keys.length;
    return {
      Contents: page.map((key) => ({ Key: key, LastModified: new Date(modified.get(key) ?? 0) })),
      IsTruncated: more,
      ...(more ? { NextContinuationToken: String(start + size) } : {}),
    };
  });
  mock.on(DeleteObjectCommand).callsFake((input: { Key: string }) => {
    objects.delete(input.Key);
    return {};
  });
  let nextUpload = 0;
  mock.on(CreateMultipartUploadCommand).callsFake((input: { Key: string }) => {
    const id = `u${(nextUpload += 1)}`;
    uploads.set(id, { key: input.Key, parts: new Map() });
    return { UploadId: id };
  });
  mock.on(UploadPartCommand).callsFake((input: { UploadId: string; PartNumber: number; Body: Uint8Array }) => {
    uploads.get(input.UploadId)?.parts.set(input.PartNumber, Buffer.from(input.Body));
    return { ETag: `"p${input.PartNumber}"` };
  });
  mock
    .on(CompleteMultipartUploadCommand)
    .callsFake((input: { UploadId: string; MultipartUpload: { Parts: Array<{ PartNumber: number }> } }) => {
      const upload = uploads.get(input.UploadId);
      if (upload === undefined) throw new Error('no such upload');
      objects.set(
        upload.key,
        Buffer.concat(input.MultipartUpload.Parts.map((part) => upload.parts.get(part.PartNumber) ?? Buffer.alloc(0))),
      );
      writes.push(upload.key);
      touch(upload.key);
      return {};
    });

  return {
    s3: new S3Client({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } }),
    mock,
    objects,
    writes,
    modified,
    text: (key) => objects.get(key)?.toString('utf8'),
    json: (key) => {
      const text = objects.get(key)?.toString('utf8');
      return text === undefined ? undefined : JSON.parse(text);
    },
    restore: () => mock.restore(),
  };
}
