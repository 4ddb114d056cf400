import { describe, expect, it } from 'vitest';
import { generateTenant, TENANT_ROLES } from '../../lambda/emulator/tenant-generator.ts';

describe('generated account details', () => {
  const tenant = generateTenant({ seed: 42, count: 5_000 });

  it('syncs about 5% of users from a directory, the rest have directory_id null', () => {
    const synced = tenant.filter((user) => user.directory_id !== null);
    expect(synced.length).toBeGreaterThan(tenant.length * 0.03);
    expect(synced.length).toBeLessThan(tenant.length * 0.08);
    expect(synced.every((user) => Number.isSafeInteger(user.directory_id))).toBe(true);
    expect(tenant.every((user) => user.directory_id !== undefined)).toBe(true);
  });

  it('gives most active users a sign-in after their creation, and some users none', () => {
    const active = tenant.filter((user) => user.status === 1);
    const signedIn = active.filter((user) => user.last_login !== null);
    expect(signedIn.length).toBeGreaterThan(active.length * 0.7);
    expect(tenant.some((user) => user.last_login === null)).toBe(true);
    for (const user of signedIn) {
      expect(user.last_login).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect((user.last_login ?? '') >= user.created_at).toBe(true);
    }
  });

  it('gives every user the account’s custom attributes, some of them empty', () => {
    for (const user of tenant)
      expect(Object.keys(user.custom_attributes ?? {}).sort()).toEqual(['cost_center', 'employee_id']);
    expect(tenant.some((user) => user.custom_attributes?.employee_id === null)).toBe(true);
    expect(tenant.some((user) => /^E\d{7}$/.test(user.custom_attributes?.employee_id ?? ''))).toBe(true);
  });

  it('assigns only the tenant’s roles, to most users, and none to some', () => {
    const known = new Set(TENANT_ROLES.map((role) => role.id));
    expect(tenant.every((user) => (user.role_ids ?? []).every((id) => known.has(id)))).toBe(true);
    expect(tenant.filter((user) => (user.role_ids ?? []).length > 0).length).toBeGreaterThan(tenant.length * 0.6);
    expect(tenant.some((user) => user.role_ids?.length === 0)).toBe(true);
  });

  it('draws the details from a stream of their own: names, emails and ids do not depend on them', () => {
    const withoutDirectories = generateTenant({ seed: 42, count: 5_000, directoryShare: 0 });
    expect(withoutDirectories.every((user) => user.directory_id === null)).toBe(true);
    const base = (users: typeof tenant) =>
      users.map(({ id, username, email, firstname, lastname, status, state, created_at, updated_at }) => ({
        id,
        username,
        email,
        firstname,
        lastname,
        status,
        state,
        created_at,
        updated_at,
      }));
    expect(base(withoutDirectories)).toEqual(base(tenant));
  });

  it('pins the first generated user of seed 42, so that a change to the generator is a visible decision', () => {
    expect(tenant[0]).toMatchInlineSnapshot(`
      {
        "created_at": "2018-04-20T11:56:53.327Z",
        "custom_attributes": {
          "cost_center": null,
          "employee_id": null,
        },
        "directory_id": null,
        "email": "Renee.Williams@CORP.EXAMPLE.NET",
        "firstname": "Renée",
        "id": 10000001,
        "last_login": null,
        "lastname": "Williams",
        "role_ids": [
          301,
        ],
        "state": 1,
        "status": 1,
        "updated_at": "2019-01-31T15:34:59.819Z",
        "username": "renee.williams",
      }
    `);
  });
});
