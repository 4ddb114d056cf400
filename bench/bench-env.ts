// What every benchmark shares: an emulator holding a given tenant, the product's client and directory against it,
// an in-memory input, and a driver that runs the engine's steps until the job is done.

import { MemoryObjectStore } from '../lambda/adapters/memory-object-store.ts';
import { OneLoginUserDirectory } from '../lambda/adapters/onelogin-user-directory.ts';
import type {
  EmulatorRole,
  EmulatorStats,
  EmulatorUser,
  OneLoginEmulator,
  RateLimitConfig,
} from '../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../lambda/emulator/onelogin-emulator.ts';
import type { JobSpec, StepResult } from '../lambda/engine/job.ts';
import { runJobStep } from '../lambda/engine/job-runner.ts';
import type { Action, Mode } from '../lambda/engine/outcomes.ts';
import type { PlanDocument } from '../lambda/engine/plan/plan-document.ts';
import type { InputSource, ObjectStore, UserDirectory } from '../lambda/engine/ports.ts';
import { silentLogger, systemClock } from '../lambda/engine/ports.ts';
import { OneLoginClient } from '../lambda/onelogin/onelogin-client.ts';
import { PLAN_MAX_AGE_HOURS } from '../lambda/settings/plan-settings.ts';
import { CONCURRENCY, RATE_SHARE } from '../lambda/settings/run-settings.ts';

export const BENCH_CREDENTIALS = { clientId: 'bench-client', clientSecret: 'bench-secret-not-real' } as const;

/** The product's defaults (lambda/settings/run-settings.ts): 4 requests in flight, 80 % of the account's limit. */
export const PRODUCT_CONCURRENCY = CONCURRENCY.default;
export const PRODUCT_RATE_SHARE = RATE_SHARE.default;

export async function startEmulator(
  users: EmulatorUser[],
  rateLimit: RateLimitConfig | null = null,
  options: { listIncludesCustomAttributes?: boolean; roles?: EmulatorRole[] } = {},
): Promise<OneLoginEmulator> {
  // The store keeps the objects it is given and deletes from its own maps; copies keep `users` reusable across runs.
  return createOneLoginEmulator({
    users: users.map((user) => ({ ...user })),
    clientId: BENCH_CREDENTIALS.clientId,
    clientSecret: BENCH_CREDENTIALS.clientSecret,
    rateLimit,
    ...options,
  });
}

export function createBenchClient(
  apiUrl: string,
  overrides: { concurrency?: number; rateShare?: number } = {},
): OneLoginClient {
  return new OneLoginClient({
    apiUrl,
    credentials: { ...BENCH_CREDENTIALS },
    concurrency: overrides.concurrency ?? PRODUCT_CONCURRENCY,
    rateShare: overrides.rateShare ?? PRODUCT_RATE_SHARE,
    // As the CLI and the Lambda handlers configure it.
    probeRateStatus: true,
  });
}

export function createBenchDirectory(client: OneLoginClient): OneLoginUserDirectory {
  return new OneLoginUserDirectory(client);
}

export function memoryInput(name: string, text: string): InputSource {
  const bytes = Buffer.from(text, 'utf8');
  return {
    name,
    open: async () =>
      (async function* () {
        // Several chunks, as a stream would deliver them, so the reader's chunk handling is exercised.
        for (let start = 0; start < bytes.length; start += 64 * 1024) yield bytes.subarray(start, start + 64 * 1024);
      })(),
  };
}

export interface EngineRun {
  result: StepResult;
  elapsedMs: number;
  steps: number;
}

export interface EngineRunOptions {
  mode: Mode;
  input: InputSource;
  directory: UserDirectory;
  store?: ObjectStore;
  jobId?: string;
  signal?: AbortSignal;
  /** Stop once the plan is made (measures validate + plan only). */
  stopAfterPlan?: boolean;
  /** A live run bound to this reviewed plan. */
  plan?: PlanDocument;
  /** What the run does to each user (default delete). */
  action?: Action;
  /** What snapshot.jsonl keeps (default full). */
  snapshot?: 'full' | 'basic';
}

/** Runs the engine's steps back to back, as the CLI does, waiting when a step asks to. */
export async function runEngine(options: EngineRunOptions): Promise<EngineRun> {
  const jobId = options.jobId ?? `bench-${options.mode}`;
  const spec: JobSpec = {
    id: jobId,
    mode: options.mode,
    source: options.input.name,
    // The benchmark deletes large shares of synthetic accounts: the deletion budget would refuse them.
    options: {
      protect: [],
      maxPercent: 100,
      planMaxAgeHours: PLAN_MAX_AGE_HOURS.default,
      ...(options.snapshot ? { snapshot: options.snapshot } : {}),
    },
    ...(options.action ? { action: options.action } : {}),
    reportPrefix: `reports/${jobId}/`,
    statePrefix: `state/${jobId}/`,
    ...(options.plan ? { plan: options.plan } : {}),
  };
  const deps = {
    store: options.store ?? new MemoryObjectStore(),
    input: options.input,
    directory: options.directory,
    clock: systemClock,
    logger: silentLogger,
  };
  const started = performance.now();
  let steps = 0;
  for (;;) {
    steps += 1;
    const limits = {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.stopAfterPlan ? { stopAfterPlan: true } : {}),
    };
    const result = await runJobStep(spec, deps, limits);
    const planOnlyDone = options.stopAfterPlan === true && result.plan !== undefined;
    if (result.done || planOnlyDone || options.signal?.aborted)
      return { result, elapsedMs: performance.now() - started, steps };
    if (result.waitSeconds > 0) await systemClock.sleep(result.waitSeconds * 1000);
    if (steps > 10_000) throw new Error('the engine did not finish after 10,000 steps');
  }
}

/** Every call the emulator answered or refused, of every kind. */
export function totalCalls(stats: EmulatorStats): number {
  return Object.values(stats.calls).reduce((sum, calls) => sum + calls, 0);
}
