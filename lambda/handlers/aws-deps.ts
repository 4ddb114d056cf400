// The handlers' dependencies on real AWS, from the environment the stack sets (handler-contract.ts ENV). Building them
// reads the environment (a missing variable throws, naming it) but creates no SDK client: aws-clients.ts does, on first use.
import { startNamedExecution } from '../adapters/aws-sfn-starter.ts';
import { createSnsNotifier } from '../adapters/aws-sns-notifier.ts';
import { S3InputSource } from '../adapters/s3-input-source.ts';
import { S3ObjectStore } from '../adapters/s3-object-store.ts';
import type { OneLoginSettings } from '../adapters/secret-settings.ts';
import { createSecretSettingsLoader } from '../adapters/secret-settings.ts';
import { systemClock } from '../engine/ports.ts';
import type { AccountsSetting } from '../settings/accounts-setting.ts';
import { accountsFromEnv } from '../settings/accounts-setting.ts';
import { s3Client, secretsManagerClient, sfnClient, snsClient } from './aws-clients.ts';
import { ENV } from './handler-contract.ts';
import { stepOptionsFromEnv } from './handler-options.ts';
import type { OnUploadDeps, StepDeps } from './handler-types.ts';
import { createPowertoolsLogger, createPowertoolsMetrics } from './observability.ts';

const stores = new Map<string, S3ObjectStore>();

function awsStoreFor(bucket: string): S3ObjectStore {
  let store = stores.get(bucket);
  if (store === undefined) {
    store = new S3ObjectStore(s3Client(), bucket);
    stores.set(bucket, store);
  }
  return store;
}

export function requiredEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`environment variable ${name} is not set`);
  return value;
}

/** The step and finalize dependencies. */
export function awsDeps(env: NodeJS.ProcessEnv = process.env): StepDeps {
  const accounts = accountsFromEnv(env);
  const topicArn = requiredEnv(ENV.topicArn, env);
  return {
    storeFor: awsStoreFor,
    inputFor: (job) => new S3InputSource(s3Client(), job.bucket, job.key, job.versionId),
    loadSettings: secretLoaders(accounts === undefined ? requiredEnv(ENV.secretId, env) : undefined, accounts),
    ...(accounts === undefined ? {} : { accounts }),
    notify: (message) => createSnsNotifier(snsClient(), topicArn)(message),
    logger: createPowertoolsLogger(),
    clock: systemClock,
    options: stepOptionsFromEnv(env),
    metrics: createPowertoolsMetrics(),
  };
}

/** One loader per secret (each caches its value): the stack's one secret, or each account's own. */
function secretLoaders(
  secretId: string | undefined,
  accounts: AccountsSetting | undefined,
): (account?: string) => Promise<OneLoginSettings> {
  const loaders = new Map<string, () => Promise<OneLoginSettings>>();
  return (account) => {
    const id = account === undefined ? secretId : accounts?.[account]?.secretId;
    if (id === undefined) return Promise.reject(new Error(`no secret for account ${account ?? '(none)'}`));
    let loader = loaders.get(id);
    if (loader === undefined) {
      loader = createSecretSettingsLoader({ client: secretsManagerClient(), secretId: id });
      loaders.set(id, loader);
    }
    return loader();
  };
}

/** The on-upload dependencies. */
export function awsOnUploadDeps(env: NodeJS.ProcessEnv = process.env): OnUploadDeps {
  const stateMachineArn = requiredEnv(ENV.stateMachineArn, env);
  return {
    startExecution: (input) => startNamedExecution(sfnClient(), stateMachineArn, input.jobId, input),
    storeFor: awsStoreFor,
    logger: createPowertoolsLogger(),
    ...accountsOf(env),
  };
}

function accountsOf(env: NodeJS.ProcessEnv): { accounts?: AccountsSetting } {
  const accounts = accountsFromEnv(env);
  return accounts === undefined ? {} : { accounts };
}
