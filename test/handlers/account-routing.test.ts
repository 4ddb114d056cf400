// The account rules of issue 12 without AWS: the setting's validation, the key → account route, the overrides, and
// one client (one pacer) per account.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../lambda/engine/ports.ts';
import { accountRouteFor } from '../../lambda/handlers/account-routing.ts';
import { withOverrides } from '../../lambda/handlers/account-run.ts';
import { createDirectoryProvider } from '../../lambda/handlers/directory-provider.ts';
import { accountsFromEnv, parseAccounts } from '../../lambda/settings/accounts-setting.ts';
import { SettingsError } from '../../lambda/settings/settings-error.ts';

const ACCOUNTS = parseAccounts(
  { prod: 'onelogin/prod', sandbox: { secretName: 'onelogin/sandbox', maxPercent: 50, protect: ['42'] } },
  'accounts',
);
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

describe('the accounts setting', () => {
  it('accepts the short form and the object form', () => {
    expect(ACCOUNTS).toEqual({
      prod: { secretId: 'onelogin/prod' },
      sandbox: { secretId: 'onelogin/sandbox', maxPercent: 50, protect: ['42'] },
    });
  });

  it.each([
    [{ Prod: 'a' }, "account name 'Prod'"],
    [{ '../x': 'a' }, "account name '../x'"],
    [{ a: 'same', b: 'same' }, 'accounts a, b share the secret same'],
    [{ a: { secretName: 'x', maxPercent: 0 } }, 'accounts.a.maxPercent must be'],
    [{ a: { secretName: 'x', rateShare: 2 } }, 'accounts.a.rateShare must be'],
    [{ a: { secretName: 'x', protect: ['*'] } }, 'accounts.a.protect'],
    [{ a: { secretName: 'x', budget: 3 } }, 'unknown setting(s) budget'],
    [{ a: {} }, 'accounts.a needs a secretName'],
    [{}, 'at least one account'],
    [['a'], 'must be an object'],
  ])('refuses %j', (value, problem) => {
    expect(() => parseAccounts(value, 'accounts')).toThrow(SettingsError);
    expect(() => parseAccounts(value, 'accounts')).toThrow(problem);
  });

  it('reads the env var the stack writes, and nothing when it is unset', () => {
    expect(accountsFromEnv({ ONELOGIN_ACCOUNTS: JSON.stringify(ACCOUNTS) })).toEqual(ACCOUNTS);
    expect(accountsFromEnv({})).toBeUndefined();
    expect(() => accountsFromEnv({ ONELOGIN_ACCOUNTS: '{' })).toThrow('ONELOGIN_ACCOUNTS is not valid JSON');
  });
});

describe('the account a key is for', () => {
  it('is the first folder under any input prefix', () => {
    for (const key of ['dry-run/prod/a.csv', 'live/prod/x/a.csv', 'suspend/prod/a.csv', 'restore/prod/s.jsonl']) {
      expect(accountRouteFor(key, ACCOUNTS)).toMatchObject({ kind: 'account', name: 'prod' });
    }
  });

  it('is refused unknown-account for another folder or none, naming the accounts and where to upload', () => {
    const route = accountRouteFor('live/staging/a.csv', ACCOUNTS);
    expect(route).toMatchObject({ kind: 'unknown', code: 'unknown-account' });
    expect(route.kind === 'unknown' && route.message).toContain("'staging' is not an account this stack serves");
    expect(route.kind === 'unknown' && route.message).toContain('Upload it again as live/prod/a.csv');
    expect(accountRouteFor('live/a.csv', ACCOUNTS)).toMatchObject({ kind: 'unknown' });
    expect(accountRouteFor('dry-run/__proto__/a.csv', ACCOUNTS)).toMatchObject({ kind: 'unknown' });
  });

  it('is the one secret without the setting', () => {
    expect(accountRouteFor('live/prod/a.csv', undefined)).toEqual({ kind: 'single' });
  });
});

describe("an account's overrides", () => {
  it('replace the stack’s budgets and add to its protect list', () => {
    const stack = { maxPercent: 10, rateShare: 0.8, concurrency: 4, protect: ['admin@example.com'] };
    expect(withOverrides(stack, { secretId: 's', maxPercent: 50, rateShare: 0.3, protect: ['42'] })).toEqual({
      maxPercent: 50,
      rateShare: 0.3,
      concurrency: 4,
      protect: ['admin@example.com', '42'],
    });
    expect(withOverrides(stack, { secretId: 's' })).toEqual(stack);
  });
});

describe('one client per account', () => {
  it('runs of one account share a client; another account gets its own, with its own rate share', async () => {
    const loaded: Array<string | undefined> = [];
    const provider = createDirectoryProvider({
      loadSettings: async (account) => {
        loaded.push(account);
        return {
          host: { apiUrl: `http://127.0.0.1:${account === 'prod' ? 9001 : 9002}` },
          credentials: { clientId: `${account}-id`, clientSecret: `${account}-secret` },
        };
      },
      clock: systemClock,
      options: { rateShare: 0.8, concurrency: 1 },
    });
    const first = await provider.directoryFor(silent, { name: 'prod' });
    const again = await provider.directoryFor(silent, { name: 'prod' });
    const other = await provider.directoryFor(silent, { name: 'sandbox', rateShare: 0.2 });
    expect(again.client).toBe(first.client);
    expect(other.client).not.toBe(first.client);
    expect(loaded).toEqual(['prod', 'prod', 'sandbox']);
    expect([first.host, other.host]).toEqual(['127.0.0.1:9001', '127.0.0.1:9002']);
    expect((await provider.directoryFor(silent, { name: 'prod' })).client).toBe(first.client);
    await Promise.all([first.client?.close(), other.client?.close()]);
  });
});
