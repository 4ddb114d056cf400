// What a real tenant's users carry besides names: directory sync, sign-ins, custom attributes and roles.
// Drawn from a PRNG of their own, so that the names, emails and ids drawn from the tenant's seed stay as they were.
import type { EmulatorRole, EmulatorUser } from './emulator-types.ts';
import { createSeededRandom, pick, type Random } from './seeded-random.ts';

export const TENANT_ROLES: readonly EmulatorRole[] = [
  { id: 301, name: 'Default' },
  { id: 302, name: 'Engineering' },
  { id: 303, name: 'Sales' },
  { id: 304, name: 'Support' },
  { id: 305, name: 'Administrators' },
];

const DIRECTORY_IDS = [4201, 4202] as const;
const COST_CENTERS = ['CC-100', 'CC-200', 'CC-310', 'CC-420'] as const;
/** The generator's clock ends here (2025-01): a sign-in is at most this late. */
const LAST_SIGN_IN_TIME = Date.UTC(2025, 0, 18, 12, 0, 0, 0);
/** A different stream from the same seed: xor with a constant keeps tenants reproducible. */
const DETAILS_SEED_MIX = 0x5eed_d17a;

export interface TenantDetailShares {
  /** Share of users synced from a directory (directory_id set); default 0.05. */
  directoryShare?: number;
}

/**
 * Role sets shared by the users that hold them, frozen so that a caller changing one fails loudly instead
 * of changing every holder (100k small arrays made the roles the costliest detail).
 */
const ROLE_SETS: readonly number[][] = [
  [],
  [301],
  [302],
  [303],
  [304],
  [301, 302],
  [301, 303],
  [301, 304],
  [301, 305],
].map((roles) => Object.freeze(roles) as number[]);

/** Four decisions per user from one draw's bytes, each a share in 1/256 steps. */
function byteShare(bits: number, byte: number): number {
  return ((bits >>> (byte * 8)) & 0xff) / 256;
}

export function addAccountDetails(users: EmulatorUser[], seed: number, shares: TenantDetailShares = {}): void {
  const random = createSeededRandom((seed ^ DETAILS_SEED_MIX) >>> 0);
  const directoryShare = shares.directoryShare ?? 0.05;
  const signIns = signInPool(random, users[0]?.created_at);
  for (const user of users) {
    const bits = Math.floor(random() * 0x1_0000_0000);
    user.directory_id = byteShare(bits, 0) < directoryShare ? (DIRECTORY_IDS[bits & 1] ?? null) : null;
    user.last_login = lastLogin(random, user, signIns);
    user.custom_attributes = {
      employee_id: byteShare(bits, 1) < 0.7 ? `E${String(1_000_000 + Math.floor(random() * 9_000_000))}` : null,
      cost_center: byteShare(bits, 2) < 0.5 ? pick(random, COST_CENTERS) : null,
    };
    user.role_ids = roleSet(byteShare(bits, 3), random);
  }
}

/** Mostly Default, often one department besides, rarely Administrators, sometimes nothing. */
function roleSet(share: number, random: Random): number[] {
  if (share < 0.25) return ROLE_SETS[0] ?? [];
  if (share < 0.3) return ROLE_SETS[1 + Math.floor(random() * 4)] ?? [];
  if (share < 0.32) return ROLE_SETS[8] ?? [];
  if (share < 0.65) return ROLE_SETS[1] ?? [];
  return ROLE_SETS[5 + Math.floor(random() * 3)] ?? [];
}

const SIGN_IN_POOL_SIZE = 8192;
const EARLIEST_SIGN_IN_TIME = Date.UTC(2016, 0, 1);

/**
 * Sorted ISO sign-in times shared by all users, as the tenant generator shares its creation times: a date
 * string per user made the details cost more than the rest of the tenant at 100k users.
 */
function signInPool(random: Random, earliest: string | undefined): string[] {
  const start = Math.min(EARLIEST_SIGN_IN_TIME, earliest ? Date.parse(earliest) : EARLIEST_SIGN_IN_TIME);
  const times: number[] = [];
  for (let index = 0; index < SIGN_IN_POOL_SIZE; index += 1)
    times.push(start + Math.floor(random() * (LAST_SIGN_IN_TIME - start)));
  return times.sort((left, right) => left - right).map((time) => new Date(time).toISOString());
}

/** Active users mostly signed in at some time after creation; the others rarely or never. */
function lastLogin(random: Random, user: EmulatorUser, signIns: readonly string[]): string | null {
  const signedIn = random() < (user.status === 1 ? 0.85 : 0.2);
  if (!signedIn) return null;
  const first = firstAfter(signIns, user.created_at);
  if (first >= signIns.length) return null;
  return signIns[first + Math.floor(random() * (signIns.length - first))] ?? null;
}

/** Index of the first pool entry after `time` (ISO strings of one format compare as times). */
function firstAfter(sorted: readonly string[], time: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? '') <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}
