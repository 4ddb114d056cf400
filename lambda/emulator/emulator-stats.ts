// The emulator's counters, as tests and benchmarks read them through stats().
import type { CallKind, EmulatorStats } from './emulator-types.ts';

const CALL_KINDS: readonly CallKind[] = [
  'token',
  'get',
  'list',
  'delete',
  'create',
  'update',
  'logout',
  'roles',
  'assignRoles',
  'other',
];

export function emptyStats(): EmulatorStats {
  const calls = {} as Record<CallKind, number>;
  for (const kind of CALL_KINDS) calls[kind] = 0;
  return {
    calls,
    rateLimited: 0,
    rateLimitedByWindow: {},
    deletions: [],
    logouts: [],
    faultsInjected: { error5xx: 0, reset: 0, slow: 0 },
    maxInFlight: 0,
    tokensIssued: 0,
  };
}

export function countRateLimited(stats: EmulatorStats, windowIndex: number): void {
  stats.rateLimited += 1;
  stats.rateLimitedByWindow[windowIndex] = (stats.rateLimitedByWindow[windowIndex] ?? 0) + 1;
}
