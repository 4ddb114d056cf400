import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EmulatorOptions, OneLoginEmulator } from '../../lambda/emulator/emulator-types.ts';
import { createOneLoginEmulator } from '../../lambda/emulator/onelogin-emulator.ts';
import {
  bearer,
  CLIENT_ID,
  CLIENT_SECRET,
  call,
  credentialHeader,
  fetchToken,
  header,
  JSON_GRANT,
  makeUser,
} from './emulator-test-client.ts';

const USERS = Array.from({ length: 40 }, (_, index) => makeUser(index + 1, `u${index + 1}`, `u${index + 1}@x.com`));

describe('fault injection and stats', () => {
  const started: OneLoginEmulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((emulator) => emulator.close()));
  });

  async function start(overrides: Partial<EmulatorOptions> = {}): Promise<OneLoginEmulator> {
    const emulator = await createOneLoginEmulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      users: USERS,
      ...overrides,
    });
    started.push(emulator);
    return emulator;
  }

  /** Outcome of a call: status, `html`/`json` for 5xx bodies, or `reset` when the connection was dropped. */
  async function outcome(
    url: string,
    headers: Record<string, string>,
    method: 'GET' | 'DELETE' = 'GET',
  ): Promise<string> {
    try {
      const answer = await call(url, { method, headers });
      if (answer.status >= 500)
        return `${answer.status}:${header(answer, 'content-type')?.startsWith('text/html') ? 'html' : 'json'}`;
      return String(answer.status);
    } catch {
      return 'reset';
    }
  }

  async function sequence(seed: number): Promise<string[]> {
    const emulator = await start();
    const auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
    emulator.setFaults({ seed, error5xxRate: 0.3, resetRate: 0.15, slowRate: 0.1, slowMs: 5 });
    const outcomes: string[] = [];
    for (let id = 1; id <= 40; id += 1) outcomes.push(await outcome(`${emulator.url}/api/2/users/${id}`, auth));
    return outcomes;
  }

  it('produces the same fault sequence for the same seed, and a different one for another seed', async () => {
    const first = await sequence(7);
    const second = await sequence(7);
    const other = await sequence(8);
    expect(second).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first).toContain('reset');
    expect(first).toContain('200');
    expect(first.some((entry) => entry.endsWith(':html'))).toBe(true);
    expect(first.some((entry) => entry.endsWith(':json'))).toBe(true);
    expect(
      new Set(first.filter((entry) => entry.includes(':')).map((entry) => entry.slice(0, 3))).size,
    ).toBeGreaterThan(1);
  });

  it('counts injected faults', async () => {
    const emulator = await start();
    const auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
    emulator.setFaults({ seed: 3, error5xxRate: 0.3, resetRate: 0.2, slowRate: 0.2, slowMs: 1 });
    const outcomes: string[] = [];
    for (let id = 1; id <= 30; id += 1) outcomes.push(await outcome(`${emulator.url}/api/2/users/${id}`, auth));
    const faults = emulator.stats().faultsInjected;
    expect(faults.error5xx).toBe(outcomes.filter((entry) => entry.startsWith('5')).length);
    expect(faults.reset).toBe(outcomes.filter((entry) => entry === 'reset').length);
    expect(faults.slow).toBeGreaterThan(0);
    expect(faults.error5xx + faults.reset + faults.slow).toBeLessThanOrEqual(30);
  });

  it('never deletes on a faulted DELETE', async () => {
    const emulator = await start();
    const auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
    emulator.setFaults({ seed: 1, error5xxRate: 1 });
    expect(await outcome(`${emulator.url}/api/2/users/1`, auth, 'DELETE')).toMatch(/^50[0-4]:/);
    emulator.setFaults({ seed: 1, resetRate: 1 });
    expect(await outcome(`${emulator.url}/api/2/users/1`, auth, 'DELETE')).toBe('reset');
    emulator.setFaults(undefined);
    expect(emulator.users().map((user) => user.id)).toContain(1);
    expect(emulator.stats().deletions).toEqual([]);
    expect(await outcome(`${emulator.url}/api/2/users/1`, auth, 'DELETE')).toBe('204');
  });

  it('answers a slow call normally after the delay', async () => {
    const emulator = await start();
    const auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
    emulator.setFaults({ seed: 1, slowRate: 1, slowMs: 10 });
    expect(await outcome(`${emulator.url}/api/2/users/5`, auth, 'DELETE')).toBe('204');
    expect(emulator.stats().faultsInjected.slow).toBe(1);
    expect(emulator.stats().deletions.map((entry) => entry.id)).toEqual([5]);
  });

  it('deleteThenReset deletes the user and drops the answer, so a retry answers 404', async () => {
    const emulator = await start();
    const auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
    emulator.setFaults({ seed: 1, deleteThenResetRate: 1 });
    expect(await outcome(`${emulator.url}/api/2/users/9`, auth)).toBe('200');
    expect(await outcome(`${emulator.url}/api/2/users/9`, auth, 'DELETE')).toBe('reset');
    emulator.setFaults(undefined);
    expect(await outcome(`${emulator.url}/api/2/users/9`, auth, 'DELETE')).toBe('404');
    expect(emulator.stats().deletions.map((entry) => entry.id)).toEqual([9]);
  });

  it('leaves the token endpoint alone unless includeToken', async () => {
    const emulator = await start({ faults: { seed: 1, error5xxRate: 1 } });
    await expect(fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET)).resolves.toBeTypeOf('string');
    emulator.setFaults({ seed: 1, error5xxRate: 1, includeToken: true });
    const answer = await call(`${emulator.url}/auth/oauth2/v2/token`, {
      method: 'POST',
      headers: credentialHeader(CLIENT_ID, CLIENT_SECRET),
      body: JSON_GRANT,
    });
    expect(answer.status).toBeGreaterThanOrEqual(500);
  });

  it('counts calls by kind and resets stats', async () => {
    const emulator = await start();
    const auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
    await call(`${emulator.url}/api/2/users`, { headers: auth });
    await call(`${emulator.url}/api/2/users/2`, { headers: auth });
    await call(`${emulator.url}/api/2/users/2`, { method: 'DELETE', headers: auth });
    await call(`${emulator.url}/auth/rate_limit`, { headers: auth });
    const stats = emulator.stats();
    expect(stats.calls).toEqual({
      token: 1,
      list: 1,
      get: 1,
      delete: 1,
      create: 0,
      update: 0,
      logout: 0,
      roles: 0,
      assignRoles: 0,
      other: 1,
    });
    expect(stats.tokensIssued).toBe(1);
    expect(stats.deletions).toHaveLength(1);
    expect(stats.deletions[0]?.id).toBe(2);
    emulator.resetStats();
    expect(Object.values(emulator.stats().calls).every((count) => count === 0)).toBe(true);
    expect(emulator.stats().deletions).toEqual([]);
  });

  it('tracks the highest number of requests handled at once', async () => {
    const emulator = await start({ faults: { seed: 1, slowRate: 1, slowMs: 60_000 } });
    const auth = bearer(await fetchToken(emulator.url, CLIENT_ID, CLIENT_SECRET));
    const pending = Array.from({ length: 5 }, (_, index) =>
      call(`${emulator.url}/api/2/users/${index + 1}`, { headers: auth }).catch(() => 'dropped'),
    );
    await vi.waitFor(() => expect(emulator.stats().maxInFlight).toBe(5), { timeout: 10_000 });
    await emulator.close();
    started.splice(started.indexOf(emulator), 1);
    expect(await Promise.all(pending)).toEqual(Array(5).fill('dropped'));
  });
});
