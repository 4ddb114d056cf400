// The exit statuses of docs/cli.md.
import type { JobStatus, OutcomeCounts } from '../engine/outcomes.ts';

export const EXIT = {
  /** Every row reached an outcome and none failed. */
  ok: 0,
  /** Some rows failed (retry.csv holds them). */
  someFailed: 1,
  /** Nothing was changed: input, options or credentials refused (or the plan not confirmed). */
  refused: 2,
  /** The run was aborted part-way; the report says how far it got. */
  aborted: 3,
} as const;

export function exitStatusFor(status: JobStatus, counts: OutcomeCounts): number {
  switch (status) {
    case 'rejected':
      return EXIT.refused;
    case 'completed':
      return counts.failed > 0 ? EXIT.someFailed : EXIT.ok;
    case 'aborted':
    case 'running':
      return EXIT.aborted;
  }
}
