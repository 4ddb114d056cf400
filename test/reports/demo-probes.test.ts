import { describe, expect, it } from 'vitest';
import { buildDemoSample } from '../../lambda/local/demo-sample.ts';
import { DEMO_PROBE_USERS, DEMO_USER_COUNT, demoTenantUsers } from '../../lambda/local/demo-tenant.ts';

describe('the demo account', () => {
  it('holds users whose names try to inject markup or formulas, and the demo sample deletes them', () => {
    const users = demoTenantUsers();
    expect(users).toHaveLength(DEMO_USER_COUNT);
    const usernames = users.map((user) => user.username);
    expect(usernames).toContain('<script>alert(1)</script>');
    expect(usernames).toContain('"><img src=x onerror=alert(1)>');
    expect(usernames.some((name) => name?.startsWith('=HYPERLINK('))).toBe(true);
    const sample = buildDemoSample(users);
    const planned = sample.expected.filter((row) => row.dryRun === 'would-delete').map((row) => row.userId);
    for (const probe of DEMO_PROBE_USERS) expect(planned).toContain(probe.id);
  });
});
