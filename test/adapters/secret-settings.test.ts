import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createSecretSettingsLoader,
  SecretSettingsError,
  settingsFromJson,
  validateApiUrl,
} from '../../lambda/adapters/secret-settings.ts';

const ID = 'client-id-VALUE-1';
const SECRET = 'client-secret-VALUE-2';

describe('settingsFromJson', () => {
  it.each([
    [{ subdomain: 'acme' }, { subdomain: 'acme' }],
    [{ subdomain: ' Acme-Corp ' }, { subdomain: 'acme-corp' }],
    [{ region: 'us' }, { region: 'us' }],
    [{ region: 'EU' }, { region: 'eu' }],
    [{ api_url: 'https://acme.onelogin.com/' }, { apiUrl: 'https://acme.onelogin.com' }],
    [{ api_url: 'http://127.0.0.1:4570' }, { apiUrl: 'http://127.0.0.1:4570' }],
    [{ api_url: 'http://localhost:1/' }, { apiUrl: 'http://localhost:1' }],
    [{ api_url: 'http://[::1]:8080' }, { apiUrl: 'http://[::1]:8080' }],
  ])('accepts host %j', (host, expected) => {
    expect(settingsFromJson(JSON.stringify({ client_id: ID, client_secret: SECRET, ...host }))).toEqual({
      credentials: { clientId: ID, clientSecret: SECRET },
      host: expected,
    });
  });

  it.each([
    [189185, 189185],
    ['189185', 189185],
    [null, undefined],
  ])('reads account_id %j as the account the credentials must reach', (accountId, expected) => {
    const settings = settingsFromJson(
      JSON.stringify({ client_id: ID, client_secret: SECRET, subdomain: 'acme', account_id: accountId }),
    );
    expect(settings.accountId).toBe(expected);
  });

  it.each([0, -4, 1.5, 'acme', '12a', true])('refuses account_id %j', (accountId) => {
    expect(() =>
      settingsFromJson(
        JSON.stringify({ client_id: ID, client_secret: SECRET, subdomain: 'acme', account_id: accountId }),
      ),
    ).toThrow(/account_id must be a positive whole number/);
  });

  it.each([
    ['empty', '', 'secret-invalid', /empty/],
    ['not JSON', `{"client_id":"${ID}","client_secret":"${SECRET}"`, 'secret-invalid', /not valid JSON/],
    ['an array', '[1]', 'secret-invalid', /JSON object/],
    ['no client_id', JSON.stringify({ client_secret: SECRET, subdomain: 'a' }), 'secret-invalid', /no client_id/],
    ['no client_secret', JSON.stringify({ client_id: ID, subdomain: 'a' }), 'secret-invalid', /no client_secret/],
    [
      'blank client_secret',
      JSON.stringify({ client_id: ID, client_secret: '  ', subdomain: 'a' }),
      'secret-invalid',
      /client_secret is empty/,
    ],
    [
      'numeric client_id',
      JSON.stringify({ client_id: 5, client_secret: SECRET, subdomain: 'a' }),
      'secret-invalid',
      /client_id must be a string/,
    ],
    ['no host', JSON.stringify({ client_id: ID, client_secret: SECRET }), 'secret-invalid', /names no host/],
    [
      'two hosts',
      JSON.stringify({ client_id: ID, client_secret: SECRET, subdomain: 'a', region: 'us' }),
      'host-invalid',
      /more than one host/,
    ],
    [
      'a bad region',
      JSON.stringify({ client_id: ID, client_secret: SECRET, region: 'de' }),
      'host-invalid',
      /us or eu/,
    ],
    [
      'a dotted subdomain',
      JSON.stringify({ client_id: ID, client_secret: SECRET, subdomain: 'evil.example.com/x' }),
      'host-invalid',
      /bare name/,
    ],
    [
      'plain http to a remote host',
      JSON.stringify({ client_id: ID, client_secret: SECRET, api_url: 'http://acme.onelogin.com' }),
      'host-invalid',
      /not loopback/,
    ],
    [
      'a URL with credentials',
      JSON.stringify({ client_id: ID, client_secret: SECRET, api_url: `https://u:${SECRET}@acme.onelogin.com` }),
      'host-invalid',
      /credentials/,
    ],
    [
      'ftp',
      JSON.stringify({ client_id: ID, client_secret: SECRET, api_url: 'ftp://acme.onelogin.com' }),
      'host-invalid',
      /https/,
    ],
  ])('refuses %s with a clear message that holds no value', (_what, text, code, message) => {
    let caught: unknown;
    try {
      settingsFromJson(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretSettingsError);
    const error = caught as SecretSettingsError;
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain(ID);
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('evil');
  });

  it('refuses plain http to a host that only looks local', () => {
    expect(() => validateApiUrl('http://127.0.0.1.nip.io')).toThrow(SecretSettingsError);
    expect(() => validateApiUrl('http://10.0.0.1')).toThrow(/not loopback/);
  });
});

describe('createSecretSettingsLoader', () => {
  const secretsMock = mockClient(SecretsManagerClient);
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  let now = 0;
  beforeEach(() => {
    secretsMock.reset();
    now = 1_000_000;
  });
  const good = JSON.stringify({ client_id: ID, client_secret: SECRET, region: 'us' });

  it('reads the secret once per cache period', async () => {
    secretsMock.on(GetSecretValueCommand, { SecretId: 'onelogin' }).resolves({ SecretString: good });
    const load = createSecretSettingsLoader({ client, secretId: 'onelogin', maxAgeMs: 300_000, now: () => now });
    await load();
    now += 299_000;
    expect((await load()).host).toEqual({ region: 'us' });
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now += 2_000;
    await load();
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('maps a missing secret to a typed error and does not cache failures', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: 'not found', $metadata: {} }))
      .resolves({ SecretString: good });
    const load = createSecretSettingsLoader({ client, secretId: 'onelogin', now: () => now });
    await expect(load()).rejects.toMatchObject({
      name: 'SecretSettingsError',
      code: 'secret-invalid',
      message: expect.stringMatching(/cannot be read \(ResourceNotFoundException\)/),
    });
    await expect(load()).resolves.toMatchObject({ credentials: { clientId: ID } });
  });

  it('rethrows transient failures unchanged (the step is retried)', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const load = createSecretSettingsLoader({ client, secretId: 'onelogin' });
    await expect(load()).rejects.toMatchObject({ name: 'ThrottlingException' });
  });

  it('refuses a secret without SecretString', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
    const load = createSecretSettingsLoader({ client, secretId: 'onelogin' });
    await expect(load()).rejects.toBeInstanceOf(SecretSettingsError);
  });
});
