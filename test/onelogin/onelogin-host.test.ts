import { describe, expect, test } from 'vitest';
import { OneLoginClient } from '../../lambda/onelogin/onelogin-client.ts';
import { OneLoginConfigError } from '../../lambda/onelogin/onelogin-errors.ts';
import { isLoopbackHostname, resolveOneLoginHost } from '../../lambda/onelogin/onelogin-host.ts';

const credentials = { clientId: 'id', clientSecret: 'secret' };

describe('host resolution', () => {
  test('subdomain, region and apiUrl give their origins', () => {
    expect(resolveOneLoginHost({ subdomain: 'Acme-2' }).baseUrl).toBe('https://acme-2.onelogin.com');
    expect(resolveOneLoginHost({ region: 'eu' }).baseUrl).toBe('https://api.eu.onelogin.com');
    expect(resolveOneLoginHost({ region: 'us' }).baseUrl).toBe('https://api.us.onelogin.com');
    expect(resolveOneLoginHost({ apiUrl: 'https://acme.onelogin.com/' }).baseUrl).toBe('https://acme.onelogin.com');
    expect(resolveOneLoginHost({ apiUrl: 'http://127.0.0.1:8123' }).baseUrl).toBe('http://127.0.0.1:8123');
    expect(resolveOneLoginHost({ apiUrl: 'http://localhost:8123' }).origin).toBe('http://localhost:8123');
    expect(resolveOneLoginHost({ apiUrl: 'http://[::1]:8123' }).origin).toBe('http://[::1]:8123');
  });

  test.each([
    'acme.onelogin.com',
    'acme/../evil',
    'ac me',
    '-acme',
    'acme-',
    'acme?x',
    'acme#x',
    'évil',
    'a'.repeat(64),
  ])('refuses subdomain %j', (subdomain) => {
    expect(() => resolveOneLoginHost({ subdomain })).toThrow(OneLoginConfigError);
  });

  test.each([
    'http://example.com',
    'http://acme.onelogin.com',
    'http://10.0.0.1:8080',
    'http://128.0.0.1',
    'http://localhost.evil.com',
    'http://127.0.0.1.nip.io',
    'ftp://127.0.0.1',
    'https://user:pass@acme.onelogin.com',
    'https://acme.onelogin.com/?x=1',
    'not a url',
  ])('refuses apiUrl %j with a config error', (apiUrl) => {
    expect(() => new OneLoginClient({ apiUrl, credentials })).toThrow(OneLoginConfigError);
  });

  test('needs exactly one host setting', () => {
    expect(() => resolveOneLoginHost({})).toThrow(/exactly one/);
    expect(() => resolveOneLoginHost({ subdomain: 'acme', region: 'us' })).toThrow(/exactly one/);
    expect(() => resolveOneLoginHost({ region: 'de' as 'us' })).toThrow(/must be us or eu/);
  });

  test('loopback covers 127.0.0.0/8, ::1 and localhost only', () => {
    expect(isLoopbackHostname('127.255.3.4')).toBe(true);
    expect(isLoopbackHostname('LOCALHOST')).toBe(true);
    expect(isLoopbackHostname('[::1]')).toBe(true);
    expect(isLoopbackHostname('127.0.0.256')).toBe(false);
    expect(isLoopbackHostname('0.0.0.0')).toBe(false);
    expect(isLoopbackHostname('[::ffff:7f00:1]')).toBe(false);
  });
});
