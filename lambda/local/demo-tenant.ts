// The demo account: the generated tenant plus a few users whose names try to break a report (markup in report.html, a
// formula in report.csv, accents), so that the demo's own reports show they are shown as text and never run.
import type { EmulatorUser } from '../emulator/emulator-types.ts';
import { generateTenant } from '../emulator/tenant-generator.ts';
import { DEMO_TENANT } from './demo-settings.ts';

const CREATED = '2025-03-04T09:00:00Z';

function probe(id: number, username: string, email: string, firstname: string, lastname: string): EmulatorUser {
  return { id, username, email, firstname, lastname, status: 1, state: 1, created_at: CREATED, updated_at: CREATED };
}

/** Far above the generated ids; the demo sample names each of them by id. */
export const DEMO_PROBE_USERS: readonly EmulatorUser[] = [
  probe(19_000_001, '<script>alert(1)</script>', 'script.probe@example.com', '<b>Script</b>', 'Probe'),
  probe(19_000_002, '"><img src=x onerror=alert(1)>', 'img.probe@example.com', 'Image', '"Probe"'),
  probe(19_000_003, '=HYPERLINK("http://example.com/x","click")', 'formula.probe@example.com', 'Formula', 'Probe'),
  probe(19_000_004, 'françois.müller', 'francois.mueller@example.com', 'François', 'Müller'),
];

export function demoTenantUsers(): EmulatorUser[] {
  const users = generateTenant({ ...DEMO_TENANT });
  const taken = new Set(users.map((user) => user.id));
  for (const user of DEMO_PROBE_USERS) {
    if (taken.has(user.id)) throw new Error(`demo probe user ${user.id} collides with a generated user`);
  }
  return [...users, ...DEMO_PROBE_USERS.map((user) => ({ ...user }))];
}

/** How many users the demo account starts with. */
export const DEMO_USER_COUNT = DEMO_TENANT.count + DEMO_PROBE_USERS.length;
