// THE acceptance test: 500 deletions through the emulator under a tight rate limit, faults and token invalidation.
import { afterEach, expect, test } from 'vitest';
import { OneLoginUserDirectory } from '../../lambda/adapters/onelogin-user-directory.ts';
import type { OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';

const credentials = { clientId: 'acceptance-client', clientSecret: 'acceptance-secret-9f8e7d' };
let emulator: OneLoginEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

test('deletes 500 users exactly once under rate limit, 5xx, resets and token invalidation', async () => {
  emulator = await createOneLoginEmulator({
    ...credentials,
    tenant: { seed: 4242, count: 800 },
    rateLimit: { limit: 100, windowSeconds: 2 },
    faults: { seed: 7, error5xxRate: 0.05, resetRate: 0.02 },
    invalidateTokenEvery: 50,
  });
  const everyone = emulator.users().map((user) => user.id);
  // Every other user of the first 1000 sorted ids, so that kept and deleted users interleave.
  const intended = everyone.filter((_, index) => index % 8 < 5).slice(0, 500);
  expect(intended).toHaveLength(500);
  const kept = everyone.filter((id) => !intended.includes(id));

  const client = new OneLoginClient({ apiUrl: emulator.url, credentials });
  const directory = new OneLoginUserDirectory(client);
  const startedAt = Date.now();
  const outcomes = await Promise.all(intended.map((id) => directory.deleteUser(id)));
  const wallMs = Date.now() - startedAt;
  await client.close();

  const stats = emulator.stats();
  const deletedIds = stats.deletions.map((deletion) => deletion.id);
  expect(new Set(deletedIds).size).toBe(deletedIds.length);
  expect([...deletedIds].sort((a, b) => a - b)).toEqual([...intended].sort((a, b) => a - b));
  expect(emulator.users().map((user) => user.id)).toEqual(kept);
  // Faults here never delete before failing, so every call ends as a real deletion.
  expect(outcomes.every((outcome) => outcome === 'deleted')).toBe(true);
  for (const count of Object.values(stats.rateLimitedByWindow)) expect(count).toBeLessThanOrEqual(1);
  // The run really met the faults it had to survive.
  expect(stats.faultsInjected.error5xx + stats.faultsInjected.reset).toBeGreaterThan(0);
  expect(stats.tokensIssued).toBeGreaterThan(1);

  const clientStats = client.stats();
  console.log(
    JSON.stringify({
      acceptance: '500 deletions, limit 100/2 s, rateShare 0.8, 5xx 5 %, resets 2 %, token invalidated every 50 calls',
      callsByKind: clientStats.calls,
      serverCalls: stats.calls,
      received429: clientStats.rateLimited,
      server429ByWindow: stats.rateLimitedByWindow,
      retries: clientStats.retries,
      pacingWaits: clientStats.waits,
      tokensIssued: stats.tokensIssued,
      faultsInjected: stats.faultsInjected,
      maxInFlight: stats.maxInFlight,
      wallSeconds: Math.round(wallMs / 100) / 10,
    }),
  );
});
