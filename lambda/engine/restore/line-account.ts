// Whether a snapshot line was taken in another account than the one the credentials reach: by account id when both
// are known (one account has several API hosts: its subdomain, its region's), else by API host.
import type { AccountRef } from '../plan/plan-document.ts';

export function lineElsewhere(taken: AccountRef, reached: AccountRef): boolean {
  if (taken.accountId !== undefined && reached.accountId !== undefined) return taken.accountId !== reached.accountId;
  return taken.host.trim().toLowerCase() !== reached.host.trim().toLowerCase();
}

export function describeAccount(account: AccountRef): string {
  return account.accountId === undefined ? account.host : `account ${account.accountId} on ${account.host}`;
}
