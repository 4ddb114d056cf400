// `npm run bench [-- --quick] [-- --only calls,budget,overhead,memory,bundles] [-- --out FILE]`
// Runs every measure against the OneLogin emulator, prints tables, writes the figures to bench/results/latest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmulatorUser } from '../lambda/emulator/emulator-types.ts';
import { generateTenant } from '../lambda/emulator/tenant-generator.ts';
import type { BenchResults } from './bench-results.ts';
import { type CallsCase, type CallsResult, measureCallsPerRow } from './calls-per-row.ts';
import { FILE_KINDS } from './csv-files.ts';
import { measureEngineOverhead } from './engine-overhead.ts';
import { measureBundles } from './lambda-bundles.ts';
import { measureLargeFiles } from './large-file.ts';
import { type BoundCase, type BoundResult, measurePlanBound, planBoundTable } from './plan-bound.ts';
import { project, REAL_LIMIT_PER_HOUR, REAL_RATE_SHARE } from './projection.ts';
import { measureRateBudget, type RateBudgetCase } from './rate-budget.ts';
import { fixed, percent, table } from './report-table.ts';
import { evaluateTargets } from './targets.ts';
import { measureUndo, type UndoCase, type UndoResult, undoTables } from './undo-calls.ts';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MEASURES = ['calls', 'plans', 'undo', 'budget', 'overhead', 'memory', 'bundles'] as const;
type Measure = (typeof MEASURES)[number];

interface Plan {
  quick: boolean;
  callsCases: CallsCase[];
  boundCases: BoundCase[];
  undoCases: UndoCase[];
  budgetCases: RateBudgetCase[];
  budgetConcurrently: boolean;
  overheadRows: number;
  largeRows: number;
  largeKinds: string[];
  bundleRuns: number;
}

function planFor(quick: boolean): Plan {
  const callsCases: CallsCase[] = [];
  if (quick) {
    for (const mode of ['dry-run', 'live'] as const)
      for (const kind of FILE_KINDS) callsCases.push({ kind, rows: 1000, accountUsers: 10_000, mode });
    for (const kind of ['ids', 'emails'] as const)
      callsCases.push({ kind, rows: 10_000, accountUsers: 100_000, mode: 'dry-run' });
  } else {
    for (const accountUsers of [10_000, 100_000]) {
      for (const rows of [1000, 10_000]) {
        for (const mode of ['dry-run', 'live'] as const)
          for (const kind of FILE_KINDS) callsCases.push({ kind, rows, accountUsers, mode });
      }
    }
  }
  // Quick mode runs the three cases (three separate accounts) side by side.
  const window = { limit: 600, windowSeconds: 6 };
  const windows = 5;
  const budgetCases: RateBudgetCase[] = [
    { name: 'one run, rate headers', ...window, windows, sendHeaders: true, runs: 1 },
    // Without headers the pacer first learns the window from 429s: more windows show where it settles.
    { name: 'one run, no rate headers', ...window, windows: 8, sendHeaders: false, runs: 1 },
    { name: 'two runs, one account', ...window, windows, sendHeaders: true, runs: 2 },
  ];
  return {
    quick,
    callsCases,
    boundCases: (['ids', 'emails'] as const).map((kind) => ({
      kind,
      rows: 10_000,
      accountUsers: quick ? 10_000 : 100_000,
    })),
    undoCases: [
      quick
        ? { rows: 1000, accountUsers: 10_000, restoreUsers: 40 }
        : { rows: 10_000, accountUsers: 100_000, restoreUsers: 1000 },
    ],
    budgetCases,
    budgetConcurrently: quick,
    overheadRows: quick ? 2000 : 10_000,
    largeRows: quick ? 200_000 : 1_000_000,
    largeKinds: ['ids', 'mixed'],
    bundleRuns: quick ? 5 : 9,
  };
}

function parseArgs(argv: string[]): { quick: boolean; only: Set<Measure>; out: string } {
  let quick = false;
  let only = new Set<Measure>(MEASURES);
  let out = path.join(PROJECT_ROOT, 'bench/results/latest.json');
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--quick') quick = true;
    else if (arg === '--only') {
      const names = (argv[(index += 1)] ?? '').split(',').filter((name) => name !== '');
      for (const name of names)
        if (!(MEASURES as readonly string[]).includes(name))
          throw new Error(`--only: unknown measure ${name} (${MEASURES.join(', ')})`);
      only = new Set(names as Measure[]);
    } else if (arg === '--out') out = path.resolve(argv[(index += 1)] ?? out);
    else if (arg !== '--')
      throw new Error(
        `unknown argument ${arg}; usage: npm run bench -- [--quick] [--only ${MEASURES.join(',')}] [--out FILE]`,
      );
  }
  return { quick, only, out };
}

interface BenchContext {
  plan: Plan;
  results: BenchResults;
  /** A progress line on stderr, stamped with the seconds since the start. */
  log: (text: string) => void;
  /** The generated account of `count` users (seed 42), generated once per size. */
  tenant: (count: number) => EmulatorUser[];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const plan = planFor(args.quick);
  const started = Date.now();
  const results = initialResults(plan, started);
  const context: BenchContext = {
    plan,
    results,
    log: (text) => void process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}\n`),
    tenant: tenantCache(),
  };
  console.log(
    `onelogin-bulk-delete benchmark (${plan.quick ? 'quick' : 'full'}), ${results.environment.node}, ${results.environment.cpus} cores`,
  );

  if (args.only.has('calls')) await runCallsPerRow(context);
  if (args.only.has('plans')) await runPlanBound(context);
  if (args.only.has('undo')) await runUndo(context);
  if (args.only.has('budget')) await runRateBudget(context);
  if (args.only.has('overhead')) await runEngineOverhead(context);
  if (args.only.has('memory')) await runLargeFiles(context);
  if (args.only.has('bundles')) await runBundles(context);
  if (results.projection) console.log(projectionTable(results.projection));

  await finish(results, args.out, started);
}

function initialResults(plan: Plan, started: number): BenchResults {
  const cpus = os.cpus();
  return {
    startedAt: new Date(started).toISOString(),
    quick: plan.quick,
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? 'unknown',
    },
  };
}

function tenantCache(): (count: number) => EmulatorUser[] {
  const tenants = new Map<number, EmulatorUser[]>();
  return (count) => {
    let users = tenants.get(count);
    if (!users) tenants.set(count, (users = generateTenant({ seed: 42, count, directoryShare: 0 })));
    return users;
  };
}

async function runCallsPerRow({ plan, results, log, tenant }: BenchContext): Promise<void> {
  const calls: CallsResult[] = [];
  for (const testCase of plan.callsCases) {
    log(`calls per row: ${testCase.kind}, ${testCase.rows} rows, ${testCase.accountUsers} users, ${testCase.mode}`);
    calls.push(await measureCallsPerRow(testCase, tenant(testCase.accountUsers)));
  }
  results.callsPerRow = calls;
  console.log(callsTable(calls));
  const basis = pickProjectionBasis(calls);
  results.projection = {
    limitPerHour: REAL_LIMIT_PER_HOUR,
    rateShare: REAL_RATE_SHARE,
    basis: basis.description,
    rows: basis.cases.flatMap((r) => project(r.kind, r.product.callsPerRow, r.baseline.callsPerRow)),
  };
}

function callsTable(calls: CallsResult[]): string {
  return table(
    '1. API calls per row (product vs delete_users.rb-style baseline; rate limit off)',
    [
      'file',
      'rows',
      'account',
      'mode',
      'product calls',
      'calls/row',
      'baseline calls/row',
      'ratio',
      'product s',
      'baseline s',
      'outcomes',
    ],
    calls.map((r) => [
      r.kind,
      r.rows,
      r.accountUsers,
      r.mode,
      r.product.calls,
      fixed(r.product.callsPerRow, 4),
      fixed(r.baseline.callsPerRow, 4),
      fixed(r.ratio, 3),
      fixed(r.product.elapsedMs / 1000, 1),
      fixed(r.baseline.elapsedMs / 1000, 1),
      Object.entries(r.product.outcomes)
        .filter(([, count]) => count > 0)
        .map(([outcome, count]) => `${outcome} ${count}`)
        .join(', '),
    ]),
  );
}

async function runPlanBound({ plan, results, log, tenant }: BenchContext): Promise<void> {
  const bound: BoundResult[] = [];
  for (const testCase of plan.boundCases) {
    log(`live bound to a plan: ${testCase.kind}, ${testCase.rows} rows, ${testCase.accountUsers} users`);
    bound.push(await measurePlanBound(testCase, tenant(testCase.accountUsers)));
  }
  results.planBound = bound;
  console.log(planBoundTable(bound));
}

async function runUndo({ plan, results, log, tenant }: BenchContext): Promise<void> {
  const undo: UndoResult[] = [];
  for (const testCase of plan.undoCases) {
    log(
      `snapshots and restore: ${testCase.rows} rows, ${testCase.accountUsers} users, ${testCase.restoreUsers} restored`,
    );
    undo.push(await measureUndo(testCase, tenant(testCase.accountUsers)));
  }
  results.undo = undo;
  console.log(undoTables(undo));
}

async function runRateBudget({ plan, results, log, tenant }: BenchContext): Promise<void> {
  log(`rate budget: ${plan.budgetCases.length} cases${plan.budgetConcurrently ? ', side by side' : ''}`);
  const budgetTenant = tenant(10_000);
  const budget = plan.budgetConcurrently
    ? await Promise.all(plan.budgetCases.map((testCase) => measureRateBudget(testCase, budgetTenant)))
    : await sequentially(plan.budgetCases, (testCase) => measureRateBudget(testCase, budgetTenant));
  results.rateBudget = budget;
  console.log(
    table(
      '2. Rate-budget use (live run, ids file; emulator window scaled down; rateShare 0.8)',
      [
        'case',
        'limit/window',
        'windows',
        'accepted per window',
        'share of allowed used',
        '429s per window',
        'max 429s in a window',
        'no 429 from window',
        'share used from there',
      ],
      budget.map((r) => [
        r.name,
        `${r.limit}/${r.windowSeconds} s`,
        r.windows,
        r.acceptedByWindow.join(' '),
        percent(r.budgetUsed),
        r.rateLimitedByWindow.join(' '),
        r.max429PerWindow,
        r.settledFromWindow ?? 'never',
        r.settledBudgetUsed === null ? '-' : percent(r.settledBudgetUsed),
      ]),
    ),
  );
}

async function runEngineOverhead({ plan, results, log, tenant }: BenchContext): Promise<void> {
  log(`engine overhead: ${plan.overheadRows} rows`);
  const overheadTenant = tenant(Math.max(10_000, plan.overheadRows * 2));
  await measureEngineOverhead(Math.min(1000, plan.overheadRows), overheadTenant); // warm-up: JIT, sockets
  const overhead = await measureEngineOverhead(plan.overheadRows, overheadTenant);
  results.engineOverhead = overhead;
  console.log(
    table(
      '3. Engine overhead (live run, rate limit off, same DELETEs, same concurrency)',
      ['rows', 'concurrency', 'product rows/s', 'raw undici rows/s', 'product ÷ raw'],
      [
        [
          overhead.rows,
          overhead.concurrency,
          fixed(overhead.productRowsPerSecond, 0),
          fixed(overhead.rawRowsPerSecond, 0),
          fixed(overhead.ratio, 3),
        ],
      ],
    ),
  );
}

async function runLargeFiles({ plan, results, log }: BenchContext): Promise<void> {
  log(`large file: ${plan.largeRows} rows (${plan.largeKinds.join(', ')}), child processes`);
  const large = await measureLargeFiles(plan.largeRows, plan.largeKinds);
  results.largeFile = large;
  console.log(
    table(
      `4. Validate + plan a large file (child process, synthetic account of 2× the rows; idle child peak RSS ${fixed(large.idlePeakRssMb, 0)} MB)`,
      ['file', 'rows', 'peak RSS MB', 'time s', 'CPU s', 's per 100k rows', 'directory calls'],
      large.runs.map((r) => [
        r.kind,
        r.rows,
        fixed(r.peakRssMb, 0),
        fixed(r.planMs / 1000, 1),
        fixed(r.cpuMs / 1000, 1),
        fixed(r.msPer100kRows / 1000, 2),
        r.apiCalls,
      ]),
    ),
  );
}

async function runBundles({ plan, results, log }: BenchContext): Promise<void> {
  log('lambda bundles: esbuild + import timing');
  const bundles = await measureBundles(PROJECT_ROOT, plan.bundleRuns);
  results.bundles = bundles;
  console.log(
    table(
      `5. Lambda bundles (esbuild as the stack bundles; init = spawn→import resolved minus empty module ${fixed(bundles.emptyModuleMs, 0)} ms, median of ${plan.bundleRuns})`,
      ['handler', 'bytes', 'KB', 'init ms'],
      bundles.bundles.map((b) => [b.handler, b.bytes, fixed(b.bytes / 1024, 0), fixed(b.initMs, 0)]),
    ),
  );
}

function projectionTable(projection: NonNullable<BenchResults['projection']>): string {
  return table(
    `6. Projected wall time of a live run at ${REAL_LIMIT_PER_HOUR} calls/hour × ${REAL_RATE_SHARE} share (${projection.basis})`,
    ['file', 'users', 'product calls/row', 'product hours', 'baseline calls/row', 'baseline hours', 'saved hours'],
    projection.rows.map((p) => [
      p.kind,
      p.users,
      fixed(p.productCallsPerRow, 4),
      fixed(p.productHours, 2),
      fixed(p.baselineCallsPerRow, 4),
      fixed(p.baselineHours, 2),
      fixed(p.baselineHours - p.productHours, 2),
    ]),
  );
}

/** Checks the targets, prints them, and writes the figures to `out`. */
async function finish(results: BenchResults, out: string, started: number): Promise<void> {
  results.targets = evaluateTargets(results);
  console.log(
    table(
      'Targets',
      ['target', 'measured', 'limit', 'result'],
      results.targets.map((t) => [t.name, t.measured, t.limit, t.pass ? 'PASS' : 'FAIL']),
    ),
  );
  results.finishedAt = new Date().toISOString();
  results.elapsedSeconds = (Date.now() - started) / 1000;
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(
    `\n${results.targets.filter((t) => !t.pass).length} of ${results.targets.length} targets missed; ${fixed(results.elapsedSeconds, 0)} s; figures in ${path.relative(process.cwd(), out)}`,
  );
}

/** Live runs on the largest files measured, for the three kinds a real file is likely to be. */
function pickProjectionBasis(calls: CallsResult[]): { description: string; cases: CallsResult[] } {
  const live = calls.filter((r) => r.mode === 'live');
  const largest = Math.max(...live.map((r) => r.rows * 1e6 + r.accountUsers));
  const cases = live.filter((r) => r.rows * 1e6 + r.accountUsers === largest);
  const first = cases[0];
  return {
    description: first
      ? `calls/row of live ${first.rows}-row files against ${first.accountUsers} users`
      : 'no live run measured',
    cases,
  };
}

async function sequentially<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const item of items) out.push(await work(item));
  return out;
}

await main();
