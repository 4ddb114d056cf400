// The targets, checked against the figures of one run.
import type { BenchResults, TargetCheck } from './bench-results.ts';
import { fixed, percent } from './report-table.ts';

const MAX_BUNDLE_BYTES = 1_000_000;
const MAX_INIT_MS = 150;
const MAX_PEAK_RSS_MB = 300;

export function evaluateTargets(results: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const check = (
    name: string,
    value: number,
    limit: number,
    atMost: boolean,
    format: (value: number) => string,
  ): void => {
    checks.push({
      name,
      measured: format(value),
      limit: `${atMost ? '≤' : '≥'} ${format(limit)}`,
      pass: atMost ? value <= limit : value >= limit,
    });
  };
  for (const r of results.callsPerRow ?? []) {
    const where = `${r.rows} rows vs ${r.accountUsers} users`;
    if (r.mode === 'live' && r.kind === 'ids')
      // 1.02 before snapshots; a basic snapshot adds one batched record lookup per 50 deletions (issue 11: ≤ 1.05).
      check(`calls/row live ids, basic snapshot, ${where}`, r.product.callsPerRow, 1.05, true, (v) => fixed(v, 4));
    if (r.mode === 'live' && r.kind === 'emails' && r.rows >= 0.05 * r.accountUsers) {
      check(`calls/row live emails, basic snapshot, ${where}`, r.product.callsPerRow, 1.12, true, (v) => fixed(v, 4));
    }
    if (r.mode === 'dry-run' && r.rows === 10_000 && r.accountUsers === 100_000) {
      if (r.kind === 'ids') check(`calls/row dry ids, ${where}`, r.product.callsPerRow, 0.02, true, (v) => fixed(v, 4));
      if (r.kind === 'emails')
        check(`calls/row dry emails, ${where}`, r.product.callsPerRow, 0.12, true, (v) => fixed(v, 4));
    }
  }
  for (const r of results.planBound ?? []) {
    const where = `${r.rows} rows vs ${r.accountUsers} users`;
    // Before snapshots 1.03 / 1.12; a basic snapshot adds one batched record lookup per 50 deletions.
    const limit = r.kind === 'ids' ? 1.05 : 1.14;
    check(`calls/row live bound to a plan, ${r.kind}, ${where}`, r.bound.callsPerRow, limit, true, (v) => fixed(v, 4));
  }
  for (const r of results.undo ?? []) {
    const where = `${r.rows} rows vs ${r.accountUsers} users`;
    const limits: Record<string, number> = {
      basic: 1.05,
      'full, listing without custom_attributes': 2.1,
      'full, listing with them': 1.05,
    };
    for (const side of r.sides)
      check(
        `calls/row live, snapshot ${side.variant}, ${where}`,
        side.callsPerRow,
        limits[side.variant] ?? 0,
        true,
        (v) => fixed(v, 4),
      );
    check(`restore calls/line without role batches, ${r.restore.users} lines`, r.restore.callsPerUser, 2, true, (v) =>
      fixed(v, 3),
    );
  }
  for (const r of results.rateBudget ?? []) {
    check(`budget used, ${r.name}`, r.budgetUsed, 0.95, false, (v) => percent(v));
    check(`max 429s per window, ${r.name}`, r.max429PerWindow, r.sendHeaders ? 0 : 1, true, (v) => String(v));
  }
  if (results.engineOverhead)
    check('engine rows/s ÷ raw undici rows/s', results.engineOverhead.ratio, 0.8, false, (v) => fixed(v, 3));
  for (const r of results.largeFile?.runs ?? [])
    check(`peak RSS MB, ${r.kind} file of ${r.rows} rows`, r.peakRssMb, MAX_PEAK_RSS_MB, true, (v) => fixed(v, 0));
  for (const b of results.bundles?.bundles ?? []) {
    check(`bundle bytes, ${b.handler}`, b.bytes, MAX_BUNDLE_BYTES, true, (v) => String(Math.round(v)));
    check(`module init ms, ${b.handler}`, b.initMs, MAX_INIT_MS, true, (v) => fixed(v, 0));
  }
  return checks;
}
