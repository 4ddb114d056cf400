// The checks that bind a live run to its reviewed plan (docs/plans.md): the same bytes, the same account, not too old;
// and, per planned user, nothing that identifies or gates them has changed since.
import { sameText } from '../identifier-text.ts';
import type { AccountRef, PlanDocument, PlannedUser } from './plan-document.ts';

export type PlanRefusal = { code: 'not-approved' | 'wrong-account'; message: string };

export interface PlanBinding {
  /** sha256 of the input the live run reads. */
  sha256: string;
  account: AccountRef;
  now: number;
  maxAgeHours: number;
}

/** Why the plan cannot approve this run, or undefined when it can. */
export function planRefusal(plan: PlanDocument, run: PlanBinding): PlanRefusal | undefined {
  if (plan.input.sha256 !== run.sha256) {
    return {
      code: 'not-approved',
      message: `the file is not the one the plan was made from (sha256 ${run.sha256.slice(0, 12)}… ≠ ${plan.input.sha256.slice(0, 12)}…): run a dry run of this file and review it first`,
    };
  }
  const accountProblem = accountMismatch(plan.account, run.account);
  if (accountProblem !== undefined) return { code: 'wrong-account', message: accountProblem };
  const ageHours = (run.now - Date.parse(plan.createdAt)) / 3_600_000;
  if (ageHours > run.maxAgeHours) {
    return {
      code: 'not-approved',
      message: `the plan is ${ageHours.toFixed(1)} h old, older than the maximum of ${run.maxAgeHours} h: run the dry run again and review it`,
    };
  }
  if (ageHours < -0.1) return { code: 'not-approved', message: `the plan was made in the future (${plan.createdAt})` };
  return undefined;
}

function accountMismatch(planned: AccountRef, current: AccountRef): string | undefined {
  if (planned.host.toLowerCase() !== current.host.toLowerCase()) {
    return `the plan was made for ${planned.host}, this run talks to ${current.host}`;
  }
  if (planned.accountId !== undefined && current.accountId !== undefined && planned.accountId !== current.accountId) {
    return `the plan was made for account ${planned.accountId}, the credentials reach account ${current.accountId}`;
  }
  return undefined;
}

/** What changed about a planned user since the plan was made (empty when nothing that matters did). */
export function changesSincePlan(planned: PlannedUser, current: PlannedUser, planCreatedAt: string): string[] {
  const changes: string[] = [];
  for (const field of ['username', 'email'] as const) {
    const before = planned[field];
    const after = current[field];
    if ((before ?? '') === '' && (after ?? '') === '') continue;
    if (!sameText(before, after)) changes.push(`${field} ${show(before)} → ${show(after)}`);
  }
  for (const field of ['status', 'state', 'directory_id'] as const) {
    if ((planned[field] ?? null) !== (current[field] ?? null)) {
      changes.push(`${field} ${show(planned[field])} → ${show(current[field])}`);
    }
  }
  if (signedInSince(planned, current, planCreatedAt))
    changes.push(`signed in at ${current.last_login}, after the plan`);
  return changes;
}

function signedInSince(planned: PlannedUser, current: PlannedUser, planCreatedAt: string): boolean {
  if (current.last_login === null || current.last_login === planned.last_login) return false;
  const at = Date.parse(current.last_login);
  if (Number.isNaN(at)) return true;
  const before = planned.last_login === null ? Number.NEGATIVE_INFINITY : Date.parse(planned.last_login);
  return at > before || at > Date.parse(planCreatedAt);
}

function show(value: string | number | null | undefined): string {
  return value === null || value === undefined ? 'none' : JSON.stringify(value);
}
