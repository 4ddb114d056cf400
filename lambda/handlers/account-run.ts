// What a run of an account uses (issue 12): the stack's settings with the account's overrides on top, its own secret
// and its own client (pacer). The step and finalize handlers both read it through here.

import type { Logger } from '../engine/ports.ts';
import type { AccountSetting } from '../settings/accounts-setting.ts';
import type { AccountRoute } from './account-routing.ts';
import { accountRouteFor } from './account-routing.ts';
import type { DirectoryChoice, DirectoryProvider } from './directory-provider.ts';
import type { StepDeps, StepOptions } from './handler-types.ts';
import { UnavailableDirectory } from './unavailable-directory.ts';

export interface AccountRun {
  route: AccountRoute;
  /** The stack's options with the account's overrides. */
  options: StepOptions;
  /** The account folder's name, for the report and the summary. */
  accountName?: string;
}

export function accountRunFor(key: string, deps: Pick<StepDeps, 'accounts' | 'options'>): AccountRun {
  const route = accountRouteFor(key, deps.accounts);
  if (route.kind !== 'account') return { route, options: deps.options };
  return { route, options: withOverrides(deps.options, route.account), accountName: route.name };
}

/** Protect lists add up (an account protects more, never less); the other overrides replace the stack's value. */
export function withOverrides(options: StepOptions, account: AccountSetting): StepOptions {
  const merged: StepOptions = { ...options };
  if (account.protect !== undefined) merged.protect = [...new Set([...(options.protect ?? []), ...account.protect])];
  if (account.maxDeletions !== undefined) merged.maxDeletions = account.maxDeletions;
  if (account.maxPercent !== undefined) merged.maxPercent = account.maxPercent;
  if (account.rateShare !== undefined) merged.rateShare = account.rateShare;
  if (account.requireReviewedPlan !== undefined) merged.requireReviewedPlan = account.requireReviewedPlan;
  return merged;
}

/** The account's directory; a key under no known account (the setting changed since the upload) refuses the run. */
export function directoryForRun(provider: DirectoryProvider, run: AccountRun, log: Logger): Promise<DirectoryChoice> {
  const route = run.route;
  if (route.kind === 'unknown') {
    log.error('unknown account: the run is rejected', { code: route.code });
    return Promise.resolve({ directory: new UnavailableDirectory(route.code, route.message) });
  }
  if (route.kind === 'single') return provider.directoryFor(log);
  return provider.directoryFor(log, { name: route.name, rateShare: run.options.rateShare });
}
