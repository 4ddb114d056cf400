// The account guard (docs/plans.md): which account the credentials reach is read first, before any other call, and a
// run that names its account (--account-id, the secret's account_id) is refused as a whole when the token is another's.

import type { JobEnd } from './phase-result.ts';
import type { StepContext } from './step-context.ts';

export async function bindAccount(ctx: StepContext): Promise<JobEnd | undefined> {
  const cp = ctx.checkpoint;
  if (cp.account === undefined) {
    cp.account = await ctx.deps.directory.account();
    await ctx.save();
  }
  const expected = ctx.spec.options.expectedAccountId;
  if (expected === undefined || cp.account.accountId === expected) return undefined;
  const reached =
    cp.account.accountId === undefined
      ? 'an account whose id the token does not tell'
      : `account ${cp.account.accountId}`;
  ctx.deps.logger.warn('run refused: the credentials reach another account', { expected, host: cp.account.host });
  return refusedAsWhole(
    'wrong-account',
    `the credentials reach ${reached} on ${cp.account.host}, not account ${expected}: nothing was changed`,
  );
}

/** A refusal before any change: every row not already settled ends `rejected` with the run's reason (no retry.csv). */
export function refusedAsWhole(code: string, message: string): JobEnd {
  return {
    kind: 'end',
    status: 'rejected',
    error: { code, message },
    unfinished: { reason: code, message },
  };
}
