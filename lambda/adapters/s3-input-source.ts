// The input CSV as an S3 object pinned to the version that triggered the run: a later upload of the same key cannot change a running job.

import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { InputSource } from '../engine/ports.ts';

export class InputMissingError extends Error {
  override readonly name = 'InputMissingError';
}

export class S3InputSource implements InputSource {
  readonly name: string;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
    readonly key: string,
    readonly versionId?: string,
  ) {
    this.name = `s3://${bucket}/${key}`;
  }

  async open(): Promise<AsyncIterable<Uint8Array>> {
    try {
      const response = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.key,
          ...(this.versionId === undefined ? {} : { VersionId: this.versionId }),
        }),
      );
      const body: unknown = response.Body;
      if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body)
        return body as AsyncIterable<Uint8Array>;
      throw new Error(`S3 returned no readable body for ${this.name}`);
    } catch (error) {
      const named = error as { name?: unknown };
      if (named.name === 'NoSuchKey' || named.name === 'NoSuchVersion' || named.name === 'NotFound') {
        throw new InputMissingError(
          `input ${this.name}${this.versionId ? ` (version ${this.versionId})` : ''} no longer exists`,
        );
      }
      throw error;
    }
  }
}
