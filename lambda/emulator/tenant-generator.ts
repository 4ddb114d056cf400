// A seeded, realistic OneLogin tenant: plausible names, colliding usernames with numeric suffixes,
// a few shared emails, odd characters (O'Brien, José, plus-addressing, hyphens) and sparse ids.
import type { EmulatorUser } from './emulator-types.ts';
import { createSeededRandom, pick, type Random } from './seeded-random.ts';
import { addAccountDetails, type TenantDetailShares } from './tenant-account-details.ts';

export { TENANT_ROLES } from './tenant-account-details.ts';

export interface TenantOptions extends TenantDetailShares {
  seed: number;
  count: number;
  /** First id (default 10,000,001); later ids leave random gaps, as real tenants do after deletions. */
  startId?: number;
}

const FIRST_NAMES = [
  'James',
  'Mary',
  'John',
  'Patricia',
  'Robert',
  'Jennifer',
  'Michael',
  'Linda',
  'David',
  'Elizabeth',
  'William',
  'Barbara',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Wei',
  'Hazel',
  'Priya',
  'Ahmed',
  'Fatima',
  'Katinka',
  'Lars',
  'Ingrid',
  'Kenji',
  'Yuki',
  'José',
  'Zoë',
  'Renée',
  'François',
  'Anne-Marie',
  'Jean-Luc',
  'Søren',
  'Chloé',
  'Noël',
  'Siobhán',
] as const;

const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Wilson',
  'Anderson',
  'Taylor',
  'Thomas',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Zhang',
  'Nguyen',
  'Patel',
  'Kim',
  'Müller',
  'Schmidt',
  'Jensen',
  'Tanaka',
  'Kowalski',
  'Rossi',
  "O'Brien",
  "D'Angelo",
  "O'Neill",
  'Smith-Jones',
  'García-Márquez',
  'Núñez',
  'Åberg',
  'Lefèvre',
  'Björk',
  'Van der Berg',
] as const;

const DOMAINS = ['example.com', 'example.org', 'corp.example.net', 'mail.example.io', 'acme.test'] as const;

const BASE_TIME = Date.UTC(2016, 0, 21, 9, 20, 15, 990);
const SPAN_MS = 9 * 365 * 24 * 3600 * 1000;

/** Letters and digits only, lower-cased, accents folded: José O'Brien → jose, obrien. */
function asciiHandle(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/gi, 'o')
    .replace(/[^A-Za-z0-9-]/g, '')
    .toLowerCase();
}

const TIMESTAMP_POOL_SIZE = 8192;

/**
 * Sorted ISO timestamps shared by all users: building two date strings per user made garbage
 * collection the main cost at 100k users. Repeated timestamps are harmless (bulk imports share them too).
 */
function timestampPool(random: Random): string[] {
  const times: number[] = [];
  for (let index = 0; index < TIMESTAMP_POOL_SIZE; index += 1) times.push(BASE_TIME + Math.floor(random() * SPAN_MS));
  return times.sort((left, right) => left - right).map((time) => new Date(time).toISOString());
}

function pickStatus(random: Random): number {
  const draw = random();
  if (draw < 0.85) return 1;
  if (draw < 0.9) return 0;
  if (draw < 0.94) return 2;
  if (draw < 0.97) return 3;
  return 7;
}

function pickState(random: Random): number {
  const draw = random();
  if (draw < 0.95) return 1;
  if (draw < 0.98) return 3;
  return 0;
}

/** Every first.last handle, built once so that the common case allocates no name strings. */
const FIRST_HANDLES = FIRST_NAMES.map(asciiHandle);
const LAST_HANDLES = LAST_NAMES.map(asciiHandle);
const BASE_HANDLES = FIRST_HANDLES.flatMap((first) => LAST_HANDLES.map((last) => `${first}.${last}`));
const CAPITALIZED_HANDLES = BASE_HANDLES.map((handle) =>
  handle.replace(/(^|[.-])([a-z])/g, (_, separator: string, letter: string) => separator + letter.toUpperCase()),
);
/** sean.o'brien: apostrophes are legal in an email's local part, and break naive quoting. */
const APOSTROPHE_HANDLES = FIRST_HANDLES.flatMap((first) =>
  LAST_NAMES.map((last) => (last.includes("'") ? `${first}.${last.toLowerCase()}` : undefined)),
);
const UPPER_DOMAINS = DOMAINS.map((domain) => domain.toUpperCase());
const PLUS_TAGS = ['it', 'test', 'alt'] as const;

export function generateTenant(options: TenantOptions): EmulatorUser[] {
  const random = createSeededRandom(options.seed);
  const users: EmulatorUser[] = [];
  const handleCounts = new Uint32Array(BASE_HANDLES.length);
  const timestamps = timestampPool(random);
  let id = options.startId ?? 10_000_001;

  for (let index = 0; index < options.count; index += 1) {
    const firstIndex = Math.floor(random() * FIRST_NAMES.length);
    const lastIndex = Math.floor(random() * LAST_NAMES.length);
    const baseIndex = firstIndex * LAST_NAMES.length + lastIndex;
    const seen = handleCounts[baseIndex] ?? 0;
    handleCounts[baseIndex] = seen + 1;
    const suffix = seen === 0 ? '' : String(seen + 1);
    const handle = (BASE_HANDLES[baseIndex] ?? '') + suffix;
    const domainIndex = Math.floor(random() * DOMAINS.length);
    const domain = DOMAINS[domainIndex] ?? DOMAINS[0];

    const shapeDraw = random();
    const apostropheHandle = APOSTROPHE_HANDLES[baseIndex];
    let email: string;
    if (shapeDraw < 0.01 && index > 0) {
      email = users[Math.floor(random() * index)]?.email ?? `${handle}@${domain}`; // a shared mailbox
    } else if (shapeDraw < 0.02) {
      email = `${handle}+${pick(random, PLUS_TAGS)}@${domain}`;
    } else if (shapeDraw < 0.04) {
      email = `${CAPITALIZED_HANDLES[baseIndex] ?? ''}${suffix}@${UPPER_DOMAINS[domainIndex] ?? ''}`;
    } else if (apostropheHandle !== undefined && shapeDraw < 0.5) {
      email = `${apostropheHandle}${suffix}@${domain}`;
    } else {
      email = `${handle}@${domain}`;
    }

    const nullDraw = random();
    const createdIndex = Math.floor(random() * TIMESTAMP_POOL_SIZE);
    const updatedIndex = Math.min(TIMESTAMP_POOL_SIZE - 1, createdIndex + Math.floor(random() * 1024));
    const namesMissing = nullDraw >= 0.002 && nullDraw < 0.005;
    users.push({
      id,
      username: nullDraw < 0.002 ? null : handle,
      email,
      firstname: namesMissing ? null : (FIRST_NAMES[firstIndex] ?? null),
      lastname: namesMissing ? null : (LAST_NAMES[lastIndex] ?? null),
      status: pickStatus(random),
      state: pickState(random),
      created_at: timestamps[createdIndex] ?? '',
      updated_at: timestamps[updatedIndex] ?? '',
    });
    id += 1 + Math.floor(random() * 4);
  }
  addAccountDetails(users, options.seed, options);
  return users;
}
