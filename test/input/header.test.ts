import { describe, expect, it } from 'vitest';
import { detectSeparator, normaliseHeaderName } from '../../lambda/engine/input/header.ts';
import { readAll, rejectionOf, summary } from './read-helpers.ts';

describe('header', () => {
  it.each([
    ['id,username,email', ['id', 'username', 'email']],
    ['ID,UserName,EMAIL', ['id', 'username', 'email']],
    ['  Email  ,  Id ', ['email', 'id']],
    ['"email","id"', ['email', 'id']],
    [' "Email" ,x', ['email']],
    ['username', ['username']],
  ])('matches %j case-insensitively after trimming', async (headerLine, columns) => {
    const { header } = await readAll(`${headerLine}\n`);
    expect(header.columns).toEqual(columns);
  });

  it('ignores unknown columns with one warning listing them', async () => {
    const { header, rows } = await readAll('First Name,email,Department,,id\nBob,bob@example.com,IT,,5\n');
    expect(header.columns).toEqual(['email', 'id']);
    expect(header.ignoredColumns).toEqual(['First Name', 'Department']);
    expect(header.warnings).toEqual(['ignored columns (not id, username or email): "First Name", "Department"']);
    expect(rows).toEqual([
      { kind: 'valid', line: 2, input: { email: 'bob@example.com', id: '5' }, email: 'bob@example.com', id: 5 },
    ]);
  });

  it('has no warnings for a clean header', async () => {
    const { header } = await readAll('id,email\n');
    expect(header).toEqual({
      encoding: 'utf-8',
      separator: ',',
      columns: ['id', 'email'],
      ignoredColumns: [],
      warnings: [],
    });
  });

  it('rejects a file without any identifier column, naming what it found', async () => {
    const error = await rejectionOf('user_id,mail\n1,a@b.c\n');
    expect(error.code).toBe('no-known-columns');
    expect(error.line).toBe(1);
    expect(error.message).toContain('"user_id", "mail"');
  });

  it('rejects a header line of only separators', async () => {
    expect((await rejectionOf(',,\n1,2,3\n')).code).toBe('no-known-columns');
  });

  it('treats a first line of data as a header without known columns', async () => {
    expect((await rejectionOf('bob@example.com\namy@example.com\n')).code).toBe('no-known-columns');
  });

  it.each(['id,email,ID', 'email;Email', 'username,x," USERNAME "'])(
    'rejects the same known column twice: %j',
    async (headerLine) => {
      const error = await rejectionOf(`${headerLine}\n`);
      expect(error.code).toBe('duplicate-column');
      expect(error.message).toMatch(/twice/);
    },
  );

  it('allows unknown columns to repeat', async () => {
    const { header } = await readAll('note,email,note\n');
    expect(header.ignoredColumns).toEqual(['note', 'note']);
  });

  it('cuts long unknown column names in the warning', async () => {
    const { header } = await readAll(`email,${'n'.repeat(500)}\n`);
    expect(header.warnings[0]!.length).toBeLessThan(120);
  });

  it('accepts a header-only file with zero rows', async () => {
    expect(await readAll('id,username,email')).toMatchObject({
      rows: [],
      header: { columns: ['id', 'username', 'email'] },
    });
    expect((await readAll('id,username,email\r\n\r\n\r\n')).rows).toEqual([]);
  });

  it('finds the header after leading blank lines and counts them', async () => {
    const { header, rows } = await readAll('\n  \r\nemail\nbob@example.com\n');
    expect(header.columns).toEqual(['email']);
    expect(summary(rows)).toEqual(['4:valid']);
    expect((await rejectionOf('\n\n  \nname\nbob\n')).line).toBe(4);
  });

  it('skips lines of only separators before the header', async () => {
    const { header, rows } = await readAll(';;\n\t\t\nid;email\n1;a@b.c\n');
    expect(header).toMatchObject({ separator: ';', columns: ['id', 'email'] });
    expect(summary(rows)).toEqual(['4:valid']);
    expect((await readAll('\t\t\r\nemail\tid\r\n')).header).toMatchObject({
      separator: '\t',
      columns: ['email', 'id'],
    });
  });

  it('finds the header after more than 64 KiB of blank lines', async () => {
    const { header, rows } = await readAll(`${'\n'.repeat(70000)}email\na@b.c\n`, 7);
    expect(header.columns).toEqual(['email']);
    expect(summary(rows)).toEqual(['70002:valid']);
  });

  it.each([4096, 1 << 20])('rejects a header line longer than 64 KiB (chunks of %i bytes)', async (chunkSize) => {
    const error = await rejectionOf(`email,${'x'.repeat(70 * 1024)}\nbob@example.com\n`, chunkSize);
    expect(error.code).toBe('header-too-long');
    expect(error.message.length).toBeLessThan(200);
  });
});

describe('separator', () => {
  it.each([
    ['id,username,email', ','],
    ['id;username;email', ';'],
    ['id\tusername\temail', '\t'],
    ['email', ','],
    ['email;name, first', ';'],
    ['name;x,email', ','],
    ['"email";"id"', ';'],
  ])('%j → %j', (line, separator) => {
    expect(detectSeparator(line)).toBe(separator);
  });

  it('reads semicolon files with commas inside values', async () => {
    const { header, rows } = await readAll('username;email\nSmith, John;js@example.com\n');
    expect(header.separator).toBe(';');
    expect(rows[0]).toMatchObject({ kind: 'valid', username: 'Smith, John', email: 'js@example.com' });
  });

  it('reads tab-separated files', async () => {
    const { header, rows } = await readAll('id\tEmail\r\n12\t a@example.com \r\n');
    expect(header.separator).toBe('\t');
    expect(rows).toEqual([
      { kind: 'valid', line: 2, input: { id: '12', email: 'a@example.com' }, id: 12, email: 'a@example.com' },
    ]);
  });

  it('normalises names', () => {
    expect(normaliseHeaderName('  "EMAIL" ')).toBe('email');
    expect(normaliseHeaderName("'Id'")).toBe('id');
  });
});
