import { describe, expect, it } from 'vitest';
import { fixture, readAll, summary } from './read-helpers.ts';

describe('fixture files', () => {
  it('Excel "CSV UTF-8" export: BOM, capitalised header, CRLF, extra column, quoted comma', async () => {
    const { header, rows } = await readAll(await fixture('excel-utf8-bom.csv'), 5);
    expect(header).toEqual({
      encoding: 'utf-8',
      separator: ',',
      columns: ['id', 'username', 'email'],
      ignoredColumns: ['Department'],
      warnings: ['ignored column (not id, username or email): "Department"'],
    });
    expect(rows).toEqual([
      {
        kind: 'valid',
        line: 2,
        input: { id: '1001', username: 'bob.smith', email: 'bob@example.com' },
        id: 1001,
        username: 'bob.smith',
        email: 'bob@example.com',
      },
      {
        kind: 'valid',
        line: 3,
        input: { id: '42', username: 'alice', email: 'Alice@Example.com' },
        id: 42,
        username: 'alice',
        email: 'Alice@Example.com',
      },
      {
        kind: 'valid',
        line: 4,
        input: { id: '', username: 'Müller, Jörg', email: 'jorg@example.de' },
        username: 'Müller, Jörg',
        email: 'jorg@example.de',
      },
      { kind: 'valid', line: 6, input: { id: '7', username: 'carol', email: '' }, id: 7, username: 'carol' },
    ]);
  });

  it('semicolon-separated Windows-1252 file', async () => {
    const { header, rows } = await readAll(await fixture('semicolon-windows-1252.csv'));
    expect(header).toMatchObject({ encoding: 'windows-1252', separator: ';', columns: ['email'] });
    expect(header.warnings).toContain('file is not UTF-8; decoded as Windows-1252');
    expect(summary(rows)).toEqual(['2:valid', '3:valid']);
  });

  it('UTF-16LE tab-separated file (Excel "Unicode text")', async () => {
    const { header, rows } = await readAll(await fixture('utf16le-tab.csv'), 3);
    expect(header).toMatchObject({ encoding: 'utf-16le', separator: '\t', columns: ['username', 'email'] });
    expect(rows).toMatchObject([
      { line: 2, username: 'kenji', email: 'kenji@example.jp' },
      { line: 3, username: '山田', email: 'yamada@example.jp' },
    ]);
  });

  it('quoted values with embedded newlines keep their start lines', async () => {
    const { rows } = await readAll(await fixture('quoted-multiline.csv'), 2);
    expect(summary(rows)).toEqual(['2:valid', '5:valid', '6:valid', '8:valid']);
    expect(rows[2]).toMatchObject({ username: 'say "hi"' });
  });

  it('a file with one row of each problem', async () => {
    const { rows } = await readAll(await fixture('mixed-problems.csv'));
    expect(summary(rows)).toEqual([
      '2:valid',
      '3:duplicate',
      '4:invalid-id',
      '5:wildcard',
      '6:wildcard',
      '7:invalid-email',
      '8:missing-identifier',
      '9:malformed-row',
      '10:invalid-id',
    ]);
  });
});
