import { describe, expect, it } from 'vitest';
import { parseProtectList } from '../../lambda/cli/protect-list.ts';
import { ProtectValueError, readProtectValues } from '../../lambda/engine/protect-rules.ts';

const values = (text: string) => parseProtectList(text, 'p.txt').map((item) => item.value);

describe('parseProtectList', () => {
  it('reads one value a line, skipping blanks and comments', () => {
    expect(values('\uFEFF# admins\nadmin@acme.com\r\n\n  42  \n#x\nroot\n')).toEqual(['admin@acme.com', '42', 'root']);
  });

  it('reads a JSON array or a { protect: [...] } object', () => {
    expect(values('["a@b.c", 7]')).toEqual(['a@b.c', '7']);
    expect(values('{ "protect": ["root"] }')).toEqual(['root']);
  });

  it('refuses JSON it cannot use', () => {
    expect(() => parseProtectList('[1, ', 'p.json')).toThrow(/p\.json looks like JSON but does not parse/);
    expect(() => parseProtectList('{"users":[]}', 'p.json')).toThrow(/JSON array/);
    expect(() => parseProtectList('["ok", ""]', 'p.json')).toThrow(/item 2/);
    expect(() => parseProtectList('[-3]', 'p.json')).toThrow(/item 1/);
  });

  it('reads a CSV with the input header rules: each cell is a value of its column', () => {
    expect(parseProtectList('id,username,email\n51000025,,\n,root,\n', 'p.csv')).toEqual([
      { value: '51000025', field: 'id' },
      { value: 'root', field: 'username' },
    ]);
    expect(parseProtectList('\uFEFF Email ;Extra\nBoss@Acme.test;x\n', 'p.csv')).toEqual([
      { value: 'Boss@Acme.test', field: 'email' },
    ]);
  });

  it('a CSV protect file protects the users it names (it used to protect nobody)', () => {
    const rules = readProtectValues(parseProtectList('id,username,email\n51000025,,\n', 'p.csv'));
    expect(rules.match({ id: 51000025, username: 'x', email: 'x@y.z' })?.field).toBe('id');
    expect(rules.match({ id: 51000026, username: '51000025', email: null })).toBeUndefined();
  });
});

describe('protect values are read like row values', () => {
  it('an id with leading zeros protects that id, and the digits as a username too', () => {
    const rules = readProtectValues(['0051000028']);
    expect(rules.match({ id: 51000028, username: 'someone', email: null })?.field).toBe('id');
    expect(rules.match({ id: 1, username: '0051000028', email: null })?.field).toBe('username');
    expect(rules.match({ id: 1, username: '51000028', email: null })).toBeUndefined();
  });

  it('trims Unicode spaces, compares NFC and case-insensitively', () => {
    const rules = readProtectValues(['\u00a0Fran\u0063\u0327ois@Acme.test ']);
    expect(rules.match({ id: 1, username: null, email: 'françois@acme.test' })?.field).toBe('email');
  });

  it('keeps look-alikes and invisible characters apart', () => {
    const rules = readProtectValues(['\u212aelvin', 'stra\u00dfe', 'ro\u200bot']);
    expect(rules.match({ id: 1, username: 'kelvin', email: null })).toBeUndefined();
    expect(rules.match({ id: 2, username: 'strasse', email: null })).toBeUndefined();
    expect(rules.match({ id: 3, username: 'root', email: null })).toBeUndefined();
    expect(rules.match({ id: 4, username: '\u212aELVIN', email: null })?.field).toBe('username');
  });

  it('refuses values that cannot be identifiers, listing each', () => {
    const refuse = (raw: string[]) => {
      try {
        readProtectValues(raw);
      } catch (error) {
        expect(error).toBeInstanceOf(ProtectValueError);
        return (error as ProtectValueError).problems;
      }
      throw new Error('not refused');
    };
    expect(refuse(['*@acme.test'])[0]).toMatch(/wildcard/);
    expect(refuse(['!root'])[0]).toMatch(/wildcard/);
    expect(refuse(['51000025,,'])[0]).toMatch(/separator/);
    expect(refuse(['0'])[0]).toMatch(/id "0"/);
    expect(refuse(['a@b@c'])[0]).toMatch(/email/);
    expect(refuse(['ok', '*', '1;2'])).toHaveLength(2);
  });

  it('skips empty values', () => {
    expect(readProtectValues(['', '  ', 'root']).size).toBe(1);
  });
});
