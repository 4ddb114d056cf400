// Under the Lambda runtime's Node (24): imports the three handler bundles exactly as `cdk synth` built them and runs
// each job of the plan through them, as the state machine would: on-upload → step until done → finalize.
// Plain JavaScript on purpose (no tsx): only the bundles run here. The infrastructure (s3rver, the OneLogin emulator,
// the fake AWS services) runs under Node 20 in run-pipeline.ts, which starts this script and checks the results.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

const MAX_STEPS = 40;
const STEP_TIME_MS = 60_000;

function required(name) {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`run-bundles: ${name} is not set`);
  return value;
}

async function importBundle(file) {
  const module = await import(pathToFileURL(file).href);
  assert.equal(typeof module.handler, 'function', `${file} exports no handler`);
  return module.handler;
}

function lambdaContext(remainingMs) {
  const deadline = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}

async function startedExecution(fakeAwsUrl, key) {
  const record = await (await fetch(`${fakeAwsUrl}/__recorded`)).json();
  const matching = record.executions.filter((execution) => execution.input.key === key);
  assert.equal(matching.length, 1, `one execution for ${key}`);
  return matching[0].input;
}

function statusChange(input, status) {
  return {
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: { status, name: input.jobId, input: JSON.stringify(input), error: null, cause: null },
  };
}

async function runToEnd(step, input) {
  let payload = input;
  for (let steps = 1; steps <= MAX_STEPS; steps += 1) {
    const output = await step(payload, lambdaContext(STEP_TIME_MS));
    if (output.done) return { steps, status: output.status };
    await sleep(Math.min(output.waitSeconds, 2) * 1000);
    payload = output;
  }
  throw new Error(`${input.key} did not finish in ${MAX_STEPS} steps`);
}

async function runJob(handlers, fakeAwsUrl, job) {
  await handlers.onUpload(job.event);
  // A redelivered event must not start a second execution.
  await handlers.onUpload(job.event);
  const key = job.event.Records[0].s3.object.key;
  const input = await startedExecution(fakeAwsUrl, key);
  if (job.run === 'complete') {
    const { steps, status } = await runToEnd(handlers.step, input);
    // An execution stopped after its last step: finalize leaves the finished report alone.
    const finalized = await handlers.finalize(statusChange(input, 'ABORTED'));
    return { key, jobId: input.jobId, reportPrefix: input.reportPrefix, steps, status, finalized };
  }
  // Interrupted: one step whose Lambda has almost no time left, then the operator stops the execution.
  const first = await handlers.step(input, lambdaContext(Number(required('STEP_SAFETY_MARGIN_MS')) + 1));
  const finalized = await handlers.finalize(statusChange(input, 'ABORTED'));
  return { key, jobId: input.jobId, reportPrefix: input.reportPrefix, steps: 1, status: first.status, finalized };
}

const major = Number(process.versions.node.split('.')[0]);
assert.equal(major, 24, `run-bundles must run under Node 24, not ${process.version}`);
const handlers = {
  onUpload: await importBundle(required('BUNDLE_ON_UPLOAD')),
  step: await importBundle(required('BUNDLE_STEP')),
  finalize: await importBundle(required('BUNDLE_FINALIZE')),
};
const plan = JSON.parse(await readFile(required('RUN_PLAN_FILE'), 'utf8'));
const results = [];
for (const job of plan) results.push(await runJob(handlers, required('FAKE_AWS_URL'), job));
await writeFile(required('RUN_RESULTS_FILE'), JSON.stringify({ node: process.version, results }, null, 2));
