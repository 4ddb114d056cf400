// Guards between the plan and any deletion: protected users and the deletion budget.
import type { JobOptions } from './job.ts';
import type { ResolvedUser } from './outcomes.ts';

export class ProtectedUsers {
  private readonly values: Set<string>;

  constructor(protect: readonly string[]) {
    this.values = new Set(protect.map((value) => value.trim().toLowerCase()).filter((value) => value !== ''));
  }

  /** Which of the user's identifiers is protected, if any. */
  protects(user: ResolvedUser): 'id' | 'username' | 'email' | undefined {
    if (this.values.size === 0) return undefined;
    if (this.values.has(String(user.id))) return 'id';
    if (user.username !== null && this.values.has(user.username.trim().toLowerCase())) return 'username';
    if (user.email !== null && this.values.has(user.email.trim().toLowerCase())) return 'email';
    return undefined;
  }
}

/** The budget refusal for a plan of `planned` deletions in an account of `accountUsers`, or undefined when within budget. */
export function budgetRefusal(
  planned: number,
  accountUsers: number,
  options: JobOptions,
): { code: 'over-budget'; message: string } | undefined {
  if (options.maxDeletions !== undefined && planned > options.maxDeletions) {
    return {
      code: 'over-budget',
      message: `the plan deletes ${planned} users, more than the maximum of ${options.maxDeletions} deletions`,
    };
  }
  if (options.maxPercent < 100 && planned > 0 && planned * 100 > options.maxPercent * accountUsers) {
    const share = accountUsers > 0 ? ((planned * 100) / accountUsers).toFixed(1) : '100';
    return {
      code: 'over-budget',
      message: `the plan deletes ${planned} of the account's ${accountUsers} users (${share} %), more than the maximum of ${options.maxPercent} %`,
    };
  }
  return undefined;
}
