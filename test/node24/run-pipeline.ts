// `.ci/node24-bundles.sh`: the handler bundles of a `cdk synth` output run under Node 24 against the local pipeline's
// parts. This process (Node 20, tsx) holds the infrastructure: s3rver, the OneLogin emulator and fake Secrets Manager,
// Step Functions and SNS endpoints. It uploads the demo sample, starts run-bundles.mjs under the given Node 24 binary
// with the handlers' environment pointing at those endpoints, and then checks the report objects and the emulator.
// With --integ-cdk-out (a synth of test/integ/integ-app.ts) it also runs the integ stack's emulator bundle under Node 24.
//   tsx test/node24/run-pipeline.ts --cdk-out DIR --node /path/to/node24 [--integ-cdk-out DIR]
import '../../lambda/local/local-environment.ts';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { S3Event } from 'aws-lambda';
import { EMULATOR_ENV } from '../../lambda/emulator/function-url-handler.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';
import { buildDemoSample } from '../../lambda/local/demo-sample.ts';
import { DEMO_CREDENTIALS, DEMO_TENANT, LOCAL_BUCKET, LOCAL_S3_CREDENTIALS } from '../../lambda/local/demo-settings.ts';
import { demoTenantUsers } from '../../lambda/local/demo-tenant.ts';
import { putObject, readText, startLocalS3 } from '../../lambda/local/local-s3.ts';
import { assertDeletedExactly, assertDryRunReport, assertLiveReport } from '../integ/sample-assertions.ts';
import { startFakeAwsServices } from './fake-aws-services.ts';
import { emulatorBundle, handlerBundles } from './synth-bundles.ts';

const DRIVER = fileURLToPath(new URL('./run-bundles.mjs', import.meta.url));
const EMULATOR_DRIVER = fileURLToPath(new URL('./run-emulator-bundle.mjs', import.meta.url));
const SECRET_ID = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:onelogin-node24-AbCdEf';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:111111111111:stateMachine:node24';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:node24';
const KEYS = { dryRun: 'dry-run/demo-users.csv', interrupted: 'dry-run/interrupted.csv', live: 'live/demo-users.csv' };

interface DriverResult {
  node: string;
  results: Array<{ key: string; reportPrefix: string; steps: number; status: string; finalized: string }>;
}

function runDriver(node: string, script: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.on('error', reject);
    child.on('close', async (code) => {
      await writeFile(logFile, Buffer.concat(output));
      if (code === 0) resolve();
      else
        reject(
          new Error(`${path.basename(script)} exited ${code}:\n${Buffer.concat(output).toString('utf8').slice(-4000)}`),
        );
    });
  });
}

const { values } = parseArgs({
  options: { 'cdk-out': { type: 'string' }, node: { type: 'string' }, 'integ-cdk-out': { type: 'string' } },
});
if (!values['cdk-out'] || !values.node) throw new Error('usage: run-pipeline.ts --cdk-out DIR --node NODE24');
const bundles = await handlerBundles(values['cdk-out']);
const work = await mkdtemp(path.join(tmpdir(), 'node24-bundles-'));
const sample = buildDemoSample();
const events = new Map<string, S3Event>();
const emulator = await createOneLoginEmulator({
  // The demo account as npm start seeds it: the generated tenant plus the probe users the demo sample names.
  users: demoTenantUsers(),
  clientId: DEMO_CREDENTIALS.clientId,
  clientSecret: DEMO_CREDENTIALS.clientSecret,
  rateLimit: null,
  host: '127.0.0.1',
  port: 0,
});
const secretJson = JSON.stringify({
  client_id: DEMO_CREDENTIALS.clientId,
  client_secret: DEMO_CREDENTIALS.clientSecret,
  api_url: emulator.url,
});
const aws = await startFakeAwsServices({ secretId: SECRET_ID, secretJson });
const s3 = await startLocalS3({
  bucket: LOCAL_BUCKET,
  onEvent: (event) => {
    const key = event.Records[0]?.s3.object.key;
    if (key !== undefined && Object.values(KEYS).includes(key)) events.set(key, event);
  },
});
const awsEnv = {
  PATH: process.env.PATH,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
};
try {
  for (const key of Object.values(KEYS)) await putObject(s3.client, LOCAL_BUCKET, key, sample.csv, 'text/csv');
  const plan = [
    { event: events.get(KEYS.dryRun), run: 'complete' },
    { event: events.get(KEYS.interrupted), run: 'interrupt' },
    { event: events.get(KEYS.live), run: 'complete' },
  ];
  assert.ok(
    plan.every((job) => job.event !== undefined),
    's3rver emitted an event for every upload',
  );
  await writeFile(path.join(work, 'plan.json'), JSON.stringify(plan));
  await runDriver(
    values.node,
    DRIVER,
    {
      ...awsEnv,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ENDPOINT_URL_SFN: aws.url,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      AWS_ENDPOINT_URL_SNS: aws.url,
      STATE_MACHINE_ARN,
      ONELOGIN_SECRET_ID: SECRET_ID,
      NOTIFY_TOPIC_ARN: TOPIC_ARN,
      MAX_PERCENT: '10',
      RATE_SHARE: '0.8',
      STEP_SAFETY_MARGIN_MS: '1000',
      POWERTOOLS_SERVICE_NAME: 'onelogin-bulk-delete',
      POWERTOOLS_METRICS_NAMESPACE: 'OneLoginBulkDelete',
      NODE_OPTIONS: '--enable-source-maps',
      BUNDLE_ON_UPLOAD: bundles.onUpload,
      BUNDLE_STEP: bundles.step,
      BUNDLE_FINALIZE: bundles.finalize,
      FAKE_AWS_URL: aws.url,
      RUN_PLAN_FILE: path.join(work, 'plan.json'),
      RUN_RESULTS_FILE: path.join(work, 'results.json'),
    },
    path.join(work, 'driver.log'),
  );
  const driven = JSON.parse(await readFile(path.join(work, 'results.json'), 'utf8')) as DriverResult;
  assert.match(driven.node, /^v24\./);
  const report = async (key: string): Promise<ReportDocument> => {
    const result = driven.results.find((entry) => entry.key === key);
    assert.ok(result, `a result for ${key}`);
    return JSON.parse(await readText(s3.client, LOCAL_BUCKET, `${result.reportPrefix}report.json`)) as ReportDocument;
  };
  const source = (key: string): string => `s3://${LOCAL_BUCKET}/${key}`;
  assertDryRunReport(await report(KEYS.dryRun), sample, source(KEYS.dryRun));
  assertLiveReport(await report(KEYS.live), sample, source(KEYS.live));
  const interrupted = await report(KEYS.interrupted);
  assert.equal(interrupted.job.status, 'aborted');
  assert.equal(interrupted.error?.code, 'aborted');
  assert.deepEqual(
    driven.results.map((entry) => entry.finalized),
    ['already-finished', 'aborted', 'already-finished'],
  );
  assertDeletedExactly(
    emulator.stats().deletions.map((deletion) => deletion.id),
    sample,
  );
  assert.equal(aws.record.executions.length, 3, 'one execution per upload, redelivered events included');
  assert.deepEqual(
    aws.record.notifications.map((notification) => (notification.message as { status: string }).status).sort(),
    ['aborted', 'completed', 'completed'],
  );
  if (values['integ-cdk-out']) {
    await runDriver(
      values.node,
      EMULATOR_DRIVER,
      {
        ...awsEnv,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
        BUNDLE_EMULATOR: await emulatorBundle(values['integ-cdk-out']),
        [EMULATOR_ENV.secretId]: SECRET_ID,
        [EMULATOR_ENV.tenantSeed]: String(DEMO_TENANT.seed),
        [EMULATOR_ENV.tenantCount]: String(DEMO_TENANT.count),
        EMULATOR_CLIENT_ID: DEMO_CREDENTIALS.clientId,
        EMULATOR_CLIENT_SECRET: DEMO_CREDENTIALS.clientSecret,
        EXPECTED_USER_COUNT: String(DEMO_TENANT.count),
      },
      path.join(work, 'emulator.log'),
    );
    console.log("The integ stack's emulator bundle answered a token, a user page and its stats under Node 24");
  }
  console.log(
    `Node 24 bundles passed under ${driven.node}: ${driven.results.map((entry) => `${entry.key} ${entry.status} in ${entry.steps} step(s), finalize ${entry.finalized}`).join('; ')}`,
  );
} finally {
  await s3.close();
  await aws.close();
  await emulator.close();
  await rm(work, { recursive: true, force: true });
}
