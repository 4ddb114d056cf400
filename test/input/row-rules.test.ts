import { describe, expect, it } from 'vitest';
import type { RejectedRow, ValidRow } from '../../lambda/engine/input/input-types.ts';
import { readAll } from './read-helpers.ts';

async function onlyRow(header: string, line: string) {
  const { rows } = await readAll(`${header}\n${line}\n`);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

describe('row rules (docs/outcomes.md)', () => {
  const rejectedCases: Array<[string, string, string, RejectedRow['reason']]> = [
    ['no identifier at all', 'id,username,email', ',,', 'missing-identifier'],
    ['identifiers only whitespace', 'id,username,email', ' , \t ,  ', 'missing-identifier'],
    ['only an ignored column filled', 'email,name', ',Bob', 'missing-identifier'],
    ['negative id', 'id', '-5', 'invalid-id'],
    ['signed id', 'id', '+5', 'invalid-id'],
    ['zero id', 'id', '0', 'invalid-id'],
    ['all-zero id', 'id', '000', 'invalid-id'],
    ['decimal id', 'id', '12.0', 'invalid-id'],
    ['exponent id', 'id', '1e5', 'invalid-id'],
    ['space inside id', 'id', '12 34', 'invalid-id'],
    ['hex id', 'id', '0x1F', 'invalid-id'],
    ['full-width digits', 'id', '１２', 'invalid-id'],
    ['id above MAX_SAFE_INTEGER', 'id', '9007199254740992', 'invalid-id'],
    ['very long id', 'id', '1'.repeat(40), 'invalid-id'],
    ['wildcard in id', 'id', '12*', 'wildcard'],
    ['wildcard in username', 'username', 'jo*', 'wildcard'],
    ['lone star', 'username', '*', 'wildcard'],
    ['wildcard in email', 'email', '*@example.com', 'wildcard'],
    ['negation in username', 'username', '!admin', 'wildcard'],
    ['negation in email', 'email', '!a@example.com', 'wildcard'],
    ['wildcard wins over a bad id', 'id,email', 'abc,*@x.com', 'wildcard'],
    ['email without @', 'email', 'bob.example.com', 'invalid-email'],
    ['email with two @', 'email', 'bob@x@example.com', 'invalid-email'],
    ['email without local part', 'email', '@example.com', 'invalid-email'],
    ['email without domain', 'email', 'bob@', 'invalid-email'],
    ['email with space', 'email', 'bob smith@example.com', 'invalid-email'],
    ['display-name form', 'email', '"Bob <bob@example.com>"', 'invalid-email'],
    ['two addresses', 'email', '"a@example.com;b@example.com"', 'invalid-email'],
    ['email with a tab inside', 'email', '"bob\t@example.com"', 'invalid-email'],
    ['username with control character', 'username', 'bob\u0001', 'malformed-row'],
    ['username with embedded newline', 'username', '"bob\nsmith"', 'malformed-row'],
    ['username with C1 control', 'username', 'bob\u0085x', 'malformed-row'],
    ['more cells than header', 'email', 'a@example.com,extra', 'malformed-row'],
    ['separator inside unquoted value', 'username,email', 'Smith, John,js@example.com', 'malformed-row'],
  ];
  it.each(rejectedCases)('%s → %s', async (_name, header, line, reason) => {
    const row = await onlyRow(header, line);
    expect(row.kind).toBe('rejected');
    expect((row as RejectedRow).reason).toBe(reason);
    expect((row as RejectedRow).message.length).toBeGreaterThan(5);
    expect(row.line).toBe(2);
  });

  const validCases: Array<[string, string, string, Partial<ValidRow>]> = [
    ['plain id', 'id', '42', { id: 42 }],
    ['id with leading zeros', 'id', '007', { id: 7 }],
    ['id padded with spaces', 'id', '  42  ', { id: 42, input: { id: '42' } }],
    ['largest safe id', 'id', '9007199254740991', { id: Number.MAX_SAFE_INTEGER }],
    [
      'username keeps case, trimmed',
      'username',
      '  Bob.Smith ',
      { username: 'Bob.Smith', input: { username: 'Bob.Smith' } },
    ],
    ['username with spaces and ?&#%/+', 'username', 'Mary Ann ?&#%/+', { username: 'Mary Ann ?&#%/+' }],
    ['username with ! not at start', 'username', 'bang!', { username: 'bang!' }],
    ['username with quotes inside', 'username', 'o"neil', { username: 'o"neil' }],
    ['email with + and %', 'email', 'bob+tag%x@example.com', { email: 'bob+tag%x@example.com' }],
    ['email with ? # & / and unicode', 'email', 'a?b#c&d/é@exämple.com', { email: 'a?b#c&d/é@exämple.com' }],
    ['email keeps case', 'email', 'Bob@Example.COM', { email: 'Bob@Example.COM' }],
    ['email without a dot in the domain', 'email', 'root@localhost', { email: 'root@localhost' }],
    ['all three', 'id,username,email', '1,bob,bob@example.com', { id: 1, username: 'bob', email: 'bob@example.com' }],
    [
      'one of three',
      'id,username,email',
      ',,bob@example.com',
      { email: 'bob@example.com', input: { id: '', username: '', email: 'bob@example.com' } },
    ],
    ['trailing empty cells beyond the header', 'email', 'a@example.com,,', { email: 'a@example.com' }],
    ['missing trailing cells', 'id,username,email', '5', { id: 5, input: { id: '5', username: '', email: '' } }],
  ];
  it.each(validCases)('%s is valid', async (_name, header, line, expected) => {
    const row = await onlyRow(header, line);
    expect(row).toMatchObject({ kind: 'valid', line: 2, ...expected });
  });

  it('does not set fields for identifiers the row leaves empty', async () => {
    const row = await onlyRow('id,username,email', ',bob,');
    expect(row).toEqual({ kind: 'valid', line: 2, input: { id: '', username: 'bob', email: '' }, username: 'bob' });
  });

  it('input holds only the identifier columns of the header, trimmed', async () => {
    const row = await onlyRow('Name,EMAIL,Notes', ' Bob , bob@example.com , hi ');
    expect(row.input).toEqual({ email: 'bob@example.com' });
  });

  it('quotes user values in messages without echoing huge content', async () => {
    const row = await onlyRow('username', `jo*${'x'.repeat(5000)}`);
    expect(row.kind).toBe('rejected');
    expect((row as RejectedRow).message.length).toBeLessThan(200);
  });
});

describe('duplicate rows', () => {
  it('rejects a row repeating an earlier valid row, naming that line', async () => {
    const { rows } = await readAll(
      'id,username,email\n1,bob,bob@example.com\n2,amy,\n1,BOB,Bob@Example.com\n001,bob,BOB@example.com\n',
    );
    expect(
      rows.map((row) => (row.kind === 'rejected' ? `${row.line}:${row.reason}:${row.message}` : `${row.line}:valid`)),
    ).toEqual([
      '2:valid',
      '3:valid',
      '4:duplicate:same identifiers as line 2',
      '5:duplicate:same identifiers as line 2',
    ]);
  });

  it('compares the full tuple: different parts are not duplicates', async () => {
    const { rows } = await readAll('id,username,email\n1,bob,\n1,,\n,bob,\n1,bob,b@x.com\n,1,\n1,bob,\n');
    expect(rows.map((row) => row.kind)).toEqual(['valid', 'valid', 'valid', 'valid', 'valid', 'rejected']);
    expect(rows[5]).toMatchObject({
      reason: 'duplicate',
      message: 'same identifiers as line 2',
      input: { id: '1', username: 'bob', email: '' },
    });
  });

  it('does not count rejected rows as earlier rows', async () => {
    const { rows } = await readAll('username,email\nbob*,\nbob*,\nbob,x\nbob,x\n');
    expect(rows.map((row) => (row.kind === 'valid' ? 'valid' : row.reason))).toEqual([
      'wildcard',
      'wildcard',
      'invalid-email',
      'invalid-email',
    ]);
  });

  it('finds duplicates far apart in a large file', async () => {
    const lines = ['email'];
    for (let index = 0; index < 20000; index++) lines.push(`user${index}@example.com`);
    lines.push('USER7@example.com');
    const { rows } = await readAll(`${lines.join('\n')}\n`, 4096);
    expect(rows.filter((row) => row.kind === 'rejected')).toEqual([
      {
        kind: 'rejected',
        line: 20002,
        input: { email: 'USER7@example.com' },
        reason: 'duplicate',
        message: 'same identifiers as line 9',
      },
    ]);
  });
});
