// ObjectStore over one S3 bucket: reports, status and checkpoints. A failed put throws: state must never be lost silently.

import type { CompletedPart, S3Client } from '@aws-sdk/client-s3';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { Body, ObjectStore } from '../engine/ports.ts';

export type { S3ClientFactoryOptions } from './aws-s3-client.ts';
export { createS3Client } from './aws-s3-client.ts';

/** S3's smallest part size (every part but the last). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

/** One object of a listing. */
export interface ListedObject {
  key: string;
  /** Epoch ms; 0 when S3 did not say. */
  lastModified: number;
}

/** What the handlers need beyond the engine's ObjectStore: finding the reviewed plans under a folder. */
export interface ListableObjectStore extends ObjectStore {
  list(prefix: string): Promise<ListedObject[]>;
}

export interface S3ObjectStoreOptions {
  /** Bytes per multipart part for streamed bodies (≥ 5 MiB). A streamed body smaller than one part is sent with PutObject. */
  partSize?: number;
}

export class S3ObjectStore implements ListableObjectStore {
  private readonly partSize: number;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    options: S3ObjectStoreOptions = {},
  ) {
    this.partSize = Math.max(MIN_PART_SIZE, options.partSize ?? MIN_PART_SIZE);
  }

  async get(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return bodyStream(response.Body, key);
    } catch (error) {
      if (isMissingObject(error)) return null;
      throw error;
    }
  }

  async put(key: string, body: Body, contentType?: string): Promise<void> {
    if (typeof body === 'string' || body instanceof Uint8Array) {
      await this.putWhole(key, typeof body === 'string' ? Buffer.from(body, 'utf8') : body, contentType);
      return;
    }
    await this.putStream(key, body, contentType);
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Every object whose key starts with `prefix`, all pages of the listing. */
  async list(prefix: string): Promise<ListedObject[]> {
    const listed: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key !== undefined) listed.push({ key: item.Key, lastModified: item.LastModified?.getTime() ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return listed;
  }

  private async putWhole(key: string, bytes: Uint8Array, contentType: string | undefined): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentLength: bytes.byteLength,
        ...(contentType === undefined ? {} : { ContentType: contentType }),
      }),
    );
  }

  private async putStream(
    key: string,
    body: AsyncIterable<string | Uint8Array>,
    contentType: string | undefined,
  ): Promise<void> {
    const parts = chunkInto(body, this.partSize);
    const first = await parts.next();
    if (first.done) {
      await this.putWhole(key, new Uint8Array(0), contentType);
      return;
    }
    const second = await parts.next();
    if (second.done) {
      await this.putWhole(key, first.value, contentType);
      return;
    }
    const created = await this.client.send(
      new CreateMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        ...(contentType === undefined ? {} : { ContentType: contentType }),
      }),
    );
    const uploadId = created.UploadId;
    if (uploadId === undefined) throw new Error(`S3 returned no UploadId for ${key}`);
    try {
      const completed: CompletedPart[] = [];
      const uploadPart = async (bytes: Uint8Array): Promise<void> => {
        const partNumber = completed.length + 1;
        const answer = await this.client.send(
          new UploadPartCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId: uploadId,
            PartNumber: partNumber,
            Body: bytes,
            ContentLength: bytes.byteLength,
          }),
        );
        completed.push({ PartNumber: partNumber, ETag: answer.ETag });
      };
      await uploadPart(first.value);
      await uploadPart(second.value);
      for (let next = await parts.next(); !next.done; next = await parts.next()) await uploadPart(next.value);
      await this.client.send(
        new CompleteMultipartUploadCommand({
          Bucket: this.bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: completed },
        }),
      );
    } catch (error) {
      await this.client
        .send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }))
        .catch(() => undefined);
      throw error;
    }
  }
}

/** Groups a byte/string stream into buffers of exactly `size` bytes (the last one shorter). */
export async function* chunkInto(source: AsyncIterable<string | Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const piece of source) {
    let bytes =
      typeof piece === 'string'
        ? Buffer.from(piece, 'utf8')
        : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    while (pendingBytes + bytes.byteLength >= size) {
      const take = size - pendingBytes;
      pending.push(bytes.subarray(0, take));
      yield Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      bytes = bytes.subarray(take);
    }
    if (bytes.byteLength > 0) {
      // Copy: the producer may reuse its buffer after we resume it.
      pending.push(Buffer.from(bytes));
      pendingBytes += bytes.byteLength;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

export function isMissingObject(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const named = error as { name?: unknown; Code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  return (
    named.name === 'NoSuchKey' ||
    named.name === 'NotFound' ||
    named.Code === 'NoSuchKey' ||
    (named.$metadata?.httpStatusCode === 404 && named.name !== 'NoSuchBucket')
  );
}

function bodyStream(body: unknown, key: string): AsyncIterable<Uint8Array> {
  if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body) {
    return body as AsyncIterable<Uint8Array>;
  }
  throw new Error(`S3 returned no readable body for ${key}`);
}
