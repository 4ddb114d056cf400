// The one place that creates AWS SDK clients. Each is created on first use and then reused across warm invocations,
// so importing a handler factory, the local pipeline or a test never builds a client it does not use.
import type { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { createS3Client } from '../adapters/aws-s3-client.ts';

let s3: S3Client | undefined;
let secretsManager: SecretsManagerClient | undefined;
let sfn: SFNClient | undefined;
let sns: SNSClient | undefined;

export function s3Client(): S3Client {
  s3 ??= createS3Client();
  return s3;
}

export function secretsManagerClient(): SecretsManagerClient {
  secretsManager ??= new SecretsManagerClient({});
  return secretsManager;
}

export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}

export function snsClient(): SNSClient {
  sns ??= new SNSClient({});
  return sns;
}
