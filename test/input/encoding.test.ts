import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readAll, rejectionOf, summary } from './read-helpers.ts';

function utf16(text: string, order: 'le' | 'be'): Uint8Array {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  if (order === 'le') return le;
  const be = Buffer.alloc(le.length);
  for (let index = 0; index < le.length; index += 2) {
    be[index] = le[index + 1]!;
    be[index + 1] = le[index]!;
  }
  return be;
}

const SAMPLE = 'Email,Username\r\njörg@example.de,Jörg 山田 😀\r\n';
const SAMPLE_ROW = { kind: 'valid', line: 2, email: 'jörg@example.de', username: 'Jörg 山田 😀' };

describe('encodings', () => {
  it('reads UTF-8 without BOM', async () => {
    const { header, rows } = await readAll(SAMPLE);
    expect(header.encoding).toBe('utf-8');
    expect(rows).toMatchObject([SAMPLE_ROW]);
  });

  it('ignores a UTF-8 BOM', async () => {
    const { header, rows } = await readAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]));
    expect(header).toMatchObject({ encoding: 'utf-8', columns: ['email', 'username'], warnings: [] });
    expect(rows).toMatchObject([SAMPLE_ROW]);
  });

  it.each(['le', 'be'] as const)('decodes UTF-16%s with BOM', async (order) => {
    const { header, rows } = await readAll(utf16(SAMPLE, order));
    expect(header).toMatchObject({ encoding: `utf-16${order}`, columns: ['email', 'username'] });
    expect(rows).toMatchObject([SAMPLE_ROW]);
  });

  it.each([1, 2, 3])('handles %i-byte chunks splitting BOMs and multibyte characters', async (size) => {
    for (const bytes of [
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SAMPLE)]),
      utf16(SAMPLE, 'le'),
      utf16(SAMPLE, 'be'),
    ]) {
      const { rows, header } = await readAll(bytes, size);
      expect(header.columns).toEqual(['email', 'username']);
      expect(rows).toMatchObject([SAMPLE_ROW]);
    }
  });

  it('handles mixed 1–3 byte chunks across a whole file', async () => {
    const text = `id,username,email\n${Array.from({ length: 50 }, (_, index) => `${index + 1},"ü${index}\n2",é${index}@ex.com`).join('\r\n')}\n`;
    const whole = await readAll(text);
    const tiny = await readAll(text, 1, 3, 2);
    expect(tiny.rows).toEqual(whole.rows);
    expect(summary(tiny.rows).slice(0, 3)).toEqual(['2:malformed-row', '4:malformed-row', '6:malformed-row']);
  });

  it('decodes Latin-1 / Windows-1252 bytes with a warning', async () => {
    const bytes = Buffer.from('email;name\nrene@example.fr;Ren\xe9 \x80\n', 'latin1');
    const { header, rows } = await readAll(bytes);
    expect(header.encoding).toBe('windows-1252');
    expect(header.warnings).toContain('file is not UTF-8; decoded as Windows-1252');
    expect(rows).toMatchObject([{ kind: 'valid', email: 'rene@example.fr' }]);
  });

  it('switches to Windows-1252 when the first non-UTF-8 byte comes late, and keeps line numbers', async () => {
    const lines = ['username'];
    for (let index = 0; index < 3000; index++) lines.push(`user${index}`);
    lines.push('Ren\xe9');
    const { header, rows } = await readAll(Buffer.from(`${lines.join('\n')}\n`, 'latin1'), 1000);
    expect(header.encoding).toBe('windows-1252');
    expect(header.warnings).toEqual(['file is not UTF-8; decoded as Windows-1252']);
    expect(rows.at(-1)).toMatchObject({ kind: 'valid', line: 3002, username: 'René' });
  });

  it('switches to Windows-1252 for a lone high byte at the very end', async () => {
    const { rows, header } = await readAll(Buffer.from('username\nab\xc3', 'latin1'));
    expect(header.encoding).toBe('windows-1252');
    expect(rows).toMatchObject([{ username: 'abÃ' }]);
  });

  it('refuses a file mixing UTF-8 characters with other bytes', async () => {
    const bytes = Buffer.concat([Buffer.from('username\nJörg\n'), Buffer.from('Ren\xe9\n', 'latin1')]);
    const error = await rejectionOf(bytes);
    expect(error.code).toBe('invalid-encoding');
  });

  it('refuses a UTF-8 BOM followed by bytes that are not UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('username\nRen\xe9\n', 'latin1')]);
    expect((await rejectionOf(bytes)).code).toBe('invalid-encoding');
  });

  it('refuses non-UTF-8 bytes with control characters as not text', async () => {
    expect((await rejectionOf(Buffer.from('username\nRen\xe9\x01\n', 'latin1'))).code).toBe('not-text');
    const lateNul = Buffer.from(`username\nRen\xe9\n${'x\n'.repeat(5000)}\u0000\n`, 'latin1');
    expect((await rejectionOf(lateNul, 1000)).code).toBe('not-text');
  });

  it('refuses invalid UTF-16 (odd byte count, lone surrogate)', async () => {
    const odd = Buffer.concat([Buffer.from(utf16('email\na@b.c\n', 'le')), Buffer.from([0x41])]);
    expect((await rejectionOf(odd)).code).toBe('invalid-encoding');
    const surrogate = Buffer.concat([
      Buffer.from(utf16('email\n', 'le')),
      Buffer.from([0x00, 0xd8, 0x41, 0x00, 0x0a, 0x00]),
    ]);
    expect((await rejectionOf(surrogate)).code).toBe('invalid-encoding');
  });
});

describe('files that are not text', () => {
  it.each([
    [
      'xlsx/zip',
      Buffer.concat([
        Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
        Buffer.from('[Content_Types].xml'),
      ]),
      /Excel/,
    ],
    ['old xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), /\.xls/],
    ['gzip', gzipSync(Buffer.from('id,email\n1,a@b.c\n')), /gzip/],
    ['pdf', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'), /PDF/],
    ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), /PNG/],
    ['UTF-16 without BOM', Buffer.from('email\r\na@b.c\r\n', 'utf16le'), /UTF-16/],
    ['NUL bytes', Buffer.from('id,email\n1,a\u0000b\n'), /NUL/],
    ['random binary', Buffer.from(Array.from({ length: 64 }, (_, index) => (index * 37 + 1) % 32 || 1)), /binary/],
  ])('rejects %s as not-text with a message naming it', async (_name, bytes, pattern) => {
    const error = await rejectionOf(bytes, 2);
    expect(error.code).toBe('not-text');
    expect(error.message).toMatch(pattern);
    expect(error.message.length).toBeLessThan(200);
  });

  it('rejects NUL bytes that appear after many valid rows', async () => {
    const lines = ['email'];
    for (let index = 0; index < 2000; index++) lines.push(`u${index}@example.com`);
    const bytes = Buffer.concat([Buffer.from(`${lines.join('\n')}\n`), Buffer.from([0, 0, 0, 1, 2, 3])]);
    const error = await rejectionOf(bytes, 512);
    expect(error.code).toBe('not-text');
  });

  it('rejects a 0-byte file as empty', async () => {
    const error = await rejectionOf(new Uint8Array(0));
    expect(error.code).toBe('empty-file');
  });

  it.each([['\n\n\r\n'], ['   \n\t\n'], ['\ufeff']])('rejects a file of only blank lines %j as empty', async (text) => {
    expect((await rejectionOf(text)).code).toBe('empty-file');
  });
});
