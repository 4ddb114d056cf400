// One engine run against the OneLogin emulator behind the recording proxy, on a virtual clock shared by the emulator
// (token expiry, rate-limit windows) and the client (backoff, pacing): faults are real HTTP, waits cost no time.
import type { MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import { OneLoginUserDirectory } from '../../lambda/adapters/onelogin-user-directory.ts';
import type { EmulatorOptions, EmulatorUser, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import type { EngineTuning } from '../../lambda/engine/engine-tuning.ts';
import type { EngineDeps, JobSpec, StepResult } from '../../lambda/engine/job.ts';
import { runJobStep } from '../../lambda/engine/job-runner.ts';
import type { Clock, ObjectStore } from '../../lambda/engine/ports.ts';
import type { OneLoginClientOptions } from '../../lambda/onelogin/client-types.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import { csvSource, makeSpec } from '../engine/engine-harness.ts';
import type { CapturedLine } from './capture.ts';
import { capturingLogger } from './capture.ts';
import type { RecordingProxy } from './recording-proxy.ts';
import { startRecordingProxy } from './recording-proxy.ts';
import type { RunReport } from './run-invariants.ts';

export const ENGINE_CLIENT_ID = 'hardening-client-id-4e2d';
export const ENGINE_CLIENT_SECRET = 'hardening-secret-Zq81-x7Kd';

export interface VirtualClock extends Clock {
  advance(ms: number): void;
}

/**
 * Virtual time: a sleep ends at once, moving the clock to its wake-up time. Sleeps that run side by side overlap (each
 * wakes at its own start + ms) instead of adding up, as they would in real time.
 */
export function virtualClock(start = Date.UTC(2026, 10, 28, 12)): VirtualClock {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      const wake = now + ms;
      await new Promise((resolve) => setImmediate(resolve));
      if (wake > now) now = wake;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface EngineWorld {
  emulator: OneLoginEmulator;
  proxy: RecordingProxy;
  client: OneLoginClient;
  directory: OneLoginUserDirectory;
  clock: VirtualClock;
  logs: CapturedLine[];
  logText: () => string;
  deps(store: ObjectStore, csv: string | Uint8Array): EngineDeps;
  close(): Promise<void>;
}

export async function startEngineWorld(options: {
  users: EmulatorUser[];
  emulator?: Partial<EmulatorOptions>;
  client?: Partial<OneLoginClientOptions>;
  tuning?: Partial<EngineTuning>;
}): Promise<EngineWorld> {
  const clock = virtualClock();
  const emulator = await createOneLoginEmulator({
    users: options.users,
    clientId: ENGINE_CLIENT_ID,
    clientSecret: ENGINE_CLIENT_SECRET,
    rateLimit: null,
    host: '127.0.0.1',
    port: 0,
    now: clock.now,
    ...options.emulator,
  });
  const proxy = await startRecordingProxy(emulator.url);
  const client = new OneLoginClient({
    apiUrl: proxy.url,
    credentials: { clientId: ENGINE_CLIENT_ID, clientSecret: ENGINE_CLIENT_SECRET },
    // Backoff and pacing use the virtual clock: the product's default delays, at no cost in test time.
    requestTimeoutMs: 5_000,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    ...options.client,
  });
  const directory = new OneLoginUserDirectory(client, { idBatchSize: 10, listPageLimit: 50 });
  const captured = capturingLogger();
  return {
    emulator,
    proxy,
    client,
    directory,
    clock,
    logs: captured.lines,
    logText: captured.text,
    deps: (store, csv) => ({
      store,
      input:
        typeof csv === 'string'
          ? csvSource(csv)
          : {
              name: 'users.csv',
              open: async () =>
                (async function* () {
                  yield csv;
                })(),
            },
      directory,
      clock,
      logger: captured.logger,
      ...(options.tuning ? { tuning: options.tuning } : {}),
    }),
    async close() {
      await client.close();
      await proxy.close();
      await emulator.close();
    },
  };
}

/** Steps until done; a wait advances the virtual clock; a thrown step is retried like the state machine's Retry. */
export async function runEngineToEnd(
  spec: JobSpec,
  deps: EngineDeps,
  clock: VirtualClock,
  options: { maxSteps?: number; onThrow?: (error: unknown) => void } = {},
): Promise<StepResult> {
  for (let step = 0; step < (options.maxSteps ?? 2_000); step += 1) {
    try {
      const result = await runJobStep(spec, deps);
      if (result.done) return result;
      clock.advance(result.waitSeconds * 1000);
    } catch (error) {
      if (options.onThrow === undefined) throw error;
      options.onThrow(error);
    }
  }
  throw new Error('job did not finish');
}

export function liveSpec(mode: 'dry-run' | 'live', id = 'hardening-job'): JobSpec {
  return makeSpec({ id, mode, reportPrefix: `reports/${id}/`, statePrefix: `state/${id}/` });
}

export function reportIn(store: MemoryObjectStore, spec: JobSpec): RunReport | undefined {
  const text = store.text(`${spec.reportPrefix}report.json`);
  return text === undefined ? undefined : (JSON.parse(text) as RunReport);
}
