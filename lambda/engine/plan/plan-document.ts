// plan.json: what a dry run found, bound to its input's bytes and its account, so that a live run deletes exactly
// what was reviewed and nobody who changed since (docs/plans.md).
import { createHash } from 'node:crypto';

export const PLAN_SCHEMA_VERSION = 1;

/** The OneLogin account a run talks to: the API host, and the account id its token was issued for. */
export interface AccountRef {
  host: string;
  accountId?: number;
}

/** A user as the dry run saw them; the live run compares the user it fetches again with this. */
export interface PlannedUser {
  line: number;
  id: number;
  username: string | null;
  email: string | null;
  firstname: string | null;
  lastname: string | null;
  status: number | null;
  state: number | null;
  directory_id: number | null;
  updated_at: string | null;
  last_login: string | null;
}

export interface PlanDocument {
  schemaVersion: number;
  kind: 'plan';
  planId: string;
  createdAt: string;
  /** The dry run that made it. */
  jobId: string;
  input: { name: string; sha256: string; rows: number };
  account: AccountRef;
  /** The settings that shaped the plan (protect values, budgets, guards), for the reviewer. */
  settings: Record<string, unknown>;
  users: PlannedUser[];
  /** The outcomes of every other row (not planned for deletion): a bound live run keeps them. Absent in older plans. */
  otherRows?: PlanOtherRow[];
}

/** A row the plan does not approve for deletion, with the dry run's outcome. */
export interface PlanOtherRow {
  line: number;
  outcome: string;
  reason?: string;
  message?: string;
  /** Only for `not-suspended`: the user as the dry run saw them, whom a suspension bound to this plan may suspend. */
  user?: PlannedUser;
}

/** planId: derived from the input's sha256, the account and the creation time (docs/plans.md). */
export function planIdFor(sha256: string, account: AccountRef, createdAt: string): string {
  const hash = createHash('sha256');
  hash.update(`${sha256}\n${account.host}\n${account.accountId ?? ''}\n${createdAt}`);
  return hash.digest('hex').slice(0, 24);
}

/** Reads plan.json; throws a message that says what is wrong with it. */
export function parsePlan(text: string): PlanDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the plan is not JSON: ${(error as Error).message}`);
  }
  const plan = value as Partial<PlanDocument> | null;
  if (plan === null || typeof plan !== 'object' || plan.kind !== 'plan') throw new Error('the file is not a plan.json');
  if (plan.schemaVersion !== PLAN_SCHEMA_VERSION) {
    throw new Error(
      `the plan has schemaVersion ${String(plan.schemaVersion)}; this version reads ${PLAN_SCHEMA_VERSION}`,
    );
  }
  const valid =
    typeof plan.planId === 'string' &&
    typeof plan.createdAt === 'string' &&
    !Number.isNaN(Date.parse(plan.createdAt)) &&
    typeof plan.input?.sha256 === 'string' &&
    typeof plan.account?.host === 'string' &&
    Array.isArray(plan.users) &&
    plan.users.every((user) => Number.isSafeInteger(user?.id) && Number.isSafeInteger(user?.line)) &&
    (plan.otherRows === undefined ||
      (Array.isArray(plan.otherRows) &&
        plan.otherRows.every((row) => Number.isSafeInteger(row?.line) && typeof row?.outcome === 'string')));
  if (!valid) throw new Error('the plan is incomplete (planId, createdAt, input.sha256, account.host, users)');
  return plan as PlanDocument;
}
