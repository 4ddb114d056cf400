// Seeded fault decisions: the same seed and the same call order give the same faults.
import type { FaultConfig } from './emulator-types.ts';
import { createSeededRandom, pick, type Random } from './seeded-random.ts';

export type Fault =
  | { kind: 'none' }
  | { kind: 'error5xx'; status: 500 | 502 | 503 | 504; html: boolean }
  | { kind: 'reset' }
  | { kind: 'slow'; delayMs: number }
  | { kind: 'deleteThenReset' };

const NO_FAULT: Fault = { kind: 'none' };
const ERROR_STATUSES = [500, 502, 503, 504] as const;

export class FaultPlan {
  private readonly random: Random;

  constructor(private readonly config: FaultConfig) {
    this.random = createSeededRandom(config.seed);
  }

  get includesToken(): boolean {
    return this.config.includeToken === true;
  }

  /** One draw per call, so the sequence depends only on the seed and the call order. */
  next(isDelete: boolean): Fault {
    const draw = this.random();
    let threshold = this.config.error5xxRate ?? 0;
    if (draw < threshold) {
      return { kind: 'error5xx', status: pick(this.random, ERROR_STATUSES), html: this.random() < 0.5 };
    }
    threshold += this.config.resetRate ?? 0;
    if (draw < threshold) return { kind: 'reset' };
    threshold += this.config.slowRate ?? 0;
    if (draw < threshold) return { kind: 'slow', delayMs: this.config.slowMs ?? 1000 };
    threshold += this.config.deleteThenResetRate ?? 0;
    if (draw < threshold && isDelete) return { kind: 'deleteThenReset' };
    return NO_FAULT;
  }
}
