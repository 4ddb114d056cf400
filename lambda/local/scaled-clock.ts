// A clock that runs `speed` times faster than real time, shared by the emulator (rate-limit windows, token expiry), the
// handlers (pacing, step deadlines) and the local state machine (waits), so that tests can sit out long windows quickly
// while every component still agrees on what time it is.
import type { Clock } from '../engine/ports.ts';
import { systemClock } from '../engine/ports.ts';

export function createScaledClock(speed: number): Clock {
  if (!(speed > 0)) throw new Error('a clock speed must be positive');
  if (speed === 1) return systemClock;
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * speed,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / speed)),
  };
}
