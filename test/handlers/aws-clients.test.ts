import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { s3Client, secretsManagerClient, sfnClient, snsClient } from '../../lambda/handlers/aws-clients.ts';
import { awsDeps, awsOnUploadDeps } from '../../lambda/handlers/aws-deps.ts';
import { ENV } from '../../lambda/handlers/handler-contract.ts';

describe('AWS clients', () => {
  it.each([
    ['S3', s3Client, S3Client],
    ['Secrets Manager', secretsManagerClient, SecretsManagerClient],
    ['Step Functions', sfnClient, SFNClient],
    ['SNS', snsClient, SNSClient],
  ] as const)('%s: one client, created on first use and then reused', (_name, get, type) => {
    const first = get();
    expect(first).toBeInstanceOf(type);
    expect(get()).toBe(first);
  });
});

describe('AWS dependencies', () => {
  it('name the missing variable', () => {
    expect(() => awsDeps({ [ENV.topicArn]: 't' })).toThrow(ENV.secretId);
    expect(() => awsDeps({ [ENV.secretId]: 's' })).toThrow(ENV.topicArn);
    expect(() => awsOnUploadDeps({})).toThrow(ENV.stateMachineArn);
  });

  it('refuse a bad setting at start, naming it', () => {
    expect(() => awsDeps({ [ENV.secretId]: 's', [ENV.topicArn]: 't', [ENV.rateShare]: '2' })).toThrow(ENV.rateShare);
  });
});
