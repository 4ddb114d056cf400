import { describe, expect, it } from 'vitest';
import { changesSincePlan, planRefusal } from '../../lambda/engine/plan/plan-check.ts';
import { type PlanDocument, type PlannedUser, parsePlan, planIdFor } from '../../lambda/engine/plan/plan-document.ts';

const createdAt = '2026-11-30T10:00:00.000Z';
const user: PlannedUser = {
  line: 2,
  id: 7,
  username: 'ana',
  email: 'ana@acme.test',
  firstname: 'Ana',
  lastname: 'Lima',
  status: 1,
  state: 1,
  directory_id: null,
  updated_at: '2026-11-01T00:00:00Z',
  last_login: '2026-11-20T08:00:00Z',
};
const plan: PlanDocument = {
  schemaVersion: 1,
  kind: 'plan',
  planId: planIdFor('a'.repeat(64), { host: 'acme.onelogin.com', accountId: 42 }, createdAt),
  createdAt,
  jobId: 'job',
  input: { name: 'users.csv', sha256: 'a'.repeat(64), rows: 1 },
  account: { host: 'acme.onelogin.com', accountId: 42 },
  settings: {},
  users: [user],
};
const binding = {
  sha256: 'a'.repeat(64),
  account: { host: 'acme.onelogin.com', accountId: 42 },
  now: Date.parse(createdAt) + 3_600_000,
  maxAgeHours: 72,
};

describe('planRefusal', () => {
  it('approves the same bytes, account and a fresh plan', () => {
    expect(planRefusal(plan, binding)).toBeUndefined();
  });
  it('refuses other bytes, another host or account, an old plan', () => {
    expect(planRefusal(plan, { ...binding, sha256: 'b'.repeat(64) })?.code).toBe('not-approved');
    expect(planRefusal(plan, { ...binding, account: { host: 'other.onelogin.com', accountId: 42 } })?.code).toBe(
      'wrong-account',
    );
    expect(planRefusal(plan, { ...binding, account: { host: 'acme.onelogin.com', accountId: 43 } })?.code).toBe(
      'wrong-account',
    );
    const old = planRefusal(plan, { ...binding, now: Date.parse(createdAt) + 73 * 3_600_000 });
    expect(old?.code).toBe('not-approved');
    expect(old?.message).toMatch(/73\.0 h old/);
  });
});

describe('changesSincePlan', () => {
  it('finds nothing when only the case or an unrelated field differs', () => {
    expect(changesSincePlan(user, { ...user, email: 'ANA@acme.test', firstname: 'Anna' }, createdAt)).toEqual([]);
  });
  it('names each change that matters', () => {
    const changed = changesSincePlan(
      user,
      { ...user, email: 'bob@acme.test', status: 2, directory_id: 9, last_login: '2026-11-30T11:00:00Z' },
      createdAt,
    );
    expect(changed).toEqual([
      'email "ana@acme.test" → "bob@acme.test"',
      'status 1 → 2',
      'directory_id none → 9',
      'signed in at 2026-11-30T11:00:00Z, after the plan',
    ]);
  });
});

describe('parsePlan', () => {
  it('reads what it wrote and refuses what is not a plan', () => {
    expect(parsePlan(JSON.stringify(plan)).planId).toBe(plan.planId);
    expect(() => parsePlan('{')).toThrow(/not JSON/);
    expect(() => parsePlan('{"kind":"report"}')).toThrow(/not a plan/);
    expect(() => parsePlan(JSON.stringify({ ...plan, schemaVersion: 9 }))).toThrow(/schemaVersion 9/);
    expect(() => parsePlan(JSON.stringify({ ...plan, users: [{ id: 'x' }] }))).toThrow(/incomplete/);
  });
  it('derives a different planId for another account or time', () => {
    expect(planIdFor('a'.repeat(64), { host: 'acme.onelogin.com', accountId: 43 }, createdAt)).not.toBe(plan.planId);
    expect(planIdFor('a'.repeat(64), plan.account, '2026-11-30T10:00:01.000Z')).not.toBe(plan.planId);
  });
});
