// s3rver in-process on loopback with the pipeline's bucket, and S3 clients configured for it.

import type { EventEmitter } from 'node:events';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import S3rver from 's3rver';
import { createS3Client } from '../adapters/aws-s3-client.ts';
import { LOCAL_REGION, LOCAL_S3_CREDENTIALS } from './demo-settings.ts';

export interface LocalS3Options {
  bucket: string;
  /** 0 picks a free port. */
  port?: number;
  /** Where s3rver keeps objects; a fresh temporary folder (removed on close) when absent. */
  directory?: string;
  onEvent?: (event: S3Event) => void;
}

export interface LocalS3 {
  readonly bucket: string;
  readonly endpoint: string;
  readonly port: number;
  readonly directory: string;
  readonly client: S3Client;
  /** The file in which s3rver keeps an object's bytes. */
  localPathOf(key: string): string;
  close(): Promise<void>;
}

export function localS3Client(endpoint: string): S3Client {
  return createS3Client({ endpoint, region: LOCAL_REGION, credentials: LOCAL_S3_CREDENTIALS, maxAttempts: 2 });
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const ownsDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(path.join(tmpdir(), 'onelogin-local-s3-')));
  await mkdir(directory, { recursive: true });
  const server = new S3rver({ address: '127.0.0.1', port: options.port ?? 0, silent: true, directory });
  // @types/s3rver omits that S3rver is a Koa app, hence an EventEmitter.
  const emitter = server as unknown as EventEmitter;
  if (options.onEvent) emitter.on('event', options.onEvent);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localS3Client(endpoint);
  try {
    await client.send(new CreateBucketCommand({ Bucket: options.bucket }));
  } catch (error) {
    const name = (error as { name?: unknown }).name;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
  }
  return {
    bucket: options.bucket,
    endpoint,
    port,
    directory,
    client,
    // s3rver's FilesystemStore keeps `a/b.csv` as `<directory>/<bucket>/a/b.csv._S3rver_object` (on POSIX).
    localPathOf: (key) => path.join(directory, options.bucket, ...`${key}._S3rver_object`.split('/')),
    async close() {
      client.destroy();
      await server.close();
      if (ownsDirectory) await rm(directory, { recursive: true, force: true });
    },
  };
}

export async function putObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  contentType?: string,
  principal?: string,
): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: bytes,
      ContentLength: bytes.byteLength,
      ...(contentType === undefined ? {} : { ContentType: contentType }),
      ...(principal === undefined ? {} : { Metadata: { [PRINCIPAL_METADATA]: principal } }),
    }),
  );
}

/**
 * s3rver's events carry a fixed principalId; a local upload names its uploader in this metadata field and the event
 * bridge puts it into the event's userIdentity, as AWS does for the caller (the second-approver rule reads it).
 */
export const PRINCIPAL_METADATA = 'upload-principal';

export async function uploadPrincipalOf(client: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return head.Metadata?.[PRINCIPAL_METADATA];
  } catch {
    return undefined;
  }
}

export async function readText(client: S3Client, bucket: string, key: string): Promise<string> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!response.Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return response.Body.transformToString('utf8');
}

/** Keys under a prefix. s3rver's continuation tokens use a DES cipher that OpenSSL 3 refuses, so this reads one page of up to 1,000 keys. */
export async function listKeys(client: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const response = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1000 }));
  return (response.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key])).sort();
}
