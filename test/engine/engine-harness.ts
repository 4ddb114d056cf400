// Shared test setup for the engine: users, inputs, specs, deps, running a job to its end, reading its report.
import { expect } from 'vitest';
import type { InMemoryDirectoryOptions } from '../../lambda/adapters/in-memory-user-directory.ts';
import { InMemoryUserDirectory } from '../../lambda/adapters/in-memory-user-directory.ts';
import { MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import type { EngineTuning } from '../../lambda/engine/engine-tuning.ts';
import type { EngineDeps, JobOptions, JobSpec, StepLimits, StepResult } from '../../lambda/engine/job.ts';
import { runJobStep } from '../../lambda/engine/job-runner.ts';
import type { ResolvedUser, RowOutcome } from '../../lambda/engine/outcomes.ts';
import { OUTCOMES } from '../../lambda/engine/outcomes.ts';
import type { Clock, InputSource, Logger } from '../../lambda/engine/ports.ts';
import { silentLogger } from '../../lambda/engine/ports.ts';
import type { ReportDocument } from '../../lambda/engine/report-document.ts';

export function makeUsers(count: number, firstId = 1001): ResolvedUser[] {
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    username: `user${firstId + i}`,
    email: `user${firstId + i}@example.com`,
  }));
}

export function csvSource(text: string, name = 'users.csv'): InputSource {
  return {
    name,
    open: async () =>
      (async function* () {
        yield Buffer.from(text, 'utf8');
      })(),
  };
}

export function makeSpec(
  overrides: Partial<Omit<JobSpec, 'options'>> & { options?: Partial<JobOptions> } = {},
): JobSpec {
  const { options, ...rest } = overrides;
  return {
    id: 'job-1',
    mode: 'dry-run',
    source: 'users.csv',
    reportPrefix: 'reports/job-1/',
    statePrefix: 'state/job-1/',
    ...rest,
    options: { protect: [], maxPercent: 100, ...options },
  };
}

export class FakeClock implements Clock {
  constructor(public time = Date.UTC(2026, 10, 28, 12, 0, 0)) {}
  now(): number {
    return this.time;
  }
  async sleep(ms: number): Promise<void> {
    this.time += ms;
  }
}

export interface Harness {
  spec: JobSpec;
  store: MemoryObjectStore;
  directory: InMemoryUserDirectory;
  deps: EngineDeps;
  clock: FakeClock;
  logs: { level: string; message: string; fields?: Record<string, unknown> }[];
}

export function makeHarness(options: {
  csv: string;
  users?: ResolvedUser[];
  directory?: InMemoryDirectoryOptions;
  spec?: Parameters<typeof makeSpec>[0];
  tuning?: Partial<EngineTuning>;
}): Harness {
  const store = new MemoryObjectStore();
  const directory = new InMemoryUserDirectory(options.users ?? makeUsers(100), options.directory);
  const clock = new FakeClock();
  const logs: Harness['logs'] = [];
  const logger: Logger = {
    debug: (message, fields) => logs.push({ level: 'debug', message, ...(fields ? { fields } : {}) }),
    info: (message, fields) => logs.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    warn: (message, fields) => logs.push({ level: 'warn', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => logs.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
  };
  const spec = makeSpec(options.spec);
  const deps: EngineDeps = { store, input: csvSource(options.csv), directory, clock, logger };
  if (options.tuning) deps.tuning = options.tuning;
  return { spec, store, directory, deps, clock, logs };
}

/** Runs steps until the job is done (a wait advances the fake clock). */
export async function runToEnd(
  h: Pick<Harness, 'spec' | 'deps'> & { clock?: FakeClock },
  limits: StepLimits = {},
  maxSteps = 10_000,
): Promise<StepResult> {
  for (let step = 0; step < maxSteps; step += 1) {
    const result = await runJobStep(h.spec, h.deps, limits);
    if (result.done) return result;
    if (h.clock) h.clock.time += result.waitSeconds * 1000;
  }
  throw new Error('job did not finish');
}

export type Report = ReportDocument;

export function readReport(h: Pick<Harness, 'store' | 'spec'>): Report {
  const text = h.store.text(`${h.spec.reportPrefix}report.json`);
  if (text === undefined) throw new Error('no report.json');
  const report = JSON.parse(text) as Report;
  expectConsistent(report);
  return report;
}

/** The report's own invariants: sorted unique lines, one outcome per row, summary = per-row counts. */
export function expectConsistent(report: Report): void {
  const lines = report.rows.map((row) => row.line);
  expect(lines).toEqual([...lines].sort((a, b) => a - b));
  expect(new Set(lines).size).toBe(lines.length);
  expect(report.summary.rows).toBe(report.rows.length);
  for (const outcome of OUTCOMES) {
    expect(report.summary[outcome], outcome).toBe(report.rows.filter((row) => row.outcome === outcome).length);
  }
  const byKind = Object.values(report.summary.apiCallsByKind).reduce((a, b) => a + b, 0);
  expect(report.summary.apiCalls).toBe(byKind);
}

export function rowAt(report: Report, line: number): RowOutcome {
  const row = report.rows.find((r) => r.line === line);
  if (!row) throw new Error(`no row at line ${line}`);
  return row;
}

export { silentLogger };
