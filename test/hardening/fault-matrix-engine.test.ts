// Fault matrix, engine + OneLogin client against the emulator (real HTTP on loopback, seeded faults), dry run and live.
// After every scenario: the shared invariants (run-invariants.ts) and proof that the fault really happened.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import type { EmulatorOptions } from '../../lambda/emulator/emulator-types.ts';
import type { OneLoginClientOptions } from '../../lambda/onelogin/client-types.ts';
import { expectNoSecrets } from './capture.ts';
import type { EngineWorld } from './engine-scenario.ts';
import { ENGINE_CLIENT_SECRET, liveSpec, reportIn, runEngineToEnd, startEngineWorld } from './engine-scenario.ts';
import type { PlanRow } from './hardening-tenant.ts';
import { emulatorUser, namedUsers, plainUsers } from './hardening-tenant.ts';
import { expectRunInvariants } from './run-invariants.ts';

// A tenant much larger than the file, so that the engine looks users up (many calls) instead of listing the account.
const users = [
  ...plainUsers(2000),
  emulatorUser(9001, 'twin-a', 'twin@example.com'),
  emulatorUser(9002, 'twin-b', 'TWIN@example.com'),
];

const rows: PlanRow[] = [
  ...Array.from({ length: 12 }, (_, i) => ({ id: String(2001 + i) })),
  ...Array.from({ length: 10 }, (_, i) => ({
    email: i % 2 === 0 ? `u${2013 + i}@example.com` : `U${2013 + i}@EXAMPLE.com`,
  })),
  ...Array.from({ length: 8 }, (_, i) => ({ username: `u${2023 + i}` })),
  { id: '2001' },
  { id: '999999' },
  { email: 'nobody@example.com' },
  { email: '*@example.com' },
  { email: 'twin@example.com' },
  { id: '2031', email: 'u2032@example.com' },
  { id: '12ab' },
];
const csv = `id,username,email\n${rows.map((row) => `${row.id ?? ''},${row.username ?? ''},${row.email ?? ''}`).join('\n')}\n`;
const plan = namedUsers(rows, users);

interface Scenario {
  name: string;
  emulator?: Partial<EmulatorOptions>;
  client?: Partial<OneLoginClientOptions>;
  /** The scenario is void unless its fault really happened. */
  proof: (world: EngineWorld, mode: 'dry-run' | 'live') => void;
  /** Every retryable fault should be absorbed by retries: the run completes with no failed row. */
  absorbed: boolean;
}

const scenarios: Scenario[] = [
  { name: 'no fault (baseline)', proof: () => undefined, absorbed: true },
  {
    name: 'bursts of 5xx',
    emulator: { faults: { seed: 11, error5xxRate: 0.3 } },
    proof: (w) => expect(w.emulator.stats().faultsInjected.error5xx).toBeGreaterThan(3),
    absorbed: true,
  },
  {
    name: '5xx storm beyond the retry budget',
    emulator: { faults: { seed: 12, error5xxRate: 0.85 } },
    client: { maxAttempts: 2 },
    proof: (w) => expect(w.emulator.stats().faultsInjected.error5xx).toBeGreaterThan(10),
    absorbed: false,
  },
  {
    name: 'connection resets',
    emulator: { faults: { seed: 13, resetRate: 0.25 } },
    proof: (w) => expect(w.emulator.stats().faultsInjected.reset).toBeGreaterThan(3),
    absorbed: true,
  },
  {
    name: 'responses slower than the client timeout',
    emulator: { faults: { seed: 14, slowRate: 0.15, slowMs: 700 } },
    client: { requestTimeoutMs: 300 },
    proof: (w) => expect(w.emulator.stats().faultsInjected.slow).toBeGreaterThan(1),
    absorbed: true,
  },
  {
    name: '429 storm with rate headers',
    emulator: { rateLimit: { limit: 8, windowSeconds: 60, sendHeaders: true } },
    client: { rateShare: 1, concurrency: 4 },
    proof: (w) => expect(w.clock.now() - Date.UTC(2026, 10, 28, 12)).toBeGreaterThan(60_000),
    absorbed: true,
  },
  {
    name: '429 storm without rate headers',
    emulator: { rateLimit: { limit: 8, windowSeconds: 60, sendHeaders: false } },
    client: { rateShare: 1, concurrency: 4 },
    proof: (w) => expect(w.emulator.stats().rateLimited).toBeGreaterThan(0),
    absorbed: true,
  },
  {
    name: 'token expiring mid-run (short TTL on a moving clock, invalidated every 7 calls)',
    emulator: { tokenTtlSeconds: 30, invalidateTokenEvery: 7, rateLimit: { limit: 10, windowSeconds: 20 } },
    proof: (w) => expect(w.emulator.stats().tokensIssued).toBeGreaterThan(3),
    absorbed: true,
  },
  {
    name: 'DELETE applied, answer lost (reset after the delete)',
    emulator: { faults: { seed: 15, deleteThenResetRate: 0.3 } },
    proof: (w, mode) =>
      mode === 'live'
        ? expect(w.emulator.stats().faultsInjected.reset).toBeGreaterThan(0)
        : expect(w.emulator.stats().calls.delete).toBe(0),
    absorbed: true,
  },
  ...[16, 17, 18].map(
    (seed): Scenario => ({
      name: `everything at once (seed ${seed})`,
      emulator: {
        faults: { seed, error5xxRate: 0.1, resetRate: 0.1, slowRate: 0.05, slowMs: 300, deleteThenResetRate: 0.2 },
        invalidateTokenEvery: 9,
        rateLimit: { limit: 15, windowSeconds: 30, sendHeaders: false },
      },
      client: { requestTimeoutMs: 150, rateShare: 1 },
      proof: (w) => {
        const injected = w.emulator.stats().faultsInjected;
        expect(injected.error5xx + injected.reset).toBeGreaterThan(3);
      },
      absorbed: false,
    }),
  ),
];

let world: EngineWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe.each(['dry-run', 'live'] as const)('engine fault matrix (%s)', (mode) => {
  it.each(scenarios)('$name', async (scenario) => {
    world = await startEngineWorld({
      users,
      ...(scenario.emulator ? { emulator: scenario.emulator } : {}),
      ...(scenario.client ? { client: scenario.client } : {}),
    });
    const store = new MemoryObjectStore();
    const spec = liveSpec(mode);
    const result = await runEngineToEnd(spec, world.deps(store, csv), world.clock);
    scenario.proof(world, mode);
    const report = expectRunInvariants({
      report: reportIn(store, spec),
      dataRows: rows.length,
      deletions: world.emulator.stats().deletions,
      plan,
      mode,
      label: `${mode} ${scenario.name}`,
    });
    expect(report.job.status, JSON.stringify(report.error)).toBe('completed');
    expect(result.status).toBe('completed');
    if (scenario.absorbed) {
      expect(
        report.summary.failed,
        `retryable faults are absorbed: ${JSON.stringify(report.rows.filter((row) => row.outcome === 'failed'))}`,
      ).toBe(0);
      const settled = report.rows.filter(
        (row) => row.outcome === (mode === 'live' ? 'deleted' : 'would-delete') || row.outcome === 'already-absent',
      );
      expect(new Set(settled.map((row) => row.user?.id))).toEqual(plan);
    } else if (report.summary.failed > 0) {
      const retry = store.text(`${spec.reportPrefix}retry.csv`) ?? '';
      expect(retry.trim().split(/\r?\n/)).toHaveLength(1 + report.summary.failed);
    }
    if (mode === 'live') {
      // Every planned user still present is explained by a failed row (retry.csv); none is silently skipped.
      const present = new Set(world.emulator.users().map((user) => user.id));
      const stillPresent = [...plan].filter((id) => present.has(id));
      expect(stillPresent.length).toBeLessThanOrEqual(report.summary.failed);
    }
    expectNoSecrets(
      [world.logText(), ...store.keys().map((key) => store.text(key) ?? '')],
      [ENGINE_CLIENT_SECRET, ...world.proxy.tokens],
      scenario.name,
    );
    expect(world.proxy.tokens.size).toBeGreaterThan(0);
  });
});

describe('credentials revoked mid-run (token endpoint answers 401)', () => {
  it('live: stops at once, aborted, a report with every row and the rest failed for retry', async () => {
    world = await startEngineWorld({ users });
    const w = world;
    let deletes = 0;
    let revokedAt = -1;
    w.proxy.onRequest = (request) => {
      if (request.method === 'DELETE' && (deletes += 1) === 6) {
        w.emulator.revokeCredentials();
        revokedAt = w.proxy.requests.length;
      }
    };
    const store = new MemoryObjectStore();
    const spec = liveSpec('live');
    const result = await runEngineToEnd(spec, w.deps(store, csv), w.clock);
    const report = expectRunInvariants({
      report: reportIn(store, spec),
      dataRows: rows.length,
      deletions: w.emulator.stats().deletions,
      plan,
      mode: 'live',
      label: 'revoked live',
    });
    expect(result.status).toBe('aborted');
    expect(report.job.status).toBe('aborted');
    expect(report.error?.code).toMatch(/credentials|unauthorized/);
    expect(report.summary.deleted).toBeGreaterThan(0);
    expect(report.summary.deleted).toBeLessThan(plan.size);
    expect(w.emulator.stats().deletions.length).toBe(report.summary.deleted);
    // After the revocation only the DELETEs already in flight (concurrency 4) and the refused token requests went out.
    const afterRevoke = w.proxy.requests.slice(revokedAt);
    expect(afterRevoke.filter((request) => request.method === 'DELETE').length).toBeLessThanOrEqual(3);
    expect(afterRevoke.filter((request) => request.status === 200 || request.status === 204)).toEqual([]);
    expect(store.text(`${spec.reportPrefix}retry.csv`)).toBeDefined();
    expectNoSecrets(
      [w.logText(), ...store.keys().map((key) => store.text(key) ?? '')],
      [ENGINE_CLIENT_SECRET, ...w.proxy.tokens],
      'revoked live',
    );
  });

  it('dry run: refused with a report, nothing changed', async () => {
    world = await startEngineWorld({ users });
    const w = world;
    let lookups = 0;
    w.proxy.onRequest = (request) => {
      if (request.method === 'GET' && (lookups += 1) === 4) w.emulator.revokeCredentials();
    };
    const store = new MemoryObjectStore();
    const spec = liveSpec('dry-run');
    const result = await runEngineToEnd(spec, w.deps(store, csv), w.clock);
    const report = expectRunInvariants({
      report: reportIn(store, spec),
      dataRows: rows.length,
      deletions: w.emulator.stats().deletions,
      plan,
      mode: 'dry-run',
      label: 'revoked dry run',
    });
    // Nothing can have changed in a dry run: the run is refused like bad credentials (exit 2 in the CLI), with its report.
    expect(result.status).toBe('rejected');
    expect(report.job.status).toBe('rejected');
    expect(report.error?.code).toMatch(/credentials|unauthorized/);
    expect(w.emulator.users()).toHaveLength(users.length);
  });
});
