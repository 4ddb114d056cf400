// The outcome a stored row ends with, given how the job ended. Every row gets exactly one.

import type { Unfinished } from './checkpoint.ts';
import type { Mode, Outcome, RowOutcome } from './outcomes.ts';
import type { StoredRow } from './stored-row.ts';

export interface JobEnding {
  mode: Mode;
  /** What a dry run's planned rows would have been: would-delete, would-suspend or would-restore. */
  wouldOutcome: Outcome;
  overBudget: boolean;
  budgetMessage?: string;
  /** How rows without an outcome end when the job stopped early; undefined for a job that ran to its end. */
  unfinished?: Unfinished;
  /**
   * The job was refused as a whole (nothing changed): every row not already `rejected` by its own rules is `rejected`
   * with the run's reason, never `failed` (nothing was attempted, so nothing goes to retry.csv).
   */
  refused?: boolean;
}

export function finalRow(row: StoredRow, ending: JobEnding): RowOutcome {
  const base: RowOutcome = { line: row.line, input: row.input, outcome: 'failed' };
  if (ending.refused && ending.unfinished && row.outcome !== 'rejected') {
    return withDetails(base, 'rejected', ending.unfinished.reason, ending.unfinished.message, row.user);
  }
  if (row.outcome !== undefined) {
    const settled = withDetails(base, row.outcome, row.reason, row.message, row.user);
    if (row.candidates !== undefined) settled.candidates = row.candidates;
    if (row.matches !== undefined) settled.matches = row.matches;
    return settled;
  }
  if (row.planned && ending.overBudget) {
    return withDetails(
      base,
      'rejected',
      'over-budget',
      ending.budgetMessage ?? 'the plan is over the deletion budget',
      row.user,
    );
  }
  if (row.planned && ending.mode === 'dry-run' && !ending.unfinished) {
    return withDetails(base, ending.wouldOutcome, undefined, undefined, row.user);
  }
  if (ending.unfinished) {
    return withDetails(base, 'failed', ending.unfinished.reason, ending.unfinished.message, row.user);
  }
  // A run that reached its end leaves no row unsettled; if one is, it is reported, never dropped.
  return withDetails(base, 'failed', 'internal', 'the row was not processed', row.user);
}

function withDetails(
  base: RowOutcome,
  outcome: RowOutcome['outcome'],
  reason: string | undefined,
  message: string | undefined,
  user: StoredRow['user'],
): RowOutcome {
  const result: RowOutcome = { ...base, outcome };
  if (reason !== undefined) result.reason = reason;
  if (message !== undefined) result.message = message;
  if (user !== undefined) result.user = user;
  return result;
}
