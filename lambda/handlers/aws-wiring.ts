// The handlers' dependencies on real AWS: module-level SDK clients (reused across warm invocations) and settings from the environment.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { createS3Client } from '../adapters/aws-s3-client.ts';
import { createSnsNotifier } from '../adapters/aws-sns-notifier.ts';
import { S3InputSource } from '../adapters/s3-input-source.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import { createSecretSettingsLoader } from '../adapters/secret-settings.ts';
import type { InputSource, ObjectStore } from '../engine/ports.ts';
import { systemClock } from '../engine/ports.ts';
import type { JobInput } from './handler-contract.ts';
import { ENV } from './handler-contract.ts';
import { stepOptionsFromEnv } from './handler-options.ts';
import { createPowertoolsLogger, createPowertoolsMetrics } from './observability.ts';
import type { StepDeps } from './step.ts';

const s3 = createS3Client();
const secrets = new SecretsManagerClient({});
const sns = new SNSClient({});
const stores = new Map<string, ObjectStore>();

export function awsStoreFor(bucket: string): ObjectStore {
  let store = stores.get(bucket);
  if (store === undefined) {
    store = new S3ObjectStore(s3, bucket);
    stores.set(bucket, store);
  }
  return store;
}

export function awsInputFor(job: JobInput): InputSource {
  return new S3InputSource(s3, job.bucket, job.key, job.versionId);
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** The step and finalize dependencies, from the environment the stack sets (handler-contract.ts ENV). Throws naming a missing variable. */
export function awsHandlerDeps(): StepDeps {
  return {
    storeFor: awsStoreFor,
    inputFor: awsInputFor,
    loadSettings: createSecretSettingsLoader({ client: secrets, secretId: requiredEnv(ENV.secretId) }),
    notify: createSnsNotifier(sns, requiredEnv(ENV.topicArn)),
    logger: createPowertoolsLogger(),
    clock: systemClock,
    options: stepOptionsFromEnv(process.env),
    metrics: createPowertoolsMetrics(),
  };
}
