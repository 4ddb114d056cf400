// The outcome vocabulary and reason codes of docs/outcomes.md. This is a contract: add codes, never rename them.

export const OUTCOMES = [
  'deleted',
  'would-delete',
  'not-found',
  'already-absent',
  'rejected',
  'failed',
  'suspended',
  'would-suspend',
  'already-suspended',
  'restored',
  'would-restore',
  'already-present',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const REJECT_REASONS = [
  'missing-identifier',
  'malformed-row',
  'invalid-id',
  'invalid-email',
  'wildcard',
  'duplicate',
  'ambiguous',
  'identifier-mismatch',
  'protected',
  'over-budget',
  'not-approved',
  'changed-since-plan',
  'wrong-account',
  'directory-managed',
  'not-suspended',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Causes for `failed`: `http-<status>`, `timeout`, `network`, `rate-limited`, `unauthorized`, … */
export type FailReason = string;

export type Mode = 'dry-run' | 'live';

/** What a live run does to each planned user (docs/undo.md): delete it, suspend it, or restore it from a snapshot. */
export const ACTIONS = ['delete', 'suspend', 'restore'] as const;
export type Action = (typeof ACTIONS)[number];

/** The outcomes a run of each action can give, in reading order: what its report's chart and filters show. */
const ACTION_OUTCOMES: Readonly<Record<Action, readonly Outcome[]>> = {
  delete: ['deleted', 'would-delete', 'not-found', 'already-absent', 'rejected', 'failed'],
  suspend: ['suspended', 'would-suspend', 'already-suspended', 'not-found', 'already-absent', 'rejected', 'failed'],
  restore: ['restored', 'would-restore', 'already-present', 'not-found', 'rejected', 'failed'],
};

/** The action's outcomes, plus any other outcome the counts hold (a report never hides a row's outcome). */
export function outcomesShown(action: Action, counts: OutcomeCounts): Outcome[] {
  const own = ACTION_OUTCOMES[action];
  return OUTCOMES.filter((outcome) => own.includes(outcome) || counts[outcome] > 0);
}

/** What a dry run says of a row its action would change. */
export const WOULD_OUTCOME: Readonly<Record<Action, Outcome>> = {
  delete: 'would-delete',
  suspend: 'would-suspend',
  restore: 'would-restore',
};
export type JobStatus = 'running' | 'completed' | 'rejected' | 'aborted';

export interface RowInput {
  id?: string;
  username?: string;
  email?: string;
}

export interface ResolvedUser {
  id: number;
  username: string | null;
  email: string | null;
  /** "firstname lastname" as the directory has them (null: neither set; absent: the directory did not say). */
  name?: string | null;
  /** OneLogin's numeric user status (1 active, 2 suspended, …), for the reviewer. */
  status?: number | null;
  /** ISO time of the last login, as the directory gives it. */
  lastLogin?: string | null;
  /** What a reviewed plan records of the user (docs/plans.md); absent: the directory did not say. */
  firstname?: string | null;
  lastname?: string | null;
  /** OneLogin's numeric user state (0 unapproved, 1 approved, …). */
  state?: number | null;
  /** Set when a directory (AD, LDAP, …) syncs the user. */
  directory_id?: number | null;
  /** ISO time of the user's last change. */
  updatedAt?: string | null;
}

/**
 * The users each identifier of an `identifier-mismatch` row points at, by id ([]: none; absent: the row does not give
 * it, or its lookup failed).
 */
export interface IdentifierMatches {
  id?: number[];
  username?: number[];
  email?: number[];
}

export interface RowOutcome {
  /** 1-based line of the input where the row starts; the header is line 1. */
  line: number;
  input: RowInput;
  outcome: Outcome;
  reason?: RejectReason | FailReason;
  message?: string;
  user?: ResolvedUser;
  /** `ambiguous`: the ids of the users that all match the row. */
  candidates?: number[];
  /** `identifier-mismatch`: the user each identifier found. */
  matches?: IdentifierMatches;
}

export type OutcomeCounts = Record<Outcome, number>;

export function emptyCounts(): OutcomeCounts {
  return Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as OutcomeCounts;
}
