// Before a live run's first deletion: show the plan, and on a terminal ask for a typed yes (unless --yes).
import type { PlanSummary } from '../engine/job.ts';
import type { CliIo } from './cli-io.ts';
import { askYes } from './confirm.ts';
import type { ProgressDisplay } from './progress-display.ts';
import { formatCounts } from './progress-display.ts';

export async function approvePlan(
  plan: PlanSummary,
  yes: boolean,
  host: string,
  io: CliIo,
  display: ProgressDisplay,
  signal: AbortSignal,
): Promise<boolean> {
  const others = { ...plan.counts, deleted: 0, 'would-delete': 0 };
  const othersText = Object.values(others).some((count) => count > 0)
    ? `; the other rows: ${formatCounts(others)}`
    : '';
  display.log(
    `Plan: ${plan.toDelete} of ${plan.rows} rows to delete from ${host} (${plan.accountUsers} users in the account)${othersText}`,
  );
  if (plan.toDelete === 0 || yes || !io.interactive) return true;
  display.stop();
  const agreed = await askYes(
    `Delete ${plan.toDelete} users from ${host}? This cannot be undone. Type yes to go on: `,
    io.stdin,
    io.stderr,
    signal,
  );
  if (!agreed) io.stderr.write('Not confirmed.\n');
  return agreed;
}
