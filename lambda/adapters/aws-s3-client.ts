// One place that builds the S3 client, so that a local endpoint (s3rver) and real S3 differ only in configuration.

import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { S3Client } from '@aws-sdk/client-s3';

export interface S3ClientFactoryOptions {
  /** Overrides AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL. */
  endpoint?: string;
  region?: string;
  credentials?: S3ClientConfig['credentials'];
  /** Attempts per request, first included (SDK standard retry). Default 5. */
  maxAttempts?: number;
  env?: NodeJS.ProcessEnv;
}

export function createS3Client(options: S3ClientFactoryOptions = {}): S3Client {
  const env = options.env ?? process.env;
  const endpoint = options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  const config: S3ClientConfig = { maxAttempts: options.maxAttempts ?? 5 };
  if (options.region !== undefined) config.region = options.region;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  if (endpoint !== undefined && endpoint !== '') {
    config.endpoint = endpoint;
    // Emulators address buckets by path, and s3rver stores the aws-chunked framing verbatim when the SDK adds
    // default checksums to streamed bodies (seen with s3rver 3.7.1): only send checksums when the operation requires them.
    config.forcePathStyle = true;
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
    config.region ??= env.AWS_REGION ?? 'us-east-1';
  }
  return new S3Client(config);
}
