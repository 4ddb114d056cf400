// Measure 6: hours a live run takes at OneLogin's real limit, from the calls per row measured in this run.
import { RATE_SHARE } from '../lambda/settings/run-settings.ts';
export const REAL_LIMIT_PER_HOUR = 5000;
export const REAL_RATE_SHARE = RATE_SHARE.default;
export const PROJECTED_USERS = [10_000, 50_000] as const;

export interface Projection {
  kind: string;
  users: number;
  productCallsPerRow: number;
  baselineCallsPerRow: number;
  productHours: number;
  baselineHours: number;
}

export function projectHours(callsPerRow: number, users: number): number {
  return (users * callsPerRow) / (REAL_LIMIT_PER_HOUR * REAL_RATE_SHARE);
}

export function project(kind: string, productCallsPerRow: number, baselineCallsPerRow: number): Projection[] {
  return PROJECTED_USERS.map((users) => ({
    kind,
    users,
    productCallsPerRow,
    baselineCallsPerRow,
    productHours: projectHours(productCallsPerRow, users),
    baselineHours: projectHours(baselineCallsPerRow, users),
  }));
}
