import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildDemoSample, DEMO_SAMPLE_PATH } from '../../lambda/local/demo-sample.ts';
import { DEMO_TENANT } from '../../lambda/local/demo-settings.ts';
import { demoTenantUsers } from '../../lambda/local/demo-tenant.ts';

describe('samples/demo-users.csv', () => {
  const tenant = demoTenantUsers();
  const sample = buildDemoSample(tenant);

  it('is exactly what the generator writes from the demo tenant', async () => {
    expect(await readFile(DEMO_SAMPLE_PATH, 'utf8')).toBe(sample.csv);
  });

  it('names existing users in every identifier form and stays well under the 10 % budget', () => {
    const lines = sample.csv.trimEnd().split('\n');
    const rows = lines.slice(1).map((line) => line.split(','));
    const byLine = new Map(sample.expected.map((row) => [row.line, row]));
    const forms = new Set<string>();
    for (const [index, cells] of rows.entries()) {
      const expected = byLine.get(index + 2);
      if (expected?.dryRun !== 'would-delete') continue;
      const user = tenant.find((candidate) => candidate.id === expected.userId);
      expect(user).toBeDefined();
      const [id = '', username = '', email = ''] = cells;
      if (id !== '') expect(Number(id)).toBe(user!.id);
      if (username !== '') expect(username.toLowerCase()).toBe(user!.username!.toLowerCase());
      if (email !== '') expect(email.toLowerCase()).toBe(user!.email!.toLowerCase());
      forms.add([id && 'id', username && 'username', email && 'email'].filter(Boolean).join('+'));
    }
    expect(forms).toEqual(new Set(['id', 'email', 'username', 'id+username+email']));
    const toDelete = sample.expected.filter((row) => row.dryRun === 'would-delete').length;
    expect(toDelete).toBeGreaterThanOrEqual(30);
    expect(toDelete).toBeLessThanOrEqual(DEMO_TENANT.count * 0.1);
    expect(new Set(sample.expected.map((row) => row.userId).filter((id) => id !== undefined)).size).toBe(toDelete);
  });

  it('shows each safety rule at least once', () => {
    const reasons = sample.expected.map((row) => row.reason ?? row.dryRun);
    for (const reason of ['not-found', 'duplicate', 'wildcard', 'invalid-id', 'identifier-mismatch', 'ambiguous']) {
      expect(reasons).toContain(reason);
    }
  });
});
