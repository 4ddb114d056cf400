// Guards between the plan and any deletion: protected users, directory-managed users and the deletion budget.
import { quoteForMessage } from './input/message-text.ts';
import type { JobOptions } from './job.ts';
import type { Action, ResolvedUser } from './outcomes.ts';
import type { ProtectRules } from './protect-rules.ts';

/** OneLogin's status of a suspended user. */
export const SUSPENDED_STATUS = 2;

export const ALREADY_SUSPENDED_MESSAGE = 'the user was already suspended: nothing was changed';

/** --only-suspended: a user whose status is not "suspended" (or unknown) is never deleted. */
export function notSuspendedRefusal(status: unknown): { reason: 'not-suspended'; message: string } | undefined {
  if (status === SUSPENDED_STATUS) return undefined;
  const shown = typeof status === 'number' ? `status ${status}` : 'an unknown status';
  return {
    reason: 'not-suspended',
    message: `the user is not suspended (${shown}): --only-suspended (stack: deleteOnlySuspended) deletes only suspended users`,
  };
}

/**
 * Why a resolved user is never planned: protected by a value, synced from a directory the run may not touch, or not
 * suspended when only suspended users may be deleted. The last guards deletions only: the stack's deleteOnlySuspended
 * applies to every upload, and a suspension under it must still suspend active users (the quarantine's first step).
 */
export function guardRefusal(
  user: ResolvedUser,
  protect: ProtectRules,
  options: Pick<JobOptions, 'allowDirectoryUsers' | 'onlySuspended'>,
  action: Action,
): { reason: 'protected' | 'directory-managed' | 'not-suspended'; message: string } | undefined {
  const protectedBy = protect.match(user);
  if (protectedBy) {
    const shown = quoteForMessage(protectedBy.value.text);
    return { reason: 'protected', message: `the user's ${protectedBy.field} is protected (by ${shown})` };
  }
  const directoryId = user.directory_id;
  if (directoryId !== undefined && directoryId !== null && options.allowDirectoryUsers !== true) {
    return {
      reason: 'directory-managed',
      message: `the user is synced from directory ${directoryId}: a directory user comes back on the next sync; delete it in the directory, or allow it with --allow-directory-users (stack: allowDirectoryUsers)`,
    };
  }
  return options.onlySuspended === true && action === 'delete' ? notSuspendedRefusal(user.status) : undefined;
}

/** A refusal by the deletion budget, with the setting (and the value) that would allow the plan. */
export interface BudgetRefusal {
  code: 'over-budget';
  message: string;
  /** e.g. "--max-percent 25" (CLI) or "maxPercent 25" (stack). */
  setting: string;
}

const BUDGET_SETTING_NAMES = {
  cli: { maxDeletions: '--max-deletions', maxPercent: '--max-percent' },
  stack: { maxDeletions: 'maxDeletions', maxPercent: 'maxPercent' },
} as const;

const ACTION_VERBS: Readonly<Record<Action, { verb: string; noun: string }>> = {
  delete: { verb: 'deletes', noun: 'deletions' },
  suspend: { verb: 'suspends', noun: 'suspensions' },
  restore: { verb: 'restores', noun: 'restores' },
};

/**
 * The budget refusal for a plan of `planned` changes (of `action`) in an account of `accountUsers`, or undefined when
 * within budget. The same budget bounds deletions, suspensions and restores.
 */
export function budgetRefusal(
  planned: number,
  accountUsers: number,
  options: JobOptions,
  action: Action = 'delete',
): BudgetRefusal | undefined {
  const names = BUDGET_SETTING_NAMES[options.settingNames ?? 'stack'];
  const { verb, noun } = ACTION_VERBS[action];
  if (options.maxDeletions !== undefined && planned > options.maxDeletions) {
    return {
      code: 'over-budget',
      message: `the plan ${verb} ${planned} users, more than the maximum of ${options.maxDeletions} ${noun}`,
      setting: `${names.maxDeletions} ${planned}`,
    };
  }
  if (options.maxPercent < 100 && planned > 0 && planned * 100 > options.maxPercent * accountUsers) {
    const share = accountUsers > 0 ? ((planned * 100) / accountUsers).toFixed(1) : '100';
    const needed = accountUsers > 0 ? Math.min(100, Math.ceil((planned * 100) / accountUsers)) : 100;
    return {
      code: 'over-budget',
      message: `the plan ${verb} ${planned} of the account's ${accountUsers} users (${share} %), more than the maximum of ${options.maxPercent} %`,
      setting: `${names.maxPercent} ${needed}`,
    };
  }
  return undefined;
}
