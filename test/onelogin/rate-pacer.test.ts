// The pacer against a virtual clock: what it lets through at once, and what it holds back.
import { describe, expect, test } from 'vitest';
import { RatePacer } from '../../lambda/onelogin/rate-pacer.ts';
import { createVirtualClock } from './virtual-clock.ts';

function pacerOn(clock: ReturnType<typeof createVirtualClock>, share = 0.8): RatePacer {
  return new RatePacer({
    share,
    waitDeadline: () => Number.POSITIVE_INFINITY,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    backoffBaseMs: 500,
    backoffCapMs: 30_000,
  });
}

describe('rate pacer', () => {
  test('no rate information yet: calls go at once', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock);
    for (let call = 0; call < 100; call += 1) await pacer.admit();
    expect(clock.sleeps).toEqual([]);
    expect(pacer.waits).toBe(0);
  });

  test('a spacing shorter than a millisecond is waited for too: the budget holds at any rate', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock);
    // A budget of a billion calls an hour at 80 %: 0.0045 ms between calls.
    pacer.observe({ limit: 1_000_000_000, remaining: 1_000_000_000, resetSeconds: 3600 });
    for (let call = 0; call < 3; call += 1) await pacer.admit();
    expect(clock.sleeps).toHaveLength(2);
    // About 0.0045 ms each (the virtual clock's epoch-sized numbers keep a few digits only).
    for (const sleep of clock.sleeps) {
      expect(sleep).toBeGreaterThan(0.004);
      expect(sleep).toBeLessThan(0.005);
    }
  });

  test('calls still wait for their spacing when it is a millisecond or more', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock);
    // 100 calls in 10 s at 80 %: 80 allowed, 125 ms apart.
    pacer.observe({ limit: 100, remaining: 100, resetSeconds: 10 });
    await Promise.all([pacer.admit(), pacer.admit(), pacer.admit()]);
    expect(clock.sleeps.length).toBe(2);
    for (const sleep of clock.sleeps) expect(sleep).toBeGreaterThanOrEqual(100);
  });

  test('the share of a window binds however short the spacing', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock, 0.5);
    const start = clock.now();
    // 4,000 calls over 1 s at 50 %: 2,000 allowed, half a millisecond apart at first.
    pacer.observe({ limit: 4000, remaining: 4000, resetSeconds: 1 });
    const admittedAt: number[] = [];
    for (let call = 0; call < 2001; call += 1) {
      await pacer.admit();
      admittedAt.push(clock.now() - start);
    }
    // Never more than the share inside the window, nearly all of it used, and the rest after the reset.
    const inWindow = admittedAt.filter((at) => at < 1000).length;
    expect(inWindow).toBeLessThanOrEqual(2000);
    expect(inWindow).toBeGreaterThanOrEqual(1990);
    expect(admittedAt[2000]).toBeGreaterThanOrEqual(1000);
    expect(admittedAt[0]).toBe(0);
  });

  test('a call queued behind a waiting one does not overtake it', async () => {
    const clock = createVirtualClock();
    const pacer = pacerOn(clock);
    pacer.observe({ limit: 100, remaining: 100, resetSeconds: 10 });
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((call) => pacer.admit().then(() => order.push(call))));
    expect(order).toEqual([1, 2, 3]);
  });
});
