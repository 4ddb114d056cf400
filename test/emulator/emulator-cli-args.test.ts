import { describe, expect, it } from 'vitest';
import { parseEmulatorArgs } from '../../lambda/emulator/emulator-cli-args.ts';

describe('parseEmulatorArgs', () => {
  it('defaults to a demo client id, a generated secret, 1000 users and no rate limit', () => {
    const settings = parseEmulatorArgs([]);
    expect(settings).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      users: 1000,
      seed: 1,
      clientId: 'demo-client-id',
      rateLimit: null,
    });
    expect(settings.secretGenerated).toBe(true);
    expect(settings.clientSecret).not.toBe(parseEmulatorArgs([]).clientSecret);
  });

  it('reads every flag', () => {
    const settings = parseEmulatorArgs([
      '--port',
      '8089',
      '--users',
      '100000',
      '--seed',
      '7',
      '--client-id',
      'id',
      '--client-secret',
      'secret',
      '--rate-limit',
      '5000/3600',
    ]);
    expect(settings).toMatchObject({
      port: 8089,
      users: 100000,
      seed: 7,
      clientId: 'id',
      clientSecret: 'secret',
      secretGenerated: false,
      rateLimit: { limit: 5000, windowSeconds: 3600 },
    });
  });

  it('leaves custom_attributes and role_ids out of list items unless told to carry them', () => {
    expect(parseEmulatorArgs([]).listIncludesCustomAttributes).toBe(false);
    expect(parseEmulatorArgs(['--list-includes-custom-attributes']).listIncludesCustomAttributes).toBe(true);
  });

  it('refuses malformed values and unknown flags', () => {
    expect(() => parseEmulatorArgs(['--rate-limit', '5000'])).toThrow(/rate-limit/);
    expect(() => parseEmulatorArgs(['--rate-limit', '0/10'])).toThrow(/rate-limit/);
    expect(() => parseEmulatorArgs(['--users', '-1'])).toThrow(/users/);
    expect(() => parseEmulatorArgs(['--port', '70000'])).toThrow(/port/);
    expect(() => parseEmulatorArgs(['--bogus'])).toThrow();
  });
});
