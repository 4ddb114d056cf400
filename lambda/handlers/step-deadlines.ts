// The deadline of the step a call belongs to. Steps of several jobs may share one OneLogin client (local runs): each
// call's waits are bounded by its own step's deadline, never by another job's. Outside a step there is none.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface StepDeadlines {
  /** Runs `work` as a step that must end by `until` (epoch ms on the client's clock). */
  run<T>(until: number, work: () => Promise<T>): Promise<T>;
  /** The deadline of the step the caller runs in; +Infinity outside one. */
  current(): number;
}

export function createStepDeadlines(): StepDeadlines {
  const store = new AsyncLocalStorage<number>();
  return {
    run: (until, work) => store.run(until, work),
    current: () => store.getStore() ?? Number.POSITIVE_INFINITY,
  };
}
