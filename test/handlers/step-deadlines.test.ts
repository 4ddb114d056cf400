import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createStepDeadlines } from '../../lambda/handlers/step-deadlines.ts';

describe('step deadlines', () => {
  it('each step sees its own deadline, also across awaits, and none outside a step', async () => {
    const deadlines = createStepDeadlines();
    expect(deadlines.current()).toBe(Number.POSITIVE_INFINITY);
    const seen = await Promise.all([
      deadlines.run(1_000, async () => {
        await delay(5);
        return deadlines.current();
      }),
      deadlines.run(2_000, async () => {
        await delay(1);
        const first = deadlines.current();
        await delay(10);
        return [first, deadlines.current()];
      }),
    ]);
    expect(seen).toEqual([1_000, [2_000, 2_000]]);
    expect(deadlines.current()).toBe(Number.POSITIVE_INFINITY);
  });
});
