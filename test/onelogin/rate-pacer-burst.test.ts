// A 429 while the rate headers still show quota (docs/cli.md, rate limiting): a short burst limit, not a used-up window.
import { describe, expect, test } from 'vitest';
import { RatePacer } from '../../lambda/onelogin/rate-pacer.ts';
import { createVirtualClock } from './virtual-clock.ts';

function pacerOn(clock: ReturnType<typeof createVirtualClock>): RatePacer {
  return new RatePacer({
    share: 1,
    waitDeadline: () => Number.POSITIVE_INFINITY,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 1,
    backoffBaseMs: 500,
    backoffCapMs: 30_000,
  });
}

/** Admits one call and measures how long it was held back. */
async function heldFor(pacer: RatePacer, clock: ReturnType<typeof createVirtualClock>): Promise<number> {
  const before = clock.now();
  await pacer.admit();
  return clock.now() - before;
}

const QUOTA_LEFT = { limit: 1_000_000, remaining: 999_000, resetSeconds: 3597 };

describe('rate pacer, 429 bursts', () => {
  test('with quota left: 1 s, 2 s, 4 s, 8 s, then the window is taken for used up', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock);
    pacer.observe(QUOTA_LEFT);
    const held: number[] = [];
    for (let burst = 0; burst < 5; burst += 1) {
      pacer.rateLimited(undefined, QUOTA_LEFT);
      held.push(await heldFor(pacer, clock));
    }
    expect(held.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    // The fifth: repeated 429s mean the window is used up, whatever the headers say.
    expect(held[4]).toBeGreaterThan(3_500_000);
  });

  test('a success ends the burst: the next 429 starts again from a second', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock);
    pacer.observe(QUOTA_LEFT);
    pacer.rateLimited(undefined, QUOTA_LEFT);
    pacer.rateLimited(undefined, QUOTA_LEFT);
    expect(await heldFor(pacer, clock)).toBe(1000);
    pacer.succeeded();
    pacer.rateLimited(undefined, QUOTA_LEFT);
    expect(await heldFor(pacer, clock)).toBe(1000);
  });

  test('429s of calls sent before the backoff began do not double it', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock);
    pacer.observe(QUOTA_LEFT);
    for (let inFlight = 0; inFlight < 4; inFlight += 1) pacer.rateLimited(undefined, QUOTA_LEFT);
    expect(await heldFor(pacer, clock)).toBe(1000);
  });

  test('Retry-After is honoured as sent', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock);
    pacer.observe(QUOTA_LEFT);
    pacer.rateLimited(2500, QUOTA_LEFT);
    expect(await heldFor(pacer, clock)).toBe(2500);
  });

  test('Remaining 0 on the 429 waits for the reset at once', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock);
    pacer.observe(QUOTA_LEFT);
    pacer.rateLimited(undefined, { limit: 1_000_000, remaining: 0, resetSeconds: 120 });
    expect(await heldFor(pacer, clock)).toBeGreaterThanOrEqual(120_000);
  });
});
