import { describe, expect, it } from 'vitest';
import { generateTenant } from '../../lambda/emulator/tenant-generator.ts';

describe('generateTenant', () => {
  const tenant = generateTenant({ seed: 42, count: 20_000 });

  it('is deterministic: same seed, same tenant; another seed, another tenant', () => {
    expect(generateTenant({ seed: 42, count: 20_000 })).toEqual(tenant);
    const other = generateTenant({ seed: 43, count: 20_000 });
    expect(other.map((user) => user.email)).not.toEqual(tenant.map((user) => user.email));
  });

  it('makes the requested number of users with unique, positive, non-contiguous ids', () => {
    expect(tenant).toHaveLength(20_000);
    const ids = tenant.map((user) => user.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => Number.isSafeInteger(id) && id > 0)).toBe(true);
    const gaps = ids.slice(1).filter((id, index) => id - (ids[index] ?? 0) > 1).length;
    expect(gaps).toBeGreaterThan(0);
  });

  it('starts at startId', () => {
    expect(generateTenant({ seed: 1, count: 3, startId: 500 })[0]?.id).toBe(500);
  });

  it('gives unique usernames (first.last with numeric suffixes on collisions)', () => {
    const usernames = tenant.map((user) => user.username).filter((name): name is string => name !== null);
    expect(new Set(usernames.map((name) => name.toLowerCase())).size).toBe(usernames.length);
    expect(usernames.some((name) => /^[a-z-]+\.[a-z-]+\d+$/.test(name))).toBe(true);
  });

  it('lets about 1% of users share an email with another user', () => {
    const counts = new Map<string, number>();
    for (const user of tenant) {
      if (user.email) counts.set(user.email.toLowerCase(), (counts.get(user.email.toLowerCase()) ?? 0) + 1);
    }
    const sharing = tenant.filter((user) => user.email && (counts.get(user.email.toLowerCase()) ?? 0) > 1).length;
    expect(sharing).toBeGreaterThan(tenant.length * 0.005);
    expect(sharing).toBeLessThan(tenant.length * 0.05);
  });

  it('includes odd characters: apostrophes, accents, plus-addressing, hyphens, mixed case', () => {
    expect(tenant.some((user) => user.lastname?.includes("'"))).toBe(true);
    expect(tenant.some((user) => user.email?.includes("'"))).toBe(true);
    expect(tenant.some((user) => /[^\x00-\x7f]/.test(user.firstname ?? ''))).toBe(true);
    expect(tenant.some((user) => /\+[a-z]+@/.test(user.email ?? ''))).toBe(true);
    expect(tenant.some((user) => user.username?.includes('-'))).toBe(true);
    expect(tenant.some((user) => user.email !== null && user.email !== user.email.toLowerCase())).toBe(true);
  });

  it('uses mostly status 1, with some 0, 2, 3 and 7', () => {
    const statuses = new Map<number, number>();
    for (const user of tenant) statuses.set(user.status, (statuses.get(user.status) ?? 0) + 1);
    expect(statuses.get(1) ?? 0).toBeGreaterThan(tenant.length * 0.7);
    for (const status of [0, 2, 3, 7]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
    expect([...statuses.keys()].every((status) => [0, 1, 2, 3, 7].includes(status))).toBe(true);
  });

  it('emits ISO-8601 timestamps with updated_at not before created_at, and valid emails', () => {
    for (const user of tenant.slice(0, 2000)) {
      expect(user.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(user.updated_at >= user.created_at).toBe(true);
      expect(user.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/i);
    }
  });
});
