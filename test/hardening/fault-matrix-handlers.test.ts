// Fault matrix through the Lambda handlers (step, finalize) with their real S3 adapters over a mocked bucket and the
// emulator behind the recording proxy: S3 errors on checkpoint and report writes, credentials revoked mid-run, and a
// scan of everything that leaves the handlers (logs, SNS payloads, bucket objects) for the secret and every token.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ListableObjectStore } from '../../lambda/adapters/s3-object-store.ts';
import { createSeededRandom } from '../../lambda/emulator/seeded-random.ts';
import type { Body } from '../../lambda/engine/ports.ts';
import { createFinalizeHandler } from '../../lambda/handlers/finalize-handler.ts';
import type { JobInput, StepOutput } from '../../lambda/handlers/handler-contract.ts';
import { createStepHandler } from '../../lambda/handlers/step-handler.ts';
import type { StepHarness } from '../handlers/step-harness.ts';
import { CLIENT_ID, CLIENT_SECRET, contextWith, startStepHarness } from '../handlers/step-harness.ts';
import { expectNoSecrets, safeStringify } from './capture.ts';
import { namedUsers } from './hardening-tenant.ts';
import type { RecordingProxy } from './recording-proxy.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import type { RunReport } from './run-invariants.ts';
import { expectRunInvariants } from './run-invariants.ts';

class S3WriteFault extends Error {
  override readonly name = 'InternalError';
  readonly $metadata = { httpStatusCode: 500 };
}

/** An ObjectStore whose writes fail now and then (seeded), before or after the object landed, as S3 5xx after SDK retries do. */
class FlakyWrites implements ListableObjectStore {
  failures = 0;
  constructor(
    private readonly inner: ListableObjectStore,
    private readonly shouldFail: (key: string) => 'before' | 'after' | undefined,
  ) {}
  get(key: string) {
    return this.inner.get(key);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  list(prefix: string) {
    return this.inner.list(prefix);
  }
  async put(key: string, body: Body, contentType?: string): Promise<void> {
    const fault = this.shouldFail(key);
    if (fault === 'before') {
      this.failures += 1;
      throw new S3WriteFault(`We encountered an internal error writing ${key}. Please try again.`);
    }
    await this.inner.put(key, body, contentType);
    if (fault === 'after') {
      this.failures += 1;
      throw new S3WriteFault(`connection lost after writing ${key}`);
    }
  }
}

const STEP_RETRIES = 6;

let h: StepHarness;
let proxy: RecordingProxy;
beforeEach(async () => {
  h = await startStepHarness({ users: 60 });
  proxy = await startRecordingProxy(h.emulator.url);
  h.setSecret(JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, api_url: proxy.url }));
});
afterEach(async () => {
  await proxy.close();
  await h.close();
});

function inputFor(count: number): { csv: string; plan: Set<number>; dataRows: number } {
  const users = h.emulator.users();
  const picked = users.slice(0, count);
  const lines = picked.map((user, i) =>
    i % 3 === 0 ? `${user.id},,` : i % 3 === 1 ? `,,${user.email ?? ''}` : `,${user.username ?? ''},`,
  );
  lines.push('424242,,', ',,*@example.com', `${picked[0]!.id},,`);
  const rows = lines.map((line) => {
    const [id, username, email] = line.split(',');
    return { id: id ?? '', username: username ?? '', email: email ?? '' };
  });
  return { csv: `id,username,email\n${lines.join('\n')}\n`, plan: namedUsers(rows, users), dataRows: lines.length };
}

/** The state machine: step until done, a failed step retried (Retry) up to STEP_RETRIES times, then Catch → finalize. */
async function runLikeStateMachine(job: JobInput): Promise<{ finalized: boolean; stepFailures: number }> {
  const step = createStepHandler(h.deps);
  let state: JobInput | StepOutput = job;
  let stepFailures = 0;
  for (let steps = 0; steps < 500; steps += 1) {
    let output: StepOutput | undefined;
    for (let attempt = 0; attempt < STEP_RETRIES && output === undefined; attempt += 1) {
      try {
        output = await step(state, contextWith(900_000));
      } catch {
        stepFailures += 1;
      }
    }
    if (output === undefined) {
      const finalize = createFinalizeHandler(h.deps);
      let finalized = false;
      for (let attempt = 0; attempt < STEP_RETRIES && !finalized; attempt += 1) {
        try {
          await finalize({ ...job, error: { Error: 'InternalError', Cause: 'S3 put failed' } });
          finalized = true;
        } catch {
          stepFailures += 1;
        }
      }
      expect(finalized, 'finalize succeeded within its retries').toBe(true);
      return { finalized: true, stepFailures };
    }
    if (output.done) return { finalized: false, stepFailures };
    state = output;
    h.clock.advance(output.waitSeconds * 1000);
  }
  throw new Error('job did not finish');
}

function everythingThatLeft(): string[] {
  return [
    ...h.lines.map((line) => `${line.level} ${line.message} ${safeStringify(line.fields)}`),
    ...h.notifications.map((message) => safeStringify(message)),
    ...h.published().map((message) => `${message.Subject ?? ''} ${message.Message ?? ''}`),
    ...[...h.bucket.objects.entries()]
      .filter(([key]) => !key.startsWith('dry-run/') && !key.startsWith('live/'))
      .map(([, body]) => body.toString('utf8')),
  ];
}

describe.each(['dry-run', 'live'] as const)('handlers with S3 write errors (%s)', (mode) => {
  it.each([
    { name: 'checkpoint writes fail now and then', seed: 1, rate: 0.2, keys: /checkpoint|chunk|state\// },
    { name: 'report writes fail now and then', seed: 2, rate: 0.5, keys: /report\.(json|csv)|retry\.csv|status\.json/ },
    { name: 'any write fails now and then', seed: 3, rate: 0.15, keys: /./ },
  ])('$name: retried, state never lost, one report, one notification', async ({ seed, rate, keys }) => {
    const random = createSeededRandom(seed);
    const flaky: FlakyWrites[] = [];
    const storeFor = h.deps.storeFor;
    h.deps.storeFor = (bucket) => {
      const store = new FlakyWrites(storeFor(bucket), (key) => {
        if (!keys.test(key) || random() >= rate) return undefined;
        return random() < 0.5 ? 'before' : 'after';
      });
      flaky.push(store);
      return store;
    };
    const { csv, plan, dataRows } = inputFor(24);
    const job = h.job(`${mode}/flaky-${seed}.csv`, csv);
    const { finalized, stepFailures } = await runLikeStateMachine(job);
    expect(
      flaky.reduce((sum, store) => sum + store.failures, 0),
      'faults injected',
    ).toBeGreaterThan(0);
    expect(stepFailures).toBeGreaterThan(0);
    expect(finalized).toBe(false);
    const report = expectRunInvariants({
      report: h.bucket.json<RunReport>(`${job.reportPrefix}report.json`),
      dataRows,
      deletions: h.emulator.stats().deletions,
      plan,
      mode,
      label: `${mode} seed ${seed}`,
    });
    expect(report.job.status).toBe('completed');
    expect(report.summary.failed).toBe(0);
    const settled = report.rows.filter((row) => row.outcome === (mode === 'live' ? 'deleted' : 'would-delete'));
    expect(new Set(settled.map((row) => row.user?.id))).toEqual(plan);
    expect(h.notifications).toHaveLength(1);
    expect(h.notifications[0]).toMatchObject({ status: 'completed', rows: dataRows });
    expectNoSecrets(everythingThatLeft(), [CLIENT_SECRET, ...proxy.tokens], `${mode} seed ${seed}`);
    expect(proxy.tokens.size).toBeGreaterThan(0);
  });
});

describe('credentials revoked mid-run, through the step handler', () => {
  it('live: aborted report, one notification, nothing leaked', async () => {
    let deletes = 0;
    proxy.onRequest = (request) => {
      if (request.method === 'DELETE' && (deletes += 1) === 5) h.emulator.revokeCredentials();
    };
    const { csv, plan, dataRows } = inputFor(24);
    const job = h.job('live/revoked.csv', csv);
    await runLikeStateMachine(job);
    const report = expectRunInvariants({
      report: h.bucket.json<RunReport>(`${job.reportPrefix}report.json`),
      dataRows,
      deletions: h.emulator.stats().deletions,
      plan,
      mode: 'live',
      label: 'revoked',
    });
    expect(report.job.status).toBe('aborted');
    expect(report.summary.deleted).toBeGreaterThan(0);
    expect(h.bucket.objects.has(`${job.reportPrefix}retry.csv`)).toBe(true);
    expect(h.notifications).toHaveLength(1);
    expect(h.notifications[0]).toMatchObject({ status: 'aborted' });
    expectNoSecrets(everythingThatLeft(), [CLIENT_SECRET, ...proxy.tokens], 'revoked');
  });

  it('report writes that keep failing: the step gives up, finalize writes the aborted report later', async () => {
    let reportWritesLeftToFail = STEP_RETRIES + 1;
    const storeFor = h.deps.storeFor;
    h.deps.storeFor = (bucket) =>
      new FlakyWrites(storeFor(bucket), (key) =>
        key.endsWith('report.json') && reportWritesLeftToFail-- > 0 ? 'before' : undefined,
      );
    const { csv, plan, dataRows } = inputFor(12);
    const job = h.job('live/report-down.csv', csv);
    const { finalized } = await runLikeStateMachine(job);
    expect(finalized).toBe(true);
    const report = expectRunInvariants({
      report: h.bucket.json<RunReport>(`${job.reportPrefix}report.json`),
      dataRows,
      deletions: h.emulator.stats().deletions,
      plan,
      mode: 'live',
      label: 'report down',
    });
    // Every deletion made before the writes failed is in the report.
    expect(report.summary.deleted).toBe(h.emulator.stats().deletions.length);
    expect(h.notifications.length).toBeGreaterThanOrEqual(1);
  });
});
