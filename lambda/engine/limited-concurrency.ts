// Run tasks a few at a time. After the first failure no new task starts; tasks in flight finish, then the failure is rethrown
// (a job-level one — directory unavailable — before anything else, and "wait for the rate limit" last).
import { DirectoryUnavailableError, WaitRequiredError } from './directory-errors.ts';

export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (failures.length === 0 && next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await task(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failures.length > 0) throw failures.reduce((worst, error) => (severity(error) > severity(worst) ? error : worst));
}

function severity(error: unknown): number {
  if (error instanceof DirectoryUnavailableError) return 3;
  if (error instanceof WaitRequiredError) return 1;
  return 2;
}
