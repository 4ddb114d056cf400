// Property-based: generated tenants (shared emails, case variants, odd characters) and generated files (valid,
// invalid, duplicate and wildcard rows, three separators, quoting) run dry and then live against the emulator.
// Invariants: every row exactly one outcome; deletions ⊆ what the file names unambiguously (worked out by the test);
// nobody deleted twice; would-delete in the dry run ⇔ deleted in the live run (no faults) ⇔ the test's own plan.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryObjectStore } from '../../lambda/adapters/memory-object-store.ts';
import type { EmulatorUser } from '../../lambda/emulator/emulator-types.ts';
import { liveSpec, reportIn, runEngineToEnd, startEngineWorld } from './engine-scenario.ts';
import type { PlanRow } from './hardening-tenant.ts';
import { emulatorUser, namedUsers } from './hardening-tenant.ts';
import { expectRunInvariants } from './run-invariants.ts';

const NAME_PARTS = [
  'ann',
  'bo',
  'cy',
  'dé',
  'e+f',
  'g h',
  'i?j',
  'k&l',
  'm#n',
  'o%p',
  'q/r',
  's"t',
  'u,v',
  'w;x',
] as const;
const DOMAINS = ['example.com', 'ex.org'] as const;

const tenantArbitrary = fc
  .uniqueArray(fc.record({ name: fc.constantFrom(...NAME_PARTS), n: fc.integer({ min: 0, max: 3 }) }), {
    minLength: 3,
    maxLength: 14,
    selector: (part) => `${part.name}${part.n}`,
  })
  .chain((parts) =>
    fc.tuple(
      fc.constant(parts),
      // A few users share an email address (OneLogin allows it); some have none.
      fc.array(fc.integer({ min: 0, max: 5 }), { minLength: parts.length, maxLength: parts.length }),
    ),
  )
  .map(([parts, emailPicks]) =>
    parts.map((part, index): EmulatorUser => {
      const username = `${part.name}${part.n}`;
      const pick = emailPicks[index] ?? 0;
      const email =
        pick === 0
          ? null
          : pick === 1
            ? 'shared@example.com'
            : `${username.replace(/[^a-z0-9+%&?#/]/g, '')}${pick}@${DOMAINS[pick % 2]}`;
      return emulatorUser(100 + index * 7, username, email);
    }),
  );

type Cell = { id?: string; username?: string; email?: string };

function cellArbitrary(users: readonly EmulatorUser[]): fc.Arbitrary<Cell> {
  const user = fc.constantFrom(...users);
  const caseOf = (value: string) => fc.constantFrom(value, value.toUpperCase(), ` ${value} `);
  return fc.oneof(
    user.map((u) => ({ id: String(u.id) })),
    user.map((u) => ({ id: `00${u.id}` })),
    user.chain((u) => caseOf(u.username ?? 'none').map((username) => ({ username }))),
    user.filter((u) => u.email !== null).chain((u) => caseOf(u.email!).map((email) => ({ email }))),
    fc.tuple(user, user).map(([a, b]) => ({ id: String(a.id), email: b.email ?? 'x@example.com' })),
    fc.tuple(user, user).map(([a, b]) => ({ id: String(a.id), username: b.username ?? 'x' })),
    fc.integer({ min: 1, max: 99 }).map((n) => ({ id: String(90_000 + n) })),
    fc.constantFrom(...NAME_PARTS).map((name) => ({ username: `${name}9` })),
    fc.constantFrom('nobody@example.com', 'shared@ex.org').map((email) => ({ email })),
    fc
      .constantFrom('*', 'ann*', '!bo0', '*@example.com')
      .map((value) => (value.includes('@') ? { email: value } : { username: value })),
    fc.constantFrom('12a', '-3', '0', '1.0').map((id) => ({ id })),
    fc.constantFrom('no-at-sign', 'two@@example.com', 'sp ace@example.com').map((email) => ({ email })),
    fc.constant({}),
  );
}

function field(value: string, separator: string, quoteAll: boolean): string {
  const needs = value.includes(separator) || value.includes('"') || /^\s|\s$/.test(value) || value.includes('\n');
  return quoteAll || needs ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvOf(cells: readonly Cell[], separator: string, quoteAll: boolean, crlf: boolean): string {
  const eol = crlf ? '\r\n' : '\n';
  const lines = [['id', 'username', 'email'].join(separator)];
  for (const cell of cells)
    lines.push(
      [cell.id ?? '', cell.username ?? '', cell.email ?? '']
        .map((value) => field(value, separator, quoteAll))
        .join(separator),
    );
  return lines.join(eol) + eol;
}

const caseArbitrary = tenantArbitrary.chain((users) =>
  fc.record({
    users: fc.constant(users),
    cells: fc.array(cellArbitrary(users), { minLength: 1, maxLength: 25 }),
    separator: fc.constantFrom(',', ';', '\t'),
    quoteAll: fc.boolean(),
    crlf: fc.boolean(),
    // With many other users in the account the engine looks values up one by one (each odd character becomes a
    // query); without, it lists the account once. Both strategies are exercised.
    filler: fc.boolean(),
  }),
);

const FILLER = Array.from({ length: 400 }, (_, i) =>
  emulatorUser(50_000 + i, `filler${i}`, `filler${i}@corp.example.net`),
);

describe('properties over generated tenants and files', () => {
  it('rows accounted once, deletions ⊆ plan, no double deletion, would-delete ⇔ deleted', async () => {
    await fc.assert(
      fc.asyncProperty(caseArbitrary, async ({ users, cells, separator, quoteAll, crlf, filler }) => {
        const csv = csvOf(cells, separator, quoteAll, crlf);
        const plan = namedUsers(cells as PlanRow[], users);
        const world = await startEngineWorld({
          users: filler ? [...users, ...FILLER] : users,
          client: { concurrency: 3 },
        });
        try {
          const dryStore = new MemoryObjectStore();
          const drySpec = liveSpec('dry-run', 'prop-dry');
          await runEngineToEnd(drySpec, world.deps(dryStore, csv), world.clock);
          const dry = expectRunInvariants({
            report: reportIn(dryStore, drySpec),
            dataRows: cells.length,
            deletions: world.emulator.stats().deletions,
            plan,
            mode: 'dry-run',
            label: 'dry',
          });
          const wouldDelete = new Set(
            dry.rows.filter((row) => row.outcome === 'would-delete').map((row) => row.user!.id),
          );

          const liveStore = new MemoryObjectStore();
          const live = liveSpec('live', 'prop-live');
          await runEngineToEnd(live, world.deps(liveStore, csv), world.clock);
          const report = expectRunInvariants({
            report: reportIn(liveStore, live),
            dataRows: cells.length,
            deletions: world.emulator.stats().deletions,
            plan,
            mode: 'live',
            label: 'live',
          });
          const deleted = new Set(report.rows.filter((row) => row.outcome === 'deleted').map((row) => row.user!.id));

          expect(report.summary.failed).toBe(0);
          expect(wouldDelete).toEqual(plan);
          expect(deleted).toEqual(wouldDelete);
          expect(new Set(world.emulator.stats().deletions.map((deletion) => deletion.id))).toEqual(deleted);
          // Row for row, the live outcomes are the dry run's with would-delete → deleted.
          expect(
            report.rows.map(
              (row) => `${row.line}:${row.outcome === 'deleted' ? 'would-delete' : row.outcome}:${row.reason ?? ''}`,
            ),
          ).toEqual(dry.rows.map((row) => `${row.line}:${row.outcome}:${row.reason ?? ''}`));
        } finally {
          await world.close();
        }
      }),
      { numRuns: 40, seed: 20261128, endOnFailure: true },
    );
  });

  it('under seeded faults (5xx, resets, lost DELETE answers, token invalidation): the safety invariants still hold', async () => {
    await fc.assert(
      fc.asyncProperty(
        caseArbitrary,
        fc.integer({ min: 1, max: 1_000_000 }),
        async ({ users, cells, separator, quoteAll, crlf, filler }, seed) => {
          const csv = csvOf(cells, separator, quoteAll, crlf);
          const plan = namedUsers(cells as PlanRow[], users);
          const world = await startEngineWorld({
            users: filler ? [...users, ...FILLER] : users,
            emulator: {
              faults: { seed, error5xxRate: 0.15, resetRate: 0.1, deleteThenResetRate: 0.25 },
              invalidateTokenEvery: 11,
            },
            client: { concurrency: 3, maxAttempts: 3 },
          });
          try {
            const store = new MemoryObjectStore();
            const spec = liveSpec('live', 'prop-faults');
            await runEngineToEnd(spec, world.deps(store, csv), world.clock);
            const report = expectRunInvariants({
              report: reportIn(store, spec),
              dataRows: cells.length,
              deletions: world.emulator.stats().deletions,
              plan,
              mode: 'live',
              label: `faults seed ${seed}`,
            });
            // Whatever failed is in retry.csv, one line per failed row.
            const retry = store.text(`${spec.reportPrefix}retry.csv`);
            if (report.summary.failed > 0) expect(retry?.trim().split(/\r?\n/)).toHaveLength(1 + report.summary.failed);
            else expect(retry).toBeUndefined();
          } finally {
            await world.close();
          }
        },
      ),
      { numRuns: 25, seed: 7, endOnFailure: true },
    );
  });
});
