// Every row's final outcome, read back from the spooled chunks: what every report file and plan.json are written from.
import type { JobEnding } from './final-row.ts';
import { finalRow } from './final-row.ts';
import type { RowOutcome } from './outcomes.ts';
import { WOULD_OUTCOME } from './outcomes.ts';
import type { StepContext } from './step-context.ts';
import { readChunks } from './stored-row.ts';

export function jobEnding(ctx: StepContext): JobEnding {
  const cp = ctx.checkpoint;
  const ending: JobEnding = {
    mode: ctx.spec.mode,
    wouldOutcome: WOULD_OUTCOME[ctx.spec.action ?? 'delete'],
    overBudget: cp.overBudget === true,
  };
  if (cp.overBudget && cp.error) ending.budgetMessage = cp.error.message;
  if (cp.unfinished) ending.unfinished = cp.unfinished;
  if (cp.status === 'rejected') ending.refused = true;
  return ending;
}

/** Every row's final outcome, a chunk at a time. */
export async function* finalRows(ctx: StepContext): AsyncGenerator<RowOutcome[]> {
  const ending = jobEnding(ctx);
  for await (const { rows } of readChunks(ctx.store, ctx.spec.statePrefix, 0, ctx.checkpoint.chunkCount)) {
    yield rows.map((row) => finalRow(row, ending));
  }
}
