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

const DEPARTMENT_ROLES = [302, 303, 304] as const;
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

export function addAccountDetails(users: EmulatorUser[], seed: number, shares: TenantDetailShares = {}): void {
  const random = createSeededRandom((seed ^ DETAILS_SEED_MIX) >>> 0);
  const directoryShare = shares.directoryShare ?? 0.05;
  for (const user of users) {
    user.directory_id = random() < directoryShare ? pick(random, DIRECTORY_IDS) : null;
    user.last_login = lastLogin(random, user);
    user.custom_attributes = {
      employee_id: random() < 0.7 ? `E${String(1_000_000 + Math.floor(random() * 9_000_000))}` : null,
      cost_center: random() < 0.5 ? pick(random, COST_CENTERS) : null,
    };
    user.role_ids = roleIds(random);
  }
}

/** Active users mostly signed in at some time after creation; the others rarely or never. */
function lastLogin(random: Random, user: EmulatorUser): string | null {
  const signedIn = random() < (user.status === 1 ? 0.85 : 0.2);
  if (!signedIn) return null;
  const created = Date.parse(user.created_at);
  if (Number.isNaN(created) || created >= LAST_SIGN_IN_TIME) return null;
  return new Date(created + Math.floor(random() * (LAST_SIGN_IN_TIME - created))).toISOString();
}

function roleIds(random: Random): number[] {
  const roles: number[] = [];
  if (random() < 0.7) roles.push(301);
  if (random() < 0.4) roles.push(pick(random, DEPARTMENT_ROLES));
  if (random() < 0.02) roles.push(305);
  return roles;
}
