// `npm run integ` (maintainers with an AWS account; not in CI, which only synthesizes the app and runs the scenario on
// the local pipeline): deploys the integ stack with the CDK CLI, points its secret at the emulator's function URL with
// throwaway credentials, runs the scenario (dry run, then live) against the deployed pipeline, and deletes the stack
// and everything in it, in `finally`, whatever happened. Uses the AWS credentials and region of the environment.
import '../../lambda/local/local-environment.ts';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STATS_PATH } from '../../lambda/emulator/function-url-handler.ts';
import { emptyVersionedBucket } from './empty-bucket.ts';
import type { PipelineUnderTest } from './integ-scenario.ts';
import { runIntegScenario } from './integ-scenario.ts';
import { INTEG_OUTPUTS, INTEG_STACK_NAME } from './integ-stack.ts';

type Outputs = Partial<Record<(typeof INTEG_OUTPUTS)[keyof typeof INTEG_OUTPUTS], string>>;

const APP = 'npx tsx test/integ/integ-app.ts';

function log(message: string): void {
  console.log(`[integ ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function cdk(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['cdk', ...args, '--app', APP, '--no-notices'], {
      stdio: 'inherit',
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' },
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`cdk ${args[0]} exited ${code}`))));
  });
}

function required(outputs: Outputs, name: keyof Outputs): string {
  const value = outputs[name];
  if (value === undefined || value === '') throw new Error(`the stack has no output ${name}`);
  return value;
}

function deployedPipeline(s3: S3Client, bucket: string, emulatorUrl: string, basicAuth: string): PipelineUnderTest {
  return {
    bucket,
    upload: async (key, body) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'text/csv' }));
    },
    listKeys: async (prefix) => {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const entry of page.Contents ?? []) if (entry.Key !== undefined) keys.push(entry.Key);
        token = page.NextContinuationToken;
      } while (token !== undefined);
      return keys;
    },
    readText: async (key) => {
      const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await answer.Body?.transformToString('utf8')) ?? '';
    },
    deletedUserIds: async () => {
      const answer = await fetch(new URL(STATS_PATH, emulatorUrl), { headers: { authorization: basicAuth } });
      if (!answer.ok) throw new Error(`the emulator's stats answered ${answer.status}`);
      const body = (await answer.json()) as { stats: { deletions: Array<{ id: number }> } };
      return body.stats.deletions.map((deletion) => deletion.id);
    },
  };
}

async function teardown(stackName: string, s3: S3Client, outputs: Outputs): Promise<void> {
  const buckets = [outputs[INTEG_OUTPUTS.bucket], outputs[INTEG_OUTPUTS.accessLogBucket]].filter(
    (name): name is string => name !== undefined,
  );
  const empty = async (): Promise<void> => {
    for (const bucket of buckets) log(`emptied ${bucket}: ${await emptyVersionedBucket(s3, bucket)} versions`);
  };
  await empty();
  try {
    await cdk(['destroy', '--force', '-c', `integStackName=${stackName}`]);
  } catch {
    // Access logs arrive minutes late and can refill the log bucket while the stack is being deleted.
    log('destroy failed; emptying the buckets again and retrying once');
    await empty();
    await cdk(['destroy', '--force', '-c', `integStackName=${stackName}`]);
  }
}

async function main(): Promise<void> {
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const stackName = `${INTEG_STACK_NAME}-${runId}`;
  const work = await mkdtemp(path.join(tmpdir(), 'onelogin-integ-'));
  const outputsFile = path.join(work, 'outputs.json');
  const s3 = new S3Client({ followRegionRedirects: true });
  let outputs: Outputs = {};
  try {
    log(`deploying ${stackName}`);
    try {
      await cdk([
        'deploy',
        '--require-approval',
        'never',
        '--outputs-file',
        outputsFile,
        '--output',
        path.join(work, 'cdk.out'),
        '-c',
        `integStackName=${stackName}`,
      ]);
    } finally {
      outputs =
        (JSON.parse(await readFile(outputsFile, 'utf8').catch(() => '{}')) as Record<string, Outputs>)[stackName] ?? {};
    }
    const emulatorUrl = required(outputs, INTEG_OUTPUTS.emulatorUrl);
    const secretArn = required(outputs, INTEG_OUTPUTS.secretArn);
    // The stack's region, whatever the SDK's default chain says: arn:aws:secretsmanager:<region>:…
    const region = secretArn.split(':')[3];
    const credentials = { client_id: `integ-${runId}`, client_secret: randomBytes(24).toString('base64url') };
    await new SecretsManagerClient({ region }).send(
      new PutSecretValueCommand({
        SecretId: secretArn,
        SecretString: JSON.stringify({ ...credentials, api_url: emulatorUrl }),
      }),
    );
    log('secret set: throwaway emulator credentials and api_url = the emulator function URL');
    const basicAuth = `Basic ${Buffer.from(`${credentials.client_id}:${credentials.client_secret}`).toString('base64')}`;
    const target = deployedPipeline(s3, required(outputs, INTEG_OUTPUTS.bucket), emulatorUrl, basicAuth);
    const result = await runIntegScenario(target, { runId, log });
    log(
      `passed: ${result.dryRunReport} and ${result.liveReport} as expected; the emulator deleted exactly the planned users`,
    );
  } finally {
    log(`deleting ${stackName}`);
    await teardown(stackName, s3, outputs);
    await rm(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
