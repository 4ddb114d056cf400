// The guard settings of the one settings module: allowDirectoryUsers (a yes/no setting) and the protect list's check.
import { describe, expect, it } from 'vitest';
import { booleanFromEnv, booleanOrDefault } from '../../lambda/settings/boolean-setting.ts';
import { protectProblems, protectToEnvText } from '../../lambda/settings/protect-list.ts';
import { ALLOW_DIRECTORY_USERS } from '../../lambda/settings/run-settings.ts';

describe('allowDirectoryUsers', () => {
  it('defaults to false everywhere', () => {
    expect(ALLOW_DIRECTORY_USERS.default).toBe(false);
    expect(booleanFromEnv(ALLOW_DIRECTORY_USERS, {})).toBe(false);
    expect(booleanOrDefault(ALLOW_DIRECTORY_USERS, undefined, 'allowDirectoryUsers')).toBe(false);
  });

  it.each([
    ['true', true],
    [' TRUE ', true],
    ['false', false],
    ['', false],
  ])('env %j reads as %s', (text, value) => {
    expect(booleanFromEnv(ALLOW_DIRECTORY_USERS, { [ALLOW_DIRECTORY_USERS.env]: text })).toBe(value);
  });

  it.each(['yes', '1', 'ture'])('refuses env %j, naming the variable', (text) => {
    expect(() => booleanFromEnv(ALLOW_DIRECTORY_USERS, { [ALLOW_DIRECTORY_USERS.env]: text })).toThrow(
      ALLOW_DIRECTORY_USERS.env,
    );
  });

  it('refuses a prop that is not a boolean', () => {
    expect(() => booleanOrDefault(ALLOW_DIRECTORY_USERS, 1, 'allowDirectoryUsers')).toThrow(/true or false/);
  });
});

describe('protect values in the settings module', () => {
  it('accepts ids (leading zeros), usernames and emails', () => {
    expect(protectProblems(['0012', 'admin', 'root@acme.test'])).toEqual([]);
    expect(protectToEnvText([' 0012 ', 'admin'], 'protectedUsers')).toEqual({ ok: true, value: '0012,admin' });
  });

  it('names every value that cannot be an identifier', () => {
    const problems = protectProblems(['*@acme.test', 'ok', 'a@@b.test', 'tab\there']);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toContain('"*@acme.test"');
    expect(problems.join('\n')).toContain('"a@@b.test"');
    const refused = protectToEnvText(['*@acme.test'], 'protectedUsers');
    expect(refused.ok).toBe(false);
  });
});
