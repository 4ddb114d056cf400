// How the console names what a run does: "delete 12 users", "suspended", "the suspensions in flight".
import type { Action } from '../engine/outcomes.ts';

export interface ActionWords {
  /** delete / suspend / restore */
  verb: string;
  /** Delete / Suspend / Restore */
  Verb: string;
  /** deleted / suspended / restored */
  done: string;
  /** deletion / suspension / restoration */
  noun: string;
  /** "from" for deletions, "in" for the others: "delete 3 users from acme", "suspend 3 users in acme". */
  where: string;
}

export const ACTION_WORDS: Record<Action, ActionWords> = {
  delete: { verb: 'delete', Verb: 'Delete', done: 'deleted', noun: 'deletion', where: 'from' },
  suspend: { verb: 'suspend', Verb: 'Suspend', done: 'suspended', noun: 'suspension', where: 'in' },
  restore: { verb: 'restore', Verb: 'Restore', done: 'restored', noun: 'restoration', where: 'in' },
};

export function wordsFor(action: Action | undefined): ActionWords {
  return ACTION_WORDS[action ?? 'delete'];
}

/** "Live run", "Dry run" for deletions (as always); "Live run (suspend)", "Dry run (restore)" for the others. */
export function runTitle(mode: 'dry-run' | 'live', action: Action | undefined): string {
  const base = mode === 'live' ? 'Live run' : 'Dry run';
  return action === undefined || action === 'delete' ? base : `${base} (${action})`;
}
